-- Manual and laboratory results (手工监测 / 监督监测) and device alerts. Read and written only by
-- org.gongzhi.monitoring (docs/monitoring.md). The values themselves go into `measurement` (source MANUAL or LAB,
-- same natural key as HJ 212 data); this file adds what only sampled results have, the import batches, and the
-- offline alerts of data loggers.

-- A checked upload waits here until its user accepts it. The original file is kept so that the accept step parses
-- and validates it again against the store as it is then.
CREATE TABLE measurement_import (
    id          bigserial PRIMARY KEY,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    filename    text        NOT NULL,
    format      text        NOT NULL CHECK (format IN ('CSV', 'XLSX')),
    sha256      char(64)    NOT NULL,
    size_bytes  bigint      NOT NULL,
    content     bytea       NOT NULL,
    status      text        NOT NULL CHECK (status IN ('CHECKED', 'ACCEPTED')),
    -- counts and problems of the check: {counts: {...}, problems: [...], notices: [...], truncated: bool}
    report      jsonb       NOT NULL,
    accepted_at timestamptz,
    -- counts and problems of the accept step
    result      jsonb
);
CREATE INDEX measurement_import_user_idx ON measurement_import (created_by, created_at DESC);
CREATE INDEX measurement_import_sha_idx ON measurement_import (sha256);

-- What a sampled result carries besides its value, keyed like its measurement row (one side row per MANUAL/LAB
-- measurement written by an import). Kept out of `measurement` so the HJ 212 hot path stays narrow.
-- below_detection: the lab reported "not detected" (ND, "<0.05", "0.05L"); the value, if any, is the detection limit.
-- original_value/original_unit: the cell text as read, before any unit conversion.
CREATE TABLE measurement_sample (
    outfall_id      bigint      NOT NULL,
    kind            text        NOT NULL,
    data_time       timestamptz NOT NULL,
    factor          text        NOT NULL,
    source          text        NOT NULL CHECK (source IN ('MANUAL', 'LAB')),
    below_detection boolean     NOT NULL DEFAULT false,
    original_value  text,
    original_unit   text,
    sampler         text,
    lab             text,
    report_no       text,
    import_id       bigint      NOT NULL REFERENCES measurement_import (id),
    PRIMARY KEY (outfall_id, kind, data_time, factor, source)
);
CREATE INDEX measurement_sample_import_idx ON measurement_sample (import_id);

-- Device alerts (设备告警): one OFFLINE row per outage of a data logger, raised when its last contact is older than
-- offline-after-intervals × its interval, cleared (cleared_at) when it talks again. The partial unique index makes
-- "one open alert per device" hold even when two instances run the check at the same moment.
CREATE TABLE device_alert (
    id           bigserial   PRIMARY KEY,
    mn           text        NOT NULL,
    outfall_id   bigint      NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('OFFLINE')),
    last_contact timestamptz,
    raised_at    timestamptz NOT NULL,
    cleared_at   timestamptz,
    CHECK (cleared_at IS NULL OR cleared_at >= raised_at)
);
CREATE UNIQUE INDEX device_alert_open_idx ON device_alert (mn, kind) WHERE cleared_at IS NULL;
CREATE INDEX device_alert_outfall_idx ON device_alert (outfall_id, raised_at DESC);
