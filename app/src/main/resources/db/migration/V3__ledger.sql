-- The outfall ledger (入河排污口管理台账).

-- HJ 1312-2023 taxonomy as data. requires_approval decides the regime (办法: 工矿企业排污口、园区污水处理厂排污口、
-- 城镇污水处理厂排污口 are approved (审批); all others are registered (登记)). Storm outlets (雨洪排口) default to
-- registration: the 办法 names only 排污口 for approval, an inference to be confirmed (outfall-regulation.md §1.6).
-- Rows after OTH_SMALL_LIVESTOCK are not confirmed against the HJ 1312 text (§2.2 †).
CREATE TABLE outfall_type (
    code              text PRIMARY KEY,
    level1            text    NOT NULL CHECK (level1 IN ('INDUSTRIAL', 'URBAN_WWTP', 'AGRICULTURAL', 'OTHER')),
    name_zh           text    NOT NULL,
    name_en           text    NOT NULL,
    requires_approval boolean NOT NULL,
    sort              int     NOT NULL
);
INSERT INTO outfall_type (code, level1, name_zh, name_en, requires_approval, sort) VALUES
('IND_ENT',             'INDUSTRIAL',   '工业企业排污口',                 'Industrial enterprise outfall',            true,  10),
('IND_MINE',            'INDUSTRIAL',   '矿山排污口',                     'Mine outfall',                             true,  20),
('IND_TAILINGS',        'INDUSTRIAL',   '尾矿库排污口',                   'Tailings pond outfall',                    true,  30),
('IND_ENT_STORM',       'INDUSTRIAL',   '工业企业雨洪排口',               'Industrial enterprise storm outlet',       false, 40),
('IND_MINE_STORM',      'INDUSTRIAL',   '矿山雨洪排口',                   'Mine storm outlet',                        false, 50),
('IND_TAILINGS_STORM',  'INDUSTRIAL',   '尾矿库雨洪排口',                 'Tailings pond storm outlet',               false, 60),
('PARK_WWTP',           'INDUSTRIAL',   '工业及其他各类园区污水处理厂排污口', 'Park wastewater treatment plant outfall', true,  70),
('PARK_WWTP_STORM',     'INDUSTRIAL',   '工业及其他各类园区污水处理厂雨洪排口', 'Park WWTP storm outlet',              false, 80),
('URBAN_WWTP',          'URBAN_WWTP',   '城镇污水处理厂排污口',           'Municipal wastewater treatment plant outfall', true, 90),
('AGR_LIVESTOCK',       'AGRICULTURAL', '规模化畜禽养殖排污口',           'Large-scale livestock farm outfall',       false, 100),
('AGR_AQUA',            'AGRICULTURAL', '规模化水产养殖排污口',           'Large-scale aquaculture outfall',          false, 110),
('OTH_IRRIGATION',      'OTHER',        '大中型灌区排口',                 'Large/medium irrigation district outlet',  false, 120),
('OTH_PORT',            'OTHER',        '港口码头排口',                   'Port and wharf outlet',                    false, 130),
('OTH_SMALL_LIVESTOCK', 'OTHER',        '规模以下畜禽养殖排污口',         'Small livestock farm outfall',             false, 140),
('OTH_SMALL_AQUA',      'OTHER',        '规模以下水产养殖排污口',         'Small aquaculture outfall',                false, 150),
('OTH_URBAN_SCATTERED', 'OTHER',        '城镇生活污水散排口',             'Scattered urban domestic sewage outlet',   false, 160),
('OTH_RURAL_WWTP',      'OTHER',        '农村污水处理设施排污口',         'Rural sewage treatment facility outfall',  false, 170),
('OTH_RURAL_SCATTERED', 'OTHER',        '农村生活污水散排口',             'Scattered rural domestic sewage outlet',   false, 180),
('OTH_URBAN_STORM',     'OTHER',        '城镇雨洪排口',                   'Urban storm outlet',                       false, 190),
('OTH_OTHER',           'OTHER',        '其他排口',                       'Other outlet',                             false, 200);

-- Sequence numbers behind national codes. Only ever incremented, so a code is never issued twice, even after 注销.
CREATE TABLE code_sequence (
    prefix     text PRIMARY KEY,
    last_value int  NOT NULL
);

CREATE TABLE outfall (
    id                bigserial PRIMARY KEY,
    national_code     text    NOT NULL UNIQUE,
    local_code        text,
    name              text    NOT NULL,
    type_code         text    NOT NULL REFERENCES outfall_type (code),
    regime            text    NOT NULL CHECK (regime IN ('APPROVAL', 'REGISTRATION')),
    lifecycle         text    NOT NULL CHECK (lifecycle IN ('SUSPECTED', 'VERIFIED', 'MONITORED', 'TRACED',
                              'REMEDIATION_PLANNED', 'REMEDIATED', 'UNDER_SUPERVISION', 'CANCELLED', 'NOT_AN_OUTFALL')),
    region_code       char(6) NOT NULL REFERENCES region (code),
    water_body_id     bigint  REFERENCES water_body (id),
    longitude         numeric(9, 6),
    latitude          numeric(8, 6),
    discharge_mode    text,
    discharge_pattern text,
    design_capacity   numeric(12, 2) CHECK (design_capacity >= 0),
    sampling_points   jsonb   NOT NULL DEFAULT '[]',
    inspection_wells  jsonb   NOT NULL DEFAULT '[]',
    signboard         jsonb,
    version           int     NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    updated_by        text    NOT NULL
);
CREATE INDEX outfall_region_idx ON outfall (region_code bpchar_pattern_ops, id);
CREATE INDEX outfall_type_idx ON outfall (type_code);
CREATE INDEX outfall_lifecycle_idx ON outfall (lifecycle);
CREATE INDEX outfall_water_body_idx ON outfall (water_body_id);
CREATE INDEX outfall_local_code_idx ON outfall (local_code);

-- 责任主体 of an outfall; several for a shared outfall, one of them the lead, each with its share (办法 Art 16).
CREATE TABLE outfall_party (
    outfall_id      bigint  NOT NULL REFERENCES outfall (id),
    organization_id bigint  NOT NULL REFERENCES organization (id),
    lead            boolean NOT NULL,
    share_percent   numeric(5, 2) CHECK (share_percent > 0 AND share_percent <= 100),
    PRIMARY KEY (outfall_id, organization_id)
);
CREATE INDEX outfall_party_org_idx ON outfall_party (organization_id);

-- Every version of every outfall, as the JSON snapshot the API returns. valid_to is null for the current version.
CREATE TABLE outfall_version (
    outfall_id bigint      NOT NULL REFERENCES outfall (id),
    version    int         NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_to   timestamptz,
    changed_by text        NOT NULL,
    reason     text,
    snapshot   jsonb       NOT NULL,
    PRIMARY KEY (outfall_id, version)
);
CREATE INDEX outfall_version_time_idx ON outfall_version (valid_from, valid_to);
