-- Online monitoring (在线监测): data loggers (数采仪), the measurement store, the raw packet archive, rejected
-- frames and tracked host commands. Read and written only by org.gongzhi.monitoring (docs/monitoring.md).

-- 数采仪. PW arrives in clear in every HJ 212 packet; we keep only a salted SHA-256 of it and compare in constant
-- time. outfall_id is the ledger's outfall id: no foreign key into the ledger's tables (module boundary; the
-- monitoring code checks outfalls through the ledger's Java API), so the measurement tables can be distributed
-- by outfall later (Citus) without the ledger.
CREATE TABLE data_logger (
    id                  bigserial PRIMARY KEY,
    mn                  text        NOT NULL UNIQUE,
    password_salt       bytea       NOT NULL,
    password_hash       bytea       NOT NULL,
    outfall_id          bigint      NOT NULL,
    expected_factors    text[]      NOT NULL DEFAULT '{}',
    interval_seconds    int         NOT NULL CHECK (interval_seconds BETWEEN 30 AND 86400),
    lenient_crc         boolean     NOT NULL DEFAULT false,
    registered_at       timestamptz NOT NULL,
    registered_by       text        NOT NULL,
    last_seen_at        timestamptz,
    last_remote_address text,
    enabled             boolean     NOT NULL DEFAULT true
);
CREATE INDEX data_logger_outfall_idx ON data_logger (outfall_id);

-- One value set per outfall × kind × data_time × factor × source. The primary key is the natural idempotency
-- key: a resent packet inserts nothing (ON CONFLICT DO NOTHING) and is counted as a duplicate.
-- Partitioned by month of data_time (China time); partitions are created ahead by MeasurementPartitions, and
-- the DEFAULT partition catches data far in the past or future (broken logger clocks, old history uploads).
CREATE TABLE measurement (
    outfall_id  bigint           NOT NULL,
    kind        text             NOT NULL CHECK (kind IN ('REALTIME', 'MINUTE', 'HOUR', 'DAY')),
    data_time   timestamptz      NOT NULL,
    factor      text             NOT NULL,
    source      text             NOT NULL CHECK (source IN ('HJ212', 'MANUAL', 'LAB')),
    rtd         double precision,
    min         double precision,
    avg         double precision,
    max         double precision,
    cou         double precision,
    flag        text,
    received_at timestamptz      NOT NULL,
    packet_id   bigint,
    PRIMARY KEY (outfall_id, kind, data_time, factor, source)
) PARTITION BY RANGE (data_time);
CREATE TABLE measurement_default PARTITION OF measurement DEFAULT;

-- Every authenticated packet as received (Deflater-compressed bytes), for audits and re-processing. Partitioned
-- by month of received_at; RawPacketRetention drops whole months past the retention and deletes the rest.
CREATE TABLE raw_packet (
    id          bigint      NOT NULL,
    received_at timestamptz NOT NULL,
    mn          text        NOT NULL,
    cn          int         NOT NULL,
    qn          text,
    remote      text,
    raw         bytea       NOT NULL,
    PRIMARY KEY (id, received_at)
) PARTITION BY RANGE (received_at);
CREATE TABLE raw_packet_default PARTITION OF raw_packet DEFAULT;
CREATE SEQUENCE raw_packet_id_seq;
CREATE INDEX raw_packet_mn_idx ON raw_packet (mn, received_at);

-- Every frame the gateway refused: bad framing/CRC (Hj212Error) or failed authentication (AUTH_*). Bounded by
-- count and age (RejectedFrames.prune).
CREATE TABLE rejected_frame (
    id          bigserial   PRIMARY KEY,
    received_at timestamptz NOT NULL,
    remote      text,
    mn          text,
    cn          int,
    reason      text        NOT NULL,
    detail      text,
    raw         bytea
);
CREATE INDEX rejected_frame_received_idx ON rejected_frame (received_at DESC);
CREATE INDEX rejected_frame_mn_idx ON rejected_frame (mn, received_at DESC) WHERE mn IS NOT NULL;

-- Commands the host sent to a logger, tracked until the logger's 9011 (QnRtn) and 9012 (ExeRtn) arrive.
CREATE TABLE host_command (
    id          bigserial   PRIMARY KEY,
    mn          text        NOT NULL,
    cn          int         NOT NULL,
    qn          text        NOT NULL,
    params      text,
    sent_by     text        NOT NULL,
    sent_at     timestamptz NOT NULL,
    answered_at timestamptz,
    qn_rtn      int,
    exe_rtn     int,
    status      text        NOT NULL CHECK (status IN ('SENT', 'ACCEPTED', 'REFUSED', 'DONE', 'FAILED', 'TIMEOUT'))
);
CREATE UNIQUE INDEX host_command_qn_idx ON host_command (mn, qn);
