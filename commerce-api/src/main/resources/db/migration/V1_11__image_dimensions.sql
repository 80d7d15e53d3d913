-- An image's pixel size is read from its header at confirm (uploads over the pixel limit are refused there, before
-- anything decodes them). A thumbnail that keeps failing is tried again later, then set aside, so it never holds up
-- the others: thumbnail_attempts counts the failures, thumbnail_due_at is when the next try may run.
alter table image
    add column width              int,
    add column height             int,
    add column thumbnail_attempts int         not null default 0,
    add column thumbnail_due_at   timestamptz not null default now();
drop index image_thumbnail_due;
create index image_thumbnail_due on image (thumbnail_due_at, id) where status = 'READY' and thumbnail_key is null and not thumbnail_failed;
