-- The relay claims unsent rows in id order from a floor (OutboxRelay, ClaimFloor), so the index of unsent rows is on
-- id alone: a claim starts at its floor instead of walking every entry left by rows sent since the last vacuum.
-- next_attempt_at is in no index, so the claim's lease (it moves next_attempt_at) can be a HOT update when the page
-- has room: hence the fill factor. Repeatable, so every service's database gets it whatever its own versions are.
create index if not exists outbox_pending on outbox (id) where sent_at is null;
drop index if exists outbox_unsent;
alter table outbox set (fillfactor = 80);
-- The trace each row belongs to (the services added it in migrations of their own; here for a database with no other).
alter table outbox add column if not exists trace_parent text;
