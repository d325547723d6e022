-- Platform notices (通知): plain reminders to an organization (a bureau or a responsible party), written by any module
-- through org.gongzhi.platform.Notices and read on /notices. Not alerts: a compliance alert is a finding that must be
-- acknowledged and escalates (V10); a notice is read and done. Platform range V60–V69 (V1–V9 are taken).

CREATE TABLE notice (
    id              bigserial   PRIMARY KEY,
    organization_id bigint      NOT NULL REFERENCES organization (id),
    -- the sender's key: the same (organization, key) is stored once, so a daily job never sends a reminder twice
    dedup_key       text        NOT NULL CHECK (length(dedup_key) BETWEEN 1 AND 200),
    title_zh        text        NOT NULL,
    title_en        text        NOT NULL,
    body_zh         text        NOT NULL,
    body_en         text        NOT NULL,
    -- a path inside Gongzhi (starts with one "/"), never an outside address
    link            text        CHECK (link IS NULL OR link ~ '^/[^/\\]'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- e-mail outbox: pending while mail_status = 'PENDING' (only when gongzhi.notices.mail.enabled)
    mail_status     text        NOT NULL DEFAULT 'NONE' CHECK (mail_status IN ('NONE', 'PENDING', 'SENT', 'FAILED')),
    mail_attempts   int         NOT NULL DEFAULT 0,
    UNIQUE (organization_id, dedup_key)
);
CREATE INDEX notice_inbox_idx ON notice (organization_id, id DESC);
CREATE INDEX notice_mail_idx ON notice (id) WHERE mail_status = 'PENDING';

-- Read marks are per user: a colleague reading a reminder does not hide it from the others.
CREATE TABLE notice_read (
    notice_id bigint      NOT NULL REFERENCES notice (id),
    user_id   bigint      NOT NULL REFERENCES app_user (id),
    read_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notice_id, user_id)
);

-- Where a user wants the notices of their organization by e-mail (optional; set on /notices by the user).
ALTER TABLE app_user ADD COLUMN notice_email text CHECK (notice_email IS NULL OR length(notice_email) <= 320);
