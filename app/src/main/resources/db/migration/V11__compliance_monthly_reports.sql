-- Monthly compliance reports (the DMR model, anchors-and-standards.md §1.1): generated from the data for one outfall
-- and month, completed by the responsible party with no-data codes (NODI, anchors §1.1) and comments, and signed.
-- The signed copy (canonical JSON, its SHA-256 and the PDF) is stored and never regenerated: a trigger refuses any
-- change or deletion of a signed row. Read and written only by org.gongzhi.compliance.
CREATE TABLE monthly_report (
    id             bigserial PRIMARY KEY,
    outfall_id     bigint      NOT NULL,
    month          date        NOT NULL CHECK (extract(day FROM month) = 1),
    status         text        NOT NULL CHECK (status IN ('DRAFT', 'SIGNED')),
    codes          jsonb       NOT NULL DEFAULT '{}',   -- factor → NODI code entered by the party
    comments       text,
    content        text,                                -- the canonical JSON that was signed
    content_sha256 char(64),
    pdf            bytea,
    signed_by      text,
    signed_by_name text,
    signed_at      timestamptz,
    updated_by     text        NOT NULL,
    updated_at     timestamptz NOT NULL,
    UNIQUE (outfall_id, month),
    CHECK (status = 'DRAFT' OR (content IS NOT NULL AND content_sha256 IS NOT NULL AND pdf IS NOT NULL
                                AND signed_by IS NOT NULL AND signed_at IS NOT NULL))
);

CREATE FUNCTION monthly_report_signed_is_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'SIGNED' THEN
        RAISE EXCEPTION 'monthly report % is signed and cannot be changed', OLD.id;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER monthly_report_immutable BEFORE UPDATE OR DELETE ON monthly_report
    FOR EACH ROW EXECUTE FUNCTION monthly_report_signed_is_immutable();
