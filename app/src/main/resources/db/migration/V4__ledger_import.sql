-- Ledger imports (台账导入): a checked upload waits here until its user accepts it.
-- The original file is kept (bounded by gongzhi.ledger.import.max-bytes), so that the accept step parses and
-- validates it again against the ledger as it is at that moment: what is written has passed validation when it
-- is written, and an update is based on the outfall's current version.
CREATE TABLE ledger_import (
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
    -- counts of what the accept step wrote
    result      jsonb
);
CREATE INDEX ledger_import_user_idx ON ledger_import (created_by, created_at DESC);
CREATE INDEX ledger_import_sha_idx ON ledger_import (sha256);

-- Imports match rows without a national code by region and name; without this index every lookup scans the region.
CREATE INDEX outfall_region_name_idx ON outfall (region_code, name);
CREATE INDEX outfall_region_local_code_idx ON outfall (region_code, local_code);
