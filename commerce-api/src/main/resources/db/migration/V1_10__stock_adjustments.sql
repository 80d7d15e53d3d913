-- Restocks and corrections asked of the stock-worker (an admin's, and each new SKU's initial stock), with the
-- stock-worker's answer: APPLIED (and the units available after it) or REFUSED (and why). The stock-worker decides;
-- this is what the admin's product page shows.
create table stock_adjustment (
    id           uuid         primary key,
    sku          varchar(64)  not null references product_option (sku),
    delta        int          not null,
    reason       varchar(200) not null,
    requested_by bigint       references users (id),
    requested_at timestamptz  not null,
    outcome      varchar(10)  not null default 'REQUESTED' check (outcome in ('REQUESTED', 'APPLIED', 'REFUSED')),
    available    int,          -- APPLIED: units available after it; REFUSED: units available when it was refused
    refusal      varchar(300),
    decided_at   timestamptz
);
create index stock_adjustment_sku on stock_adjustment (sku, requested_at desc);
