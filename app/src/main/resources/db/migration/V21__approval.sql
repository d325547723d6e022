-- Approval (审批) and registration (登记) cases of outfalls (issue 5), under 《入河排污口监督管理办法》 Arts 11–23 and
-- the time limits of 《行政许可法》 Arts 32, 42, 45, counted in working days (see the working-day calendar, V20).

-- Who decides: a rule table per province (办法: the province decides and publishes the approval authority outside the
-- basin bureaus' scope). First matching rule by (province-specific before national, then priority) wins.
CREATE TABLE approval_authority_rule (
    id              bigserial PRIMARY KEY,
    province_code   char(2),                     -- null: applies in every province
    priority        int  NOT NULL,
    criterion       text NOT NULL CHECK (criterion IN ('WATER_BODY', 'REGION', 'EIA_LEVEL', 'ANY')),
    criterion_value text,                        -- water body id, region code prefix, or EIA level; null for ANY
    authority_level text NOT NULL CHECK (authority_level IN ('BASIN_BUREAU', 'PROVINCE', 'CITY', 'COUNTY', 'SAME_AS_EIA')),
    note            text NOT NULL
);
-- Documented default (docs/approval.md): the level that approved the project's EIA (浙江、安徽 practice,
-- outfall-regulation.md §1.3), otherwise the city bureau (设区的市级生态环境主管部门).
INSERT INTO approval_authority_rule (province_code, priority, criterion, criterion_value, authority_level, note) VALUES
    (NULL, 100, 'EIA_LEVEL', NULL, 'SAME_AS_EIA', '与建设项目环评审批同级（浙江、安徽做法）/ same level as the project''s EIA approval'),
    (NULL, 900, 'ANY', NULL, 'CITY', '默认：设区的市级生态环境主管部门 / default: the city bureau');

-- Reasons for refusing an approval: a catalogue (data, extended by SQL or migration) plus free text on each decision.
CREATE TABLE approval_refusal_reason (
    code  text PRIMARY KEY,
    zh    text NOT NULL,
    en    text NOT NULL,
    basis text NOT NULL,
    sort  int  NOT NULL
);
INSERT INTO approval_refusal_reason (code, zh, en, basis, sort) VALUES
    ('DRINKING_WATER_SOURCE', '位于饮用水水源保护区内', 'inside a drinking-water source protection zone',
     '《水污染防治法》第六十四条、第六十五条；《入河排污口监督管理办法》', 10),
    ('PROTECTED_AREA', '位于自然保护地等依法禁止设置排污口的区域', 'inside a nature reserve or another area where outfalls are prohibited',
     '《入河排污口监督管理办法》禁止设置情形', 20),
    ('WATER_QUALITY_TARGET', '受纳水体水质未达到水功能区或水环境质量目标要求，且不能削减替代', 'the receiving water misses its quality target and no offset is available',
     '国办函〔2022〕17号；《入河排污口监督管理办法》', 30),
    ('DEMONSTRATION_INSUFFICIENT', '论证报告或简要分析材料结论不可行或依据不足', 'the demonstration report is inconclusive or does not support the setting',
     '《入河排污口监督管理办法》第十五条', 40),
    ('OTHER', '其他（见说明）', 'other (see the explanation)', '—', 99);

-- One case: an approval application (新设/改设/扩大), a change (变更), a cancellation (注销) or a registration (登记).
CREATE TABLE approval_case (
    id                     bigserial PRIMARY KEY,
    kind                   text NOT NULL CHECK (kind IN ('APPROVAL', 'CHANGE', 'CANCELLATION', 'REGISTRATION')),
    setting_type           text CHECK (setting_type IN ('NEW', 'MODIFY', 'EXPAND')),
    state                  text NOT NULL,
    case_number            text UNIQUE,          -- 受理编号, issued on acceptance (or 登记编号 for registrations)
    applicant_org_id       bigint NOT NULL REFERENCES organization (id),
    entered_by             text NOT NULL,
    paper                  boolean NOT NULL,     -- a paper application entered by staff
    outfall_id             bigint REFERENCES outfall (id), -- existing outfall; for NEW set on approval
    -- the outfall as applied for
    outfall_name           text NOT NULL,
    type_code              text NOT NULL REFERENCES outfall_type (code),
    region_code            char(6) NOT NULL REFERENCES region (code),
    water_body_id          bigint REFERENCES water_body (id),
    longitude              numeric(9, 6),
    latitude               numeric(8, 6),
    discharge_mode         text,
    discharge_pattern      text,
    destination            text,
    design_capacity        numeric(12, 2),       -- m³/d applied for
    -- 申请书
    application            jsonb NOT NULL,       -- project, industry, EIA level, toxic discharge, pollutants, party shares…
    needs_full_report      boolean NOT NULL,
    full_report_reasons    text[] NOT NULL,
    -- routing
    authority_level        text NOT NULL,
    authority_region_code  char(6),
    authority_basin        text,
    authority_rule_id      bigint REFERENCES approval_authority_rule (id),
    -- the clock (dates in China time; deadlines stored when the clock starts, moved only by recorded pauses and the extension)
    received_on            date NOT NULL,
    completeness_deadline  date,
    supplement_requested_on date,
    supplement_items       text,
    supplemented_on        date,
    accepted_on            date,
    deemed_accepted        boolean NOT NULL DEFAULT false,
    decision_deadline      date,
    extended               boolean NOT NULL DEFAULT false,
    extension_reason       text,
    decided_on             date,
    decision_number        text UNIQUE,
    decision               jsonb,                -- approval: location, water body, mode, destination, volume, limits, conditions
    refusal_codes          text[],
    refusal_text           text,
    return_reasons         text,
    version                int NOT NULL,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL
);
CREATE INDEX approval_case_region_idx ON approval_case (region_code bpchar_pattern_ops);
CREATE INDEX approval_case_applicant_idx ON approval_case (applicant_org_id);
CREATE INDEX approval_case_authority_idx ON approval_case (authority_level, authority_region_code, state);

-- Clock stops (行政许可法 Art 45; 办法 Art 13): expert review, hearing, site inspection, waiting for supplements.
CREATE TABLE approval_pause (
    id           bigserial PRIMARY KEY,
    case_id      bigint NOT NULL REFERENCES approval_case (id),
    reason       text NOT NULL CHECK (reason IN ('EXPERT_REVIEW', 'HEARING', 'SITE_INSPECTION', 'SUPPLEMENT')),
    note         text,
    started_on   date NOT NULL,
    ended_on     date,
    paused_days  int,                             -- working days not counted, fixed when the pause ends
    started_by   text NOT NULL,
    ended_by     text
);
CREATE UNIQUE INDEX approval_pause_open_idx ON approval_pause (case_id) WHERE ended_on IS NULL;

-- Uploaded materials (the files themselves are in stored_file, owner approval_case).
CREATE TABLE approval_material (
    id          bigserial PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES approval_case (id),
    kind        text NOT NULL CHECK (kind IN ('APPLICATION_FORM', 'FULL_REPORT', 'BRIEF_ANALYSIS', 'PROJECT_BASIS',
                                              'REGISTRATION_FORM', 'SUPPLEMENT', 'OTHER')),
    file_id     bigint NOT NULL REFERENCES stored_file (id),
    uploaded_on date NOT NULL
);
CREATE INDEX approval_material_case_idx ON approval_material (case_id);

-- Generated documents: the PDF as issued is stored once and never changed (trigger below); the verification code
-- printed on it finds this row.
CREATE TABLE approval_document (
    id                bigserial PRIMARY KEY,
    case_id           bigint NOT NULL REFERENCES approval_case (id),
    kind              text NOT NULL CHECK (kind IN ('ACCEPTANCE', 'SUPPLEMENT', 'DECISION', 'REFUSAL', 'REGISTRATION_RECEIPT',
                                                    'RETURN', 'EXTENSION')),
    number            text NOT NULL,
    verification_code text NOT NULL UNIQUE,
    file_id           bigint NOT NULL REFERENCES stored_file (id),
    sha256            text NOT NULL,
    issued_on         date NOT NULL,
    issued_by         text NOT NULL,
    issued_at         timestamptz NOT NULL
);
CREATE INDEX approval_document_case_idx ON approval_document (case_id);

CREATE FUNCTION approval_document_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'approval documents are immutable once issued';
END $$;
CREATE TRIGGER approval_document_no_change BEFORE UPDATE OR DELETE ON approval_document
    FOR EACH ROW EXECUTE FUNCTION approval_document_immutable();

-- Case, decision and registration numbers: per authority and year, only ever incremented.
CREATE TABLE approval_number_sequence (
    series text NOT NULL,
    year   int  NOT NULL,
    last   int  NOT NULL,
    PRIMARY KEY (series, year)
);
