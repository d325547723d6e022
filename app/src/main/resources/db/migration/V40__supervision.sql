-- Field supervision (现场监管): 排查整治 campaigns, inspections, rectification orders, the responsible party's duties.
-- Read and written only by org.gongzhi.supervision (docs/supervision.md). Outfalls, organizations, regions and water
-- bodies belong to other modules and are referred to by id without foreign keys (as compliance does).
--
-- Jurisdiction: every record bound to an outfall carries a copy of the outfall's region_code, water_body_id and the
-- party it concerns (party_id) at the time it was written, so that every read is scoped in its own SQL
-- (region prefix, basin water bodies, or the party) without reading the ledger's tables.

-- 排查整治 campaign (国办函〔2022〕17号: 查、测、溯、治、管). Area = a region subtree and/or water bodies; a basin
-- bureau's 流域抽查 names its basin instead of a region.
CREATE TABLE campaign (
    id                 bigserial PRIMARY KEY,
    name               text        NOT NULL,
    level              text        NOT NULL CHECK (level IN ('SELF_CHECK', 'PROVINCIAL_CHECK', 'BASIN_SPOT_CHECK')),
    region_code        char(6),
    basin              text,
    water_body_ids     bigint[]    NOT NULL DEFAULT '{}',
    starts_on          date        NOT NULL,
    ends_on            date        NOT NULL,
    organizer_id       bigint      NOT NULL,
    participant_ids    bigint[]    NOT NULL DEFAULT '{}',
    duplicate_radius_m int         NOT NULL CHECK (duplicate_radius_m BETWEEN 1 AND 5000),
    created_by         text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on),
    CHECK (region_code IS NOT NULL OR basin IS NOT NULL)
);
CREATE INDEX campaign_region_idx ON campaign (region_code bpchar_pattern_ops);

-- A suspected outfall of the three-level survey: level 1 from remote sensing / UAV interpretation (imported), level 3
-- from gap filling (疑难点查缺补漏, added in the field). Level 2 is the field verification of each point.
-- nearest_*: the closest ledger outfall at import, when within the campaign's duplicate radius (a possible duplicate).
CREATE TABLE campaign_point (
    id                  bigserial PRIMARY KEY,
    campaign_id         bigint        NOT NULL REFERENCES campaign (id),
    survey_level        smallint      NOT NULL CHECK (survey_level IN (1, 3)),
    source              text          NOT NULL CHECK (source IN ('UAV', 'SATELLITE', 'FIELD')),
    ref                 text          NOT NULL,
    longitude           numeric(9, 6) NOT NULL,
    latitude            numeric(8, 6) NOT NULL,
    region_code         char(6)       NOT NULL,
    water_body_id       bigint,
    type_hint           text,
    note                text,
    nearest_outfall_id  bigint,
    nearest_distance_m  numeric(8, 1),
    status              text          NOT NULL DEFAULT 'SUSPECTED'
                        CHECK (status IN ('SUSPECTED', 'CONFIRMED', 'REJECTED', 'MERGED')),
    outfall_id          bigint,
    verified_by         text,
    verified_at         timestamptz,
    verified_longitude  numeric(9, 6),
    verified_latitude   numeric(8, 6),
    verification_note   text,
    created_by          text          NOT NULL,
    created_at          timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (campaign_id, ref)
);
CREATE INDEX campaign_point_campaign_idx ON campaign_point (campaign_id, status);

-- The outfalls a campaign works on (from confirmed points, or existing ledger outfalls added to it).
CREATE TABLE campaign_outfall (
    campaign_id   bigint      NOT NULL REFERENCES campaign (id),
    outfall_id    bigint      NOT NULL,
    region_code   char(6)     NOT NULL,
    water_body_id bigint,
    point_id      bigint REFERENCES campaign_point (id),
    added_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, outfall_id)
);
CREATE INDEX campaign_outfall_outfall_idx ON campaign_outfall (outfall_id);

-- 测: a sampling task for a verified outfall. Lab results come through the monitoring results import and are
-- matched by outfall and sampling time (status RESULTS_IN once at least one value is stored for that time).
CREATE TABLE sampling_task (
    id            bigserial PRIMARY KEY,
    campaign_id   bigint REFERENCES campaign (id),
    outfall_id    bigint      NOT NULL,
    region_code   char(6)     NOT NULL,
    water_body_id bigint,
    party_id      bigint,
    due_on        date        NOT NULL,
    factors       text[]      NOT NULL DEFAULT '{}',
    status        text        NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED', 'SAMPLED', 'RESULTS_IN')),
    sampled_at    timestamptz,
    sampler       text,
    sample_note   text,
    result_count  int         NOT NULL DEFAULT 0,
    results_at    timestamptz,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sampling_task_outfall_idx ON sampling_task (outfall_id, status);
CREATE INDEX sampling_task_campaign_idx ON sampling_task (campaign_id);

-- 溯: who is responsible (谁污染、谁治理), or the local government as backstop, with the evidence.
CREATE TABLE trace_record (
    id            bigserial PRIMARY KEY,
    campaign_id   bigint REFERENCES campaign (id),
    outfall_id    bigint      NOT NULL,
    region_code   char(6)     NOT NULL,
    water_body_id bigint,
    party_id      bigint      NOT NULL,
    backstop      boolean     NOT NULL,
    method        text        NOT NULL,
    evidence      text        NOT NULL,
    traced_by     text        NOT NULL,
    traced_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trace_record_outfall_idx ON trace_record (outfall_id);
CREATE INDEX trace_record_campaign_idx ON trace_record (campaign_id);

-- 治: 一口一策 — one open plan per outfall: 取缔 BAN, 合并 MERGE (into another outfall or the sewer network),
-- 规范 REGULARIZE; completion counts only once a regulator has verified it with evidence.
CREATE TABLE remediation_plan (
    id                  bigserial PRIMARY KEY,
    campaign_id         bigint REFERENCES campaign (id),
    outfall_id          bigint      NOT NULL,
    region_code         char(6)     NOT NULL,
    water_body_id       bigint,
    party_id            bigint,
    action              text        NOT NULL CHECK (action IN ('BAN', 'MERGE', 'REGULARIZE')),
    merge_into_outfall  bigint,
    merge_into_sewer    boolean     NOT NULL DEFAULT false,
    measures            text        NOT NULL,
    deadline            date        NOT NULL,
    accountable_id      bigint      NOT NULL,
    status              text        NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED', 'REPORTED', 'VERIFIED')),
    completion_note     text,
    reported_by         text,
    reported_at         timestamptz,
    verified_by         text,
    verified_at         timestamptz,
    verification_note   text,
    escalated_at        timestamptz,
    created_by          text        NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (action <> 'MERGE' OR merge_into_outfall IS NOT NULL OR merge_into_sewer)
);
CREATE UNIQUE INDEX remediation_plan_open_idx ON remediation_plan (outfall_id) WHERE status <> 'VERIFIED';
CREATE INDEX remediation_plan_campaign_idx ON remediation_plan (campaign_id);
CREATE INDEX remediation_plan_deadline_idx ON remediation_plan (deadline) WHERE status <> 'VERIFIED';

-- 现场检查 plan: a random selection by rules (share of outfalls per level-1 type per quarter, weighted by open
-- compliance findings), reproducible from its seed.
CREATE TABLE inspection_plan (
    id           bigserial PRIMARY KEY,
    name         text        NOT NULL,
    region_code  char(6)     NOT NULL,
    quarter      text        NOT NULL CHECK (quarter ~ '^\d{4}Q[1-4]$'),
    rules        jsonb       NOT NULL,
    seed         bigint      NOT NULL,
    inspector    text        NOT NULL,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inspection_plan_region_idx ON inspection_plan (region_code bpchar_pattern_ops);

-- One on-site inspection. The signatures are typed names with a timestamp; content_hash (SHA-256 over the record as
-- completed) is what both signed, so a later change to the record is detectable.
CREATE TABLE inspection (
    id                   bigserial PRIMARY KEY,
    plan_id              bigint REFERENCES inspection_plan (id),
    outfall_id           bigint      NOT NULL,
    region_code          char(6)     NOT NULL,
    water_body_id        bigint,
    party_id             bigint,
    origin               text        NOT NULL CHECK (origin IN ('PLAN', 'FINDING', 'PUBLIC_REQUEST', 'AD_HOC')),
    origin_ref           text,
    inspector            text        NOT NULL,
    scheduled_on         date        NOT NULL,
    status               text        NOT NULL DEFAULT 'SCHEDULED' CHECK (status IN ('SCHEDULED', 'COMPLETED')),
    checklist            jsonb,
    longitude            numeric(9, 6),
    latitude             numeric(8, 6),
    samples              text,
    summary              text,
    inspector_signature  jsonb,
    party_signature      jsonb,
    content_hash         char(64),
    completed_at         timestamptz,
    created_by           text        NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inspection_outfall_idx ON inspection (outfall_id);
CREATE INDEX inspection_inspector_idx ON inspection (inspector, status, scheduled_on);
CREATE INDEX inspection_region_idx ON inspection (region_code bpchar_pattern_ops, scheduled_on);

CREATE TABLE inspection_finding (
    id            bigserial PRIMARY KEY,
    inspection_id bigint  NOT NULL REFERENCES inspection (id),
    item          text    NOT NULL,
    description   text    NOT NULL,
    legal_basis   text    NOT NULL,
    serious       boolean NOT NULL
);
CREATE INDEX inspection_finding_inspection_idx ON inspection_finding (inspection_id);

-- 整改通知: a finding's order to the party, tracked to closure with evidence.
CREATE TABLE rectification_order (
    id             bigserial PRIMARY KEY,
    finding_id     bigint      NOT NULL REFERENCES inspection_finding (id),
    inspection_id  bigint      NOT NULL REFERENCES inspection (id),
    outfall_id     bigint      NOT NULL,
    region_code    char(6)     NOT NULL,
    water_body_id  bigint,
    party_id       bigint      NOT NULL,
    requirement    text        NOT NULL,
    deadline       date        NOT NULL,
    status         text        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'RESPONDED', 'CLOSED')),
    response       text,
    responded_by   text,
    responded_at   timestamptz,
    closed_by      text,
    closed_at      timestamptz,
    review_note    text,
    created_by     text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rectification_order_party_idx ON rectification_order (party_id, status);
CREATE INDEX rectification_order_region_idx ON rectification_order (region_code bpchar_pattern_ops, status);

-- A serious finding opens an enforcement case record (立案线索); the case itself is handled outside Gongzhi.
CREATE TABLE enforcement_case (
    id            bigserial PRIMARY KEY,
    finding_id    bigint      NOT NULL UNIQUE REFERENCES inspection_finding (id),
    outfall_id    bigint      NOT NULL,
    region_code   char(6)     NOT NULL,
    water_body_id bigint,
    party_id      bigint,
    basis         text        NOT NULL,
    status        text        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'HANDED_OVER', 'CLOSED')),
    opened_by     text        NOT NULL,
    opened_at     timestamptz NOT NULL DEFAULT now()
);

-- The party's duties (办法: 定期巡查维护排污通道、口门及附属设施; 规范化建设).
CREATE TABLE patrol_log (
    id            bigserial PRIMARY KEY,
    outfall_id    bigint      NOT NULL,
    region_code   char(6)     NOT NULL,
    water_body_id bigint,
    party_id      bigint,
    patrolled_on  date        NOT NULL,
    person        text        NOT NULL,
    checked       text        NOT NULL,
    problems      text,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX patrol_log_outfall_idx ON patrol_log (outfall_id, patrolled_on DESC);

-- A required patrol frequency for one outfall, overriding gongzhi.supervision.patrol-interval-days.
CREATE TABLE patrol_requirement (
    outfall_id    bigint PRIMARY KEY,
    interval_days int         NOT NULL CHECK (interval_days BETWEEN 1 AND 366),
    set_by        text        NOT NULL,
    set_at        timestamptz NOT NULL DEFAULT now()
);

-- 规范化建设 checklist per outfall (HJ 1309: 采样点 §5, 检查井 §6, 标识牌 §7, 视频/在线监控 §8, 一口一档 §9):
-- the party submits evidence, the regulator accepts or sends it back.
CREATE TABLE standardization_item (
    outfall_id    bigint      NOT NULL,
    item          text        NOT NULL CHECK (item IN ('SAMPLING_POINT', 'INSPECTION_WELL', 'SIGNBOARD', 'MONITORING', 'ARCHIVE')),
    region_code   char(6)     NOT NULL,
    water_body_id bigint,
    party_id      bigint,
    status        text        NOT NULL CHECK (status IN ('SUBMITTED', 'ACCEPTED', 'REJECTED')),
    note          text        NOT NULL,
    submitted_by  text        NOT NULL,
    submitted_at  timestamptz NOT NULL,
    reviewed_by   text,
    reviewed_at   timestamptz,
    review_note   text,
    PRIMARY KEY (outfall_id, item)
);
