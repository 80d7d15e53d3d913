-- Product and review images in S3-compatible storage (README "Images"). An upload is PENDING from the presigned PUT
-- until its confirm checks the object's size and bytes; unconfirmed ones are deleted, object and row, after a day.
create table image (
    id                bigserial    primary key,
    owner_type        text         not null check (owner_type in ('PRODUCT', 'REVIEW')),
    owner_id          bigint       not null,
    uploader_id       bigint       not null,
    object_key        text         not null unique,
    content_type      text         not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
    byte_size         bigint       not null check (byte_size > 0),
    status            text         not null check (status in ('PENDING', 'READY')),
    position          int,
    thumbnail_key     text,
    thumbnail_failed  boolean      not null default false,
    created_at        timestamptz  not null default now(),
    confirmed_at      timestamptz
);
create index image_owner on image (owner_type, owner_id, position);
create index image_unconfirmed on image (created_at) where status = 'PENDING';
create index image_thumbnail_due on image (id) where status = 'READY' and thumbnail_key is null and not thumbnail_failed;
