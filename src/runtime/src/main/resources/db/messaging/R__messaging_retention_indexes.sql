-- Indexes the retention job (MessagingRetention) deletes by. Repeatable, so every service's database gets them
-- whatever its own migration versions are.
create index if not exists outbox_sent on outbox (sent_at) where sent_at is not null;
create index if not exists inbox_processed on inbox (processed_at);
