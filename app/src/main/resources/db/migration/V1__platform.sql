-- Platform: regions (GB/T 2260), water bodies, organizations, users, API tokens, audit log, stored files.

CREATE TABLE region (
    code        char(6) PRIMARY KEY,
    name        text    NOT NULL,
    level       text    NOT NULL CHECK (level IN ('PROVINCE', 'CITY', 'COUNTY')),
    parent_code char(6) REFERENCES region (code),
    valid_from  date    NOT NULL DEFAULT DATE '2023-06-30',
    valid_to    date
);
CREATE INDEX region_parent_idx ON region (parent_code);

-- 水体. basin: the 7 major basins of 国办函〔2022〕17号 plus OTHER for 东南/西南/西北诸河.
CREATE TABLE water_body (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('RIVER', 'LAKE', 'RESERVOIR', 'CANAL')),
    basin        text NOT NULL CHECK (basin IN ('YANGTZE', 'YELLOW', 'HUAI', 'HAI', 'PEARL', 'SONGLIAO', 'TAIHU', 'OTHER')),
    hj932_code   text UNIQUE,
    target_class text CHECK (target_class IN ('I', 'II', 'III', 'IV', 'V')),
    region_code  char(6) REFERENCES region (code),
    UNIQUE (name, region_code)
);

CREATE TABLE organization (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('REGULATOR', 'PARTY')),
    name          text NOT NULL,
    -- regulators: level and jurisdiction (a region subtree, or a basin for 流域局; MINISTRY sees all)
    level         text CHECK (level IN ('MINISTRY', 'BASIN_BUREAU', 'PROVINCE', 'CITY', 'COUNTY')),
    region_code   char(6) REFERENCES region (code),
    basin         text CHECK (basin IN ('YANGTZE', 'YELLOW', 'HUAI', 'HAI', 'PEARL', 'SONGLIAO', 'TAIHU', 'OTHER')),
    -- responsible parties (责任主体)
    party_type    text CHECK (party_type IN ('ENTERPRISE', 'PARK_OPERATOR', 'WWTP_OPERATOR', 'GOVERNMENT_BACKSTOP', 'DESIGNATED')),
    uscc          char(18) UNIQUE,
    contact_phone text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'REGULATOR' AND level IS NOT NULL AND party_type IS NULL)
        OR (kind = 'PARTY' AND party_type IS NOT NULL AND level IS NULL)),
    CHECK (level IS DISTINCT FROM 'BASIN_BUREAU' OR basin IS NOT NULL),
    CHECK (level IS NULL OR level IN ('MINISTRY', 'BASIN_BUREAU') OR region_code IS NOT NULL)
);

CREATE TABLE app_user (
    id              bigserial PRIMARY KEY,
    username        text    NOT NULL UNIQUE,
    password_hash   text    NOT NULL,
    display_name    text    NOT NULL,
    role            text    NOT NULL CHECK (role IN ('ADMIN', 'REGULATOR', 'INSPECTOR', 'PARTY')),
    organization_id bigint  NOT NULL REFERENCES organization (id),
    enabled         boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- API tokens for integrations: only the SHA-256 of the token is stored.
CREATE TABLE api_token (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES app_user (id),
    name         text   NOT NULL,
    token_hash   char(64) NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

-- Append-only, hash-chained audit log. hash = SHA-256(prev_hash | at | actor | action | entity | id | reason | before | after);
-- before/after are kept as the exact JSON text that was hashed (jsonb would reorder keys).
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    entity_type text NOT NULL,
    entity_id   text NOT NULL,
    reason      text,
    before_json text,
    after_json  text,
    prev_hash   char(64) NOT NULL,
    hash        char(64) NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Photos and documents. Content type is decided from the magic bytes, never from the client's header.
CREATE TABLE stored_file (
    id           bigserial PRIMARY KEY,
    owner_type   text   NOT NULL,
    owner_id     bigint NOT NULL,
    kind         text   NOT NULL CHECK (kind IN ('PHOTO', 'DOCUMENT')),
    filename     text   NOT NULL,
    content_type text   NOT NULL,
    size_bytes   bigint NOT NULL,
    sha256       char(64) NOT NULL,
    content      bytea  NOT NULL,
    uploaded_by  text   NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stored_file_owner_idx ON stored_file (owner_type, owner_id);
