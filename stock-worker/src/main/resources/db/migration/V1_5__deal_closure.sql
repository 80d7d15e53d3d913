-- A deal is closed once, whatever its pools hold (all sold, all reserved, some left, none set aside yet): this row
-- is the record of it. A CloseDeal finding it changes nothing; a SetAsideDealStock finding it sets nothing aside.
create table deal_closure (
    deal_id   bigint       primary key,
    reason    varchar(200) not null,
    closed_at timestamptz  not null
);

-- Deals closed before this table existed (their pools carry closed_at).
insert into deal_closure (deal_id, reason, closed_at)
select deal_id, 'closed', min(closed_at) from deal_pool where closed_at is not null group by deal_id;
