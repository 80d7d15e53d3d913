-- The shop's category tree (reference data; ids are fixed so paths can be written here).
insert into category (id, name, slug, parent_id, path) values
    (1, '가방', 'bags', null, '/1/'),
    (2, '토트백', 'bags-tote', 1, '/1/2/'),
    (3, '숄더백', 'bags-shoulder', 1, '/1/3/'),
    (4, '크로스백', 'bags-crossbody', 1, '/1/4/'),
    (5, '의류', 'clothing', null, '/5/'),
    (6, '코트', 'clothing-coats', 5, '/5/6/'),
    (7, '니트', 'clothing-knitwear', 5, '/5/7/'),
    (8, '신발', 'shoes', null, '/8/'),
    (9, '스니커즈', 'shoes-sneakers', 8, '/8/9/'),
    (10, '로퍼', 'shoes-loafers', 8, '/8/10/'),
    (11, '액세서리', 'accessories', null, '/11/'),
    (12, '지갑', 'accessories-wallets', 11, '/11/12/'),
    (13, '스카프', 'accessories-scarves', 11, '/11/13/'),
    (14, '시계·주얼리', 'watches-jewellery', null, '/14/'),
    (15, '시계', 'watches', 14, '/14/15/'),
    (16, '주얼리', 'jewellery', 14, '/14/16/');
select setval(pg_get_serial_sequence('category', 'id'), 100);
