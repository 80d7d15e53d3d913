-- Which replica consumes which shard of a sharded queue (runtime's ShardLeases). Repeatable, so every service's
-- database gets the tables whatever its own migration versions are.
create table if not exists shard_lease (
    queue      text        not null,
    shard      int         not null,
    owner      text,
    expires_at timestamptz not null default '-infinity',
    primary key (queue, shard)
);
-- The replicas taking part, so that each can tell its fair share (a replica that stops renewing drops out).
create table if not exists shard_member (
    queue   text        not null,
    owner   text        not null,
    seen_at timestamptz not null,
    primary key (queue, owner)
);
