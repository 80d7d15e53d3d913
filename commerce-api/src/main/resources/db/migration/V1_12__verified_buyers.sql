-- One person, one buyer (docs/shop.md "Verified buyers"). An account proves its email by a signed single-use link
-- and its mobile number by an SMS code; a deal's per-buyer limit then counts per verified phone across accounts.
alter table users
    add column email_verified_at  timestamptz,
    -- the nonce of the one email link that is valid now; cleared when used, replaced when a new link is sent
    add column email_link_nonce   varchar(64),
    -- an email change waits here until its link is followed; only then does it replace email
    add column pending_email      varchar(254),
    -- E.164 (+8210…), set only by a proven code; one live account holds a number at a time
    add column verified_phone     varchar(16),
    add column phone_verified_at  timestamptz;

create unique index users_verified_phone on users (verified_phone) where verified_phone is not null;

-- the verified phone a deal order was bought with: the limit per person counts these, whoever holds the number now
alter table orders add column buyer_phone varchar(16);
create index orders_deal_buyer_phone on orders (deal_id, buyer_phone) where buyer_phone is not null;
