-- Open chat: rooms with entry conditions, their members (with each member's read mark) and messages.
create extension if not exists pg_trgm;

create table chat_room (
    id                  bigserial primary key,
    name                varchar(60)  not null,
    min_annual_income   bigint,
    min_lifetime_spend  bigint,
    created_by          bigint       not null,
    created_at          timestamptz  not null,
    -- the newest message id and its time: "newest activity first" and a member's starting read mark
    last_message_id     bigint       not null default 0,
    last_activity_at    timestamptz  not null,
    member_count        integer      not null default 0
);
create index chat_room_activity_idx on chat_room (last_activity_at desc, id desc);
-- room search by a part of the name (Korean names are not segmented by the stock text-search configurations)
create index chat_room_name_trgm_idx on chat_room using gin (name gin_trgm_ops);

create table chat_member (
    room_id               bigint      not null references chat_room (id) on delete cascade,
    user_id               bigint      not null,
    joined_at             timestamptz not null,
    -- the newest message id this member has read; unread = messages after it, not their own, not deleted
    last_read_message_id  bigint      not null default 0,
    primary key (room_id, user_id)
);
create index chat_member_user_idx on chat_member (user_id);

create table chat_message (
    id             bigserial primary key,
    room_id        bigint        not null references chat_room (id) on delete cascade,
    sender_id      bigint        not null,
    -- the sender's own id for the message: a resend with the same id is the same message
    client_msg_id  varchar(64)   not null,
    content        varchar(2000) not null,
    sent_at        timestamptz   not null,
    deleted_at     timestamptz,
    constraint chat_message_client_id_uq unique (room_id, sender_id, client_msg_id)
);
create index chat_message_room_idx on chat_message (room_id, id);
