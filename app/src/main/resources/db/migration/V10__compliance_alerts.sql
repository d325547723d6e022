-- Compliance alerts (issue 4): findings raise alerts to the regulators with jurisdiction over the outfall and to its
-- responsible parties; an in-app inbox, webhooks and e-mail through one outbox; escalation county → city → province.
-- Read and written only by org.gongzhi.compliance (docs/compliance.md). organization_id and user_id are platform
-- ids, without foreign keys (module boundary, as outfall_id in V9).

-- A data logger that stops talking is a finding too (monitoring's DeviceWentOffline), so that it reaches the inbox.
ALTER TABLE finding DROP CONSTRAINT finding_kind_check;
ALTER TABLE finding ADD CONSTRAINT finding_kind_check
    CHECK (kind IN ('INSTANT_EXCEEDANCE', 'VIOLATION', 'INSUFFICIENT_DATA', 'CHRONIC', 'TRC', 'DEVICE_OFFLINE'));

-- Outfall limits written from an approval decision name the case, so that a redelivered event is not applied twice.
ALTER TABLE outfall_limit ADD COLUMN decision_case_id bigint;
CREATE INDEX outfall_limit_decision_idx ON outfall_limit (outfall_id, source, valid_from);

-- One alert per outfall × factor × window: an early warning, then the day's violation, are one alert whose kind
-- rises with the most severe finding of the window (deduplication, issue 4 "Alerts").
CREATE TABLE alert (
    id               bigserial PRIMARY KEY,
    outfall_id       bigint      NOT NULL,
    factor           text        NOT NULL,
    window_start     timestamptz NOT NULL,
    window_end       timestamptz NOT NULL,
    kind             text        NOT NULL,   -- of the most severe finding so far
    severity         int         NOT NULL,
    finding_id       bigint      NOT NULL REFERENCES finding (id),
    summary_zh       text        NOT NULL,
    summary_en       text        NOT NULL,
    level            text        NOT NULL CHECK (level IN ('NONE', 'COUNTY', 'CITY', 'PROVINCE')),  -- highest regulator level told
    status           text        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ACKNOWLEDGED')),
    acknowledged_by  text,
    acknowledged_at  timestamptz,
    acknowledge_note text,
    raised_at        timestamptz NOT NULL,
    notified_at      timestamptz NOT NULL,   -- last (re)notification: the escalation clock runs from here
    updated_at       timestamptz NOT NULL,
    UNIQUE (outfall_id, factor, window_start, window_end)
);
CREATE INDEX alert_open_idx ON alert (notified_at) WHERE status = 'OPEN';

-- Who an alert was sent to: organizations (every user of a recipient organization sees it in the inbox).
CREATE TABLE alert_recipient (
    alert_id        bigint      NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
    organization_id bigint      NOT NULL,
    role            text        NOT NULL CHECK (role IN ('REGULATOR', 'PARTY')),
    level           text,       -- COUNTY / CITY / PROVINCE for regulators
    added_at        timestamptz NOT NULL,
    PRIMARY KEY (alert_id, organization_id)
);
CREATE INDEX alert_recipient_org_idx ON alert_recipient (organization_id, alert_id DESC);

-- Which user has opened which alert (the unread count in the navigation).
CREATE TABLE alert_read (
    alert_id bigint      NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
    user_id  bigint      NOT NULL,
    read_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, alert_id)
);

-- Where an organization wants its alerts pushed: a webhook URL (with its HMAC-SHA256 key) or an e-mail address.
CREATE TABLE alert_channel (
    id              bigserial PRIMARY KEY,
    organization_id bigint      NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('WEBHOOK', 'EMAIL')),
    target          text        NOT NULL,
    secret          text,       -- webhook signing key: shown once when created, never logged
    enabled         boolean     NOT NULL DEFAULT true,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    CHECK ((kind = 'WEBHOOK') = (secret IS NOT NULL)),
    UNIQUE (organization_id, kind, target)
);

-- The outbox: one row per alert event × channel, retried with exponential backoff until delivered or given up.
CREATE TABLE alert_delivery (
    id              bigserial PRIMARY KEY,
    channel_id      bigint      NOT NULL REFERENCES alert_channel (id) ON DELETE CASCADE,
    alert_id        bigint      NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
    event           text        NOT NULL CHECK (event IN ('RAISED', 'SEVERITY_RAISED', 'ESCALATED')),
    payload         text        NOT NULL,   -- the exact JSON body that is signed and sent
    status          text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    delivered_at    timestamptz
);
CREATE INDEX alert_delivery_due_idx ON alert_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX alert_delivery_channel_idx ON alert_delivery (channel_id, id DESC);

-- The delivery log: every attempt with its outcome.
CREATE TABLE alert_delivery_attempt (
    id          bigserial PRIMARY KEY,
    delivery_id bigint      NOT NULL REFERENCES alert_delivery (id) ON DELETE CASCADE,
    at          timestamptz NOT NULL,
    http_status int,
    error       text,
    duration_ms int         NOT NULL
);
CREATE INDEX alert_delivery_attempt_idx ON alert_delivery_attempt (delivery_id, id);
