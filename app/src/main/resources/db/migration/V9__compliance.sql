-- Compliance (达标判定): standard packs and their limits as versioned data, limit assignments and outfall-specific
-- limits, findings. Read and written only by org.gongzhi.compliance (docs/compliance.md). outfall_id is the
-- ledger's id, without a foreign key (module boundary, as in V5).

-- A national or local standard, versioned: a correction is a new version, never an edit of a version in use.
CREATE TABLE standard_pack (
    code        text        NOT NULL,
    version     int         NOT NULL CHECK (version >= 1),
    name_zh     text        NOT NULL,
    name_en     text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('DISCHARGE', 'RECEIVING_WATER')),
    grades      text[]      NOT NULL,
    source      text        NOT NULL,   -- where the numbers were taken from
    note        text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text        NOT NULL DEFAULT 'flyway',
    PRIMARY KEY (code, version)
);

-- One limit of a pack: grade × factor (HJ 212-2017 code) × statistic × condition × industry scope.
CREATE TABLE pack_limit (
    id          bigserial PRIMARY KEY,
    pack_code   text    NOT NULL,
    pack_version int    NOT NULL,
    grade       text    NOT NULL,
    factor      text    NOT NULL,
    statistic   text    NOT NULL CHECK (statistic IN ('INSTANT', 'HOURLY_MEAN', 'DAILY_MEAN', 'MONTHLY_MEAN', 'DAILY_MAX', 'DAILY_MIN')),
    comparison  text    NOT NULL CHECK (comparison IN ('LE', 'GE', 'RANGE')),
    value       numeric,
    low         numeric,
    high        numeric,
    unit        text    NOT NULL,
    condition   text    NOT NULL DEFAULT 'NONE'
                CHECK (condition IN ('NONE', 'WATER_TEMP_GT_12', 'WATER_TEMP_LE_12', 'BUILT_BEFORE_2006', 'BUILT_FROM_2006', 'RIVER', 'LAKE_RESERVOIR')),
    scope       text    NOT NULL DEFAULT 'all',
    clause      text    NOT NULL,
    note        text,
    uncertain   boolean NOT NULL DEFAULT false,
    FOREIGN KEY (pack_code, pack_version) REFERENCES standard_pack (code, version),
    CHECK ((comparison = 'RANGE') = (low IS NOT NULL AND high IS NOT NULL AND value IS NULL)),
    CHECK (comparison = 'RANGE' OR value IS NOT NULL),
    UNIQUE (pack_code, pack_version, grade, factor, statistic, condition, scope)
);

-- Which pack and grade an outfall is held to, from when to when (valid_to exclusive, null = open).
CREATE TABLE outfall_limit_assignment (
    id                bigserial PRIMARY KEY,
    outfall_id        bigint      NOT NULL,
    pack_code         text        NOT NULL,
    pack_version      int         NOT NULL,
    grade             text        NOT NULL,
    scope             text        NOT NULL DEFAULT '其他',        -- GB 8978 industry row
    water_body        text        CHECK (water_body IN ('RIVER', 'LAKE_RESERVOIR')),  -- GB 3838
    built_before_2006 boolean,                                     -- GB 18918 TP split
    valid_from        date        NOT NULL,
    valid_to          date,
    assigned_by       text        NOT NULL,
    assigned_at       timestamptz NOT NULL,
    reason            text        NOT NULL,
    FOREIGN KEY (pack_code, pack_version) REFERENCES standard_pack (code, version),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX outfall_limit_assignment_outfall_idx ON outfall_limit_assignment (outfall_id, valid_from);

-- Limits specific to one outfall (approval decision, permit, local rule); they replace the pack's limit of the
-- same factor and statistic while valid.
CREATE TABLE outfall_limit (
    id          bigserial PRIMARY KEY,
    outfall_id  bigint      NOT NULL,
    factor      text        NOT NULL,
    statistic   text        NOT NULL CHECK (statistic IN ('INSTANT', 'HOURLY_MEAN', 'DAILY_MEAN', 'MONTHLY_MEAN', 'DAILY_MAX', 'DAILY_MIN')),
    comparison  text        NOT NULL CHECK (comparison IN ('LE', 'GE', 'RANGE')),
    value       numeric,
    low         numeric,
    high        numeric,
    unit        text        NOT NULL,
    condition   text        NOT NULL DEFAULT 'NONE',
    valid_from  date        NOT NULL,
    valid_to    date,
    source      text        NOT NULL CHECK (source IN ('DECISION', 'PERMIT', 'NATIONAL', 'LOCAL')),
    clause      text        NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    reason      text        NOT NULL,
    CHECK ((comparison = 'RANGE') = (low IS NOT NULL AND high IS NOT NULL AND value IS NULL)),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX outfall_limit_outfall_idx ON outfall_limit (outfall_id);

-- What the evaluator found, with everything needed to recompute it. One row per outfall × factor × statistic ×
-- kind × window: re-evaluation updates the row (streaming and backfill converge on the same rows).
CREATE TABLE finding (
    id                 bigserial PRIMARY KEY,
    outfall_id         bigint      NOT NULL,
    factor             text        NOT NULL,
    statistic          text        NOT NULL,
    window_start       timestamptz NOT NULL,
    window_end         timestamptz NOT NULL,
    kind               text        NOT NULL CHECK (kind IN ('INSTANT_EXCEEDANCE', 'VIOLATION', 'INSUFFICIENT_DATA', 'CHRONIC', 'TRC')),
    limit_ref          jsonb       NOT NULL,   -- the limit as applied: source, pack, version, grade, clause, bounds, unit, condition
    pack_code          text,
    pack_version       int,
    observed           numeric,
    limit_value        numeric,
    unit               text,
    values_used        jsonb       NOT NULL,   -- [{t, v, flag}] used; excluded values with their flags; counts
    exceedance_percent numeric,
    ratio              numeric,                -- observed ÷ limit (limit ÷ observed for GE), for the TRC test
    status             text        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
    status_reason      text,
    status_by          text,
    status_at          timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (outfall_id, factor, statistic, kind, window_start, window_end)
);
CREATE INDEX finding_outfall_idx ON finding (outfall_id, window_start DESC);
CREATE INDEX finding_open_idx ON finding (status, created_at DESC) WHERE status <> 'RESOLVED';

-- ---- national packs, numbers exactly as shared/domain/anchors-and-standards.md §3 gives them ----------------

INSERT INTO standard_pack (code, version, name_zh, name_en, kind, grades, source, note) VALUES
('GB18918-2002', 1, '城镇污水处理厂污染物排放标准 表1 基本控制项目', 'Discharge standard of pollutants for municipal wastewater treatment plant, Table 1 basic control items',
 'DISCHARGE', '{一级A,一级B,二级,三级}', 'anchors-and-standards.md §3.1 (Table 1, daily mean 日均值)',
 '三级 COD/BOD5 removal-rate rules (note ①) not modelled; 2006 amendment (公告2006年第21号) not applied'),
('GB8978-1996', 1, '污水综合排放标准 表4 第二类污染物（1998-01-01后建设的单位）', 'Integrated wastewater discharge standard, Table 4 class-2 pollutants (units built from 1998-01-01)',
 'DISCHARGE', '{一级,二级,三级}', 'anchors-and-standards.md §3.2 (Table 4)',
 'Table 1 (class-1 pollutants, workshop outlet) and Table 2 (units built before 1998) not loaded; statistic not stated in §3.2: daily mean assumed (uncertain)'),
('GB3838-2002', 1, '地表水环境质量标准 表1 基本项目', 'Environmental quality standards for surface water, Table 1',
 'RECEIVING_WATER', '{I,II,III,IV,V}', 'anchors-and-standards.md §3.3 (Table 1)',
 'single-factor classification, worse than V = 劣V; TN for lakes/reservoirs only; statistic not stated in §3.3: daily mean assumed (uncertain)');

-- GB 18918-2002 Table 1 (§3.1). Columns: grade, factor, comparison, value, low, high, unit, condition, note
INSERT INTO pack_limit (pack_code, pack_version, grade, factor, statistic, comparison, value, low, high, unit, condition, clause, note)
SELECT 'GB18918-2002', 1, g, f, 'DAILY_MEAN', c, v, lo, hi, u, cond, 'GB 18918-2002 表1 (§3.1)', n
FROM (VALUES
 ('一级A','w01018','LE',50,NULL,NULL,'mg/L','NONE',NULL), ('一级B','w01018','LE',60,NULL,NULL,'mg/L','NONE',NULL),
 ('二级','w01018','LE',100,NULL,NULL,'mg/L','NONE',NULL), ('三级','w01018','LE',120,NULL,NULL,'mg/L','NONE','note ①: influent COD > 350 → removal > 60 % (not modelled)'),
 ('一级A','w01017','LE',10,NULL,NULL,'mg/L','NONE',NULL), ('一级B','w01017','LE',20,NULL,NULL,'mg/L','NONE',NULL),
 ('二级','w01017','LE',30,NULL,NULL,'mg/L','NONE',NULL), ('三级','w01017','LE',60,NULL,NULL,'mg/L','NONE','note ①: influent BOD > 160 → removal > 50 % (not modelled)'),
 ('一级A','w01012','LE',10,NULL,NULL,'mg/L','NONE',NULL), ('一级B','w01012','LE',20,NULL,NULL,'mg/L','NONE',NULL),
 ('二级','w01012','LE',30,NULL,NULL,'mg/L','NONE',NULL), ('三级','w01012','LE',50,NULL,NULL,'mg/L','NONE',NULL),
 ('一级A','x:animal-vegetable-oil','LE',1,NULL,NULL,'mg/L','NONE',NULL), ('一级B','x:animal-vegetable-oil','LE',3,NULL,NULL,'mg/L','NONE',NULL),
 ('二级','x:animal-vegetable-oil','LE',5,NULL,NULL,'mg/L','NONE',NULL), ('三级','x:animal-vegetable-oil','LE',20,NULL,NULL,'mg/L','NONE',NULL),
 ('一级A','w22001','LE',1,NULL,NULL,'mg/L','NONE',NULL), ('一级B','w22001','LE',3,NULL,NULL,'mg/L','NONE',NULL),
 ('二级','w22001','LE',5,NULL,NULL,'mg/L','NONE',NULL), ('三级','w22001','LE',15,NULL,NULL,'mg/L','NONE',NULL),
 ('一级A','x:LAS','LE',0.5,NULL,NULL,'mg/L','NONE',NULL), ('一级B','x:LAS','LE',1,NULL,NULL,'mg/L','NONE',NULL),
 ('二级','x:LAS','LE',2,NULL,NULL,'mg/L','NONE',NULL), ('三级','x:LAS','LE',5,NULL,NULL,'mg/L','NONE',NULL),
 ('一级A','w21001','LE',15,NULL,NULL,'mg/L','NONE','as N'), ('一级B','w21001','LE',20,NULL,NULL,'mg/L','NONE','as N'),
 ('一级A','w21003','LE',5,NULL,NULL,'mg/L','WATER_TEMP_GT_12','as N; note ②'), ('一级A','w21003','LE',8,NULL,NULL,'mg/L','WATER_TEMP_LE_12','as N; note ② (bracket figure)'),
 ('一级B','w21003','LE',8,NULL,NULL,'mg/L','WATER_TEMP_GT_12','as N; note ②'), ('一级B','w21003','LE',15,NULL,NULL,'mg/L','WATER_TEMP_LE_12','as N; note ② (bracket figure)'),
 ('二级','w21003','LE',25,NULL,NULL,'mg/L','WATER_TEMP_GT_12','as N; note ②'), ('二级','w21003','LE',30,NULL,NULL,'mg/L','WATER_TEMP_LE_12','as N; note ② (bracket figure)'),
 ('一级A','w21011','LE',1,NULL,NULL,'mg/L','BUILT_BEFORE_2006','plants built ≤ 2005-12-31'), ('一级A','w21011','LE',0.5,NULL,NULL,'mg/L','BUILT_FROM_2006','plants built ≥ 2006-01-01'),
 ('一级B','w21011','LE',1.5,NULL,NULL,'mg/L','BUILT_BEFORE_2006','plants built ≤ 2005-12-31'), ('一级B','w21011','LE',1,NULL,NULL,'mg/L','BUILT_FROM_2006','plants built ≥ 2006-01-01'),
 ('二级','w21011','LE',3,NULL,NULL,'mg/L','BUILT_BEFORE_2006','plants built ≤ 2005-12-31'), ('二级','w21011','LE',3,NULL,NULL,'mg/L','BUILT_FROM_2006','plants built ≥ 2006-01-01'),
 ('三级','w21011','LE',5,NULL,NULL,'mg/L','BUILT_BEFORE_2006','plants built ≤ 2005-12-31'), ('三级','w21011','LE',5,NULL,NULL,'mg/L','BUILT_FROM_2006','plants built ≥ 2006-01-01'),
 ('一级A','w01002','LE',30,NULL,NULL,'倍','NONE','稀释倍数'), ('一级B','w01002','LE',30,NULL,NULL,'倍','NONE','稀释倍数'),
 ('二级','w01002','LE',40,NULL,NULL,'倍','NONE','稀释倍数'), ('三级','w01002','LE',50,NULL,NULL,'倍','NONE','稀释倍数'),
 ('一级A','w01001','RANGE',NULL,6,9,'','NONE',NULL), ('一级B','w01001','RANGE',NULL,6,9,'','NONE',NULL),
 ('二级','w01001','RANGE',NULL,6,9,'','NONE',NULL), ('三级','w01001','RANGE',NULL,6,9,'','NONE',NULL),
 ('一级A','w02003','LE',1000,NULL,NULL,'个/L','NONE','10³'), ('一级B','w02003','LE',10000,NULL,NULL,'个/L','NONE','10⁴'),
 ('二级','w02003','LE',10000,NULL,NULL,'个/L','NONE','10⁴')
) AS t(g, f, c, v, lo, hi, u, cond, n);

-- GB 8978-1996 Table 4 (§3.2). scope = the industry row; 'all' applies to every industry.
INSERT INTO pack_limit (pack_code, pack_version, grade, factor, statistic, comparison, value, low, high, unit, scope, clause, note, uncertain)
SELECT 'GB8978-1996', 1, g, f, 'DAILY_MEAN', c, v, lo, hi, u, s, 'GB 8978-1996 表4 (§3.2)',
       'statistic not stated in §3.2 (daily mean assumed)', true
FROM (VALUES
 ('一级','w01001','RANGE',NULL,6,9,'','all'), ('二级','w01001','RANGE',NULL,6,9,'','all'), ('三级','w01001','RANGE',NULL,6,9,'','all'),
 ('一级','w01002','LE',50,NULL,NULL,'倍','all'), ('二级','w01002','LE',80,NULL,NULL,'倍','all'),
 ('一级','w01012','LE',20,NULL,NULL,'mg/L','城镇二级污水处理厂'), ('二级','w01012','LE',30,NULL,NULL,'mg/L','城镇二级污水处理厂'),
 ('一级','w01012','LE',70,NULL,NULL,'mg/L','其他'), ('二级','w01012','LE',150,NULL,NULL,'mg/L','其他'), ('三级','w01012','LE',400,NULL,NULL,'mg/L','其他'),
 ('一级','w01017','LE',20,NULL,NULL,'mg/L','城镇二级污水处理厂'), ('二级','w01017','LE',30,NULL,NULL,'mg/L','城镇二级污水处理厂'),
 ('一级','w01017','LE',20,NULL,NULL,'mg/L','其他'), ('二级','w01017','LE',30,NULL,NULL,'mg/L','其他'), ('三级','w01017','LE',300,NULL,NULL,'mg/L','其他'),
 ('一级','w01018','LE',60,NULL,NULL,'mg/L','石油化工'), ('二级','w01018','LE',120,NULL,NULL,'mg/L','石油化工'), ('三级','w01018','LE',500,NULL,NULL,'mg/L','石油化工'),
 ('一级','w01018','LE',60,NULL,NULL,'mg/L','城镇二级污水处理厂'), ('二级','w01018','LE',120,NULL,NULL,'mg/L','城镇二级污水处理厂'),
 ('一级','w01018','LE',100,NULL,NULL,'mg/L','其他'), ('二级','w01018','LE',150,NULL,NULL,'mg/L','其他'), ('三级','w01018','LE',500,NULL,NULL,'mg/L','其他'),
 ('一级','w22001','LE',5,NULL,NULL,'mg/L','all'), ('二级','w22001','LE',10,NULL,NULL,'mg/L','all'), ('三级','w22001','LE',20,NULL,NULL,'mg/L','all'),
 ('一级','x:animal-vegetable-oil','LE',10,NULL,NULL,'mg/L','all'), ('二级','x:animal-vegetable-oil','LE',15,NULL,NULL,'mg/L','all'), ('三级','x:animal-vegetable-oil','LE',100,NULL,NULL,'mg/L','all'),
 ('一级','w23002','LE',0.5,NULL,NULL,'mg/L','all'), ('二级','w23002','LE',0.5,NULL,NULL,'mg/L','all'), ('三级','w23002','LE',2.0,NULL,NULL,'mg/L','all'),
 ('一级','w21016','LE',0.5,NULL,NULL,'mg/L','all'), ('二级','w21016','LE',0.5,NULL,NULL,'mg/L','all'), ('三级','w21016','LE',1.0,NULL,NULL,'mg/L','all'),
 ('一级','x:sulfide','LE',1.0,NULL,NULL,'mg/L','all'), ('二级','x:sulfide','LE',1.0,NULL,NULL,'mg/L','all'), ('三级','x:sulfide','LE',1.0,NULL,NULL,'mg/L','all'),
 ('一级','w21003','LE',15,NULL,NULL,'mg/L','医药原料药/染料/石油化工'), ('二级','w21003','LE',50,NULL,NULL,'mg/L','医药原料药/染料/石油化工'),
 ('一级','w21003','LE',15,NULL,NULL,'mg/L','其他'), ('二级','w21003','LE',25,NULL,NULL,'mg/L','其他'),
 ('一级','w21017','LE',10,NULL,NULL,'mg/L','其他'), ('二级','w21017','LE',10,NULL,NULL,'mg/L','其他'), ('三级','w21017','LE',20,NULL,NULL,'mg/L','其他'),
 ('一级','x:phosphate','LE',0.5,NULL,NULL,'mg/L','all'), ('二级','x:phosphate','LE',1.0,NULL,NULL,'mg/L','all'),
 ('一级','x:LAS','LE',5.0,NULL,NULL,'mg/L','all'), ('二级','x:LAS','LE',10,NULL,NULL,'mg/L','all'), ('三级','x:LAS','LE',20,NULL,NULL,'mg/L','all'),
 ('一级','w20122','LE',0.5,NULL,NULL,'mg/L','all'), ('二级','w20122','LE',1.0,NULL,NULL,'mg/L','all'), ('三级','w20122','LE',2.0,NULL,NULL,'mg/L','all'),
 ('一级','w20123','LE',2.0,NULL,NULL,'mg/L','all'), ('二级','w20123','LE',5.0,NULL,NULL,'mg/L','all'), ('三级','w20123','LE',5.0,NULL,NULL,'mg/L','all')
) AS t(g, f, c, v, lo, hi, u, s);

-- GB 3838-2002 Table 1 (§3.3), Classes I–V.
INSERT INTO pack_limit (pack_code, pack_version, grade, factor, statistic, comparison, value, low, high, unit, condition, clause, note, uncertain)
SELECT 'GB3838-2002', 1, g, f, 'DAILY_MEAN', c, v, lo, hi, u, cond, 'GB 3838-2002 表1 (§3.3)', n, true
FROM (VALUES
 ('I','w01001','RANGE',NULL,6,9,'','NONE',NULL), ('II','w01001','RANGE',NULL,6,9,'','NONE',NULL), ('III','w01001','RANGE',NULL,6,9,'','NONE',NULL),
 ('IV','w01001','RANGE',NULL,6,9,'','NONE',NULL), ('V','w01001','RANGE',NULL,6,9,'','NONE',NULL),
 ('I','w01009','GE',7.5,NULL,NULL,'mg/L','NONE','or 90 % saturation (not modelled)'), ('II','w01009','GE',6,NULL,NULL,'mg/L','NONE',NULL),
 ('III','w01009','GE',5,NULL,NULL,'mg/L','NONE',NULL), ('IV','w01009','GE',3,NULL,NULL,'mg/L','NONE',NULL), ('V','w01009','GE',2,NULL,NULL,'mg/L','NONE',NULL),
 ('I','w01019','LE',2,NULL,NULL,'mg/L','NONE',NULL), ('II','w01019','LE',4,NULL,NULL,'mg/L','NONE',NULL), ('III','w01019','LE',6,NULL,NULL,'mg/L','NONE',NULL),
 ('IV','w01019','LE',10,NULL,NULL,'mg/L','NONE',NULL), ('V','w01019','LE',15,NULL,NULL,'mg/L','NONE',NULL),
 ('I','w01018','LE',15,NULL,NULL,'mg/L','NONE',NULL), ('II','w01018','LE',15,NULL,NULL,'mg/L','NONE',NULL), ('III','w01018','LE',20,NULL,NULL,'mg/L','NONE',NULL),
 ('IV','w01018','LE',30,NULL,NULL,'mg/L','NONE',NULL), ('V','w01018','LE',40,NULL,NULL,'mg/L','NONE',NULL),
 ('I','w01017','LE',3,NULL,NULL,'mg/L','NONE',NULL), ('II','w01017','LE',3,NULL,NULL,'mg/L','NONE',NULL), ('III','w01017','LE',4,NULL,NULL,'mg/L','NONE',NULL),
 ('IV','w01017','LE',6,NULL,NULL,'mg/L','NONE',NULL), ('V','w01017','LE',10,NULL,NULL,'mg/L','NONE',NULL),
 ('I','w21003','LE',0.15,NULL,NULL,'mg/L','NONE',NULL), ('II','w21003','LE',0.5,NULL,NULL,'mg/L','NONE',NULL), ('III','w21003','LE',1.0,NULL,NULL,'mg/L','NONE',NULL),
 ('IV','w21003','LE',1.5,NULL,NULL,'mg/L','NONE',NULL), ('V','w21003','LE',2.0,NULL,NULL,'mg/L','NONE',NULL),
 ('I','w21011','LE',0.02,NULL,NULL,'mg/L','RIVER','river'), ('II','w21011','LE',0.1,NULL,NULL,'mg/L','RIVER','river'), ('III','w21011','LE',0.2,NULL,NULL,'mg/L','RIVER','river'),
 ('IV','w21011','LE',0.3,NULL,NULL,'mg/L','RIVER','river'), ('V','w21011','LE',0.4,NULL,NULL,'mg/L','RIVER','river'),
 ('I','w21011','LE',0.01,NULL,NULL,'mg/L','LAKE_RESERVOIR','lake/reservoir'), ('II','w21011','LE',0.025,NULL,NULL,'mg/L','LAKE_RESERVOIR','lake/reservoir'),
 ('III','w21011','LE',0.05,NULL,NULL,'mg/L','LAKE_RESERVOIR','lake/reservoir'), ('IV','w21011','LE',0.1,NULL,NULL,'mg/L','LAKE_RESERVOIR','lake/reservoir'),
 ('V','w21011','LE',0.2,NULL,NULL,'mg/L','LAKE_RESERVOIR','lake/reservoir'),
 ('I','w21001','LE',0.2,NULL,NULL,'mg/L','LAKE_RESERVOIR','lakes/reservoirs only'), ('II','w21001','LE',0.5,NULL,NULL,'mg/L','LAKE_RESERVOIR','lakes/reservoirs only'),
 ('III','w21001','LE',1.0,NULL,NULL,'mg/L','LAKE_RESERVOIR','lakes/reservoirs only'), ('IV','w21001','LE',1.5,NULL,NULL,'mg/L','LAKE_RESERVOIR','lakes/reservoirs only'),
 ('V','w21001','LE',2.0,NULL,NULL,'mg/L','LAKE_RESERVOIR','lakes/reservoirs only'),
 ('I','w02003','LE',200,NULL,NULL,'个/L','NONE',NULL), ('II','w02003','LE',2000,NULL,NULL,'个/L','NONE',NULL), ('III','w02003','LE',10000,NULL,NULL,'个/L','NONE',NULL),
 ('IV','w02003','LE',20000,NULL,NULL,'个/L','NONE',NULL), ('V','w02003','LE',40000,NULL,NULL,'个/L','NONE',NULL)
) AS t(g, f, c, v, lo, hi, u, cond, n);
