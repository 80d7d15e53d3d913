-- Time deals. A deal's units of a SKU are set aside into a pool: a stock item of its own named deal:<id>:<sku>,
-- which the deal's orders reserve from (so reservations, expiry, commit and restore work as for any SKU). Moving
-- units between a SKU and its pool is two ledger movements (DEAL_SET_ASIDE, DEAL_RETURN), so the ledger still sums.
alter table stock_item alter column sku type varchar(100);
alter table reservation_line alter column sku type varchar(100);
alter table stock_movement alter column sku type varchar(100);

create table deal_pool (
    deal_id   bigint       not null,
    sku       varchar(100) not null references stock_item (sku),
    pool_sku  varchar(100) not null unique references stock_item (sku),
    set_aside int          not null check (set_aside >= 0),  -- units the deal holds in all (pool + its orders)
    revision  bigint       not null,                         -- the last SetAsideDealStock applied
    closed_at timestamptz,                                   -- once closed, units given back go to the SKU
    primary key (deal_id, sku)
);
