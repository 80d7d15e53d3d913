-- What the gateway knows about users, learnt from commerce-api's events (never read from its schema).
create table chat_user (
    user_id        bigint primary key,
    name           varchar(50) not null,
    annual_income  bigint,
    lifetime_spend bigint      not null default 0,
    withdrawn      boolean     not null default false,
    updated_at     timestamptz not null
);
