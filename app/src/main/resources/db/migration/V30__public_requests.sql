-- Public requests (接诉即办) and Open311 (issue 6, docs/requests.md). Read and written only by org.gongzhi.requests.
-- outfall_id and the organization ids are other modules' ids, without foreign keys (module boundary, as in V5).

-- The service catalogue (派单目录 / Open311 services): each category with its deadlines and form attributes.
-- Deadlines are configuration: the defaults follow the Beijing practice in other-systems.md §2.2 (web submissions
-- accepted within 2 h; feedback 24 h for time-critical matters, 7 days ordinary, 15 days complex; 退回再办 answered
-- within 5 working days after 济南 Art 24). The Regulation itself gives no numbers.
CREATE TABLE request_service (
    code            text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
    grp             text NOT NULL CHECK (grp IN ('OUTFALL', 'GENERAL')),
    name_zh         text NOT NULL,
    name_en         text NOT NULL,
    description_zh  text NOT NULL,
    description_en  text NOT NULL,
    keywords        text NOT NULL DEFAULT '',
    response_hours  int  NOT NULL CHECK (response_hours > 0),
    resolve_amount  int  NOT NULL CHECK (resolve_amount > 0),
    resolve_unit    text NOT NULL CHECK (resolve_unit IN ('HOURS', 'DAYS', 'WORKING_DAYS')),
    reopen_working_days int NOT NULL DEFAULT 5 CHECK (reopen_working_days > 0),
    attributes      jsonb NOT NULL DEFAULT '[]',   -- Open311 attributes: code, datatype, required, description, values
    active          boolean NOT NULL DEFAULT true,
    sort            int  NOT NULL DEFAULT 0
);

INSERT INTO request_service (code, grp, name_zh, name_en, description_zh, description_en, keywords, response_hours,
                             resolve_amount, resolve_unit, attributes, sort) VALUES
('ILLEGAL_DISCHARGE', 'OUTFALL', '偷排漏排、非法排污', 'Illegal discharge', '排污口或岸边有偷排、漏排、超标排放',
 'discharge through a hidden pipe, a leak, or discharge above the limits', '偷排,漏排,排污,discharge', 2, 24, 'HOURS',
 '[{"code":"seen_at","datatype":"datetime","required":false,"order":1,"description":"发现时间 When seen","datatypeDescription":"ISO 8601"},
   {"code":"ongoing","datatype":"singlevaluelist","required":true,"order":2,"description":"是否仍在排放 Still discharging?","values":[{"key":"yes","name":"是 yes"},{"key":"no","name":"否 no"},{"key":"unknown","name":"不清楚 not sure"}]}]', 10),
('ABNORMAL_WATER', 'OUTFALL', '水体颜色或气味异常（黑臭等）', 'Abnormal colour or smell (black water)',
 '排污口附近水体发黑、发臭、变色、泛白沫或死鱼', 'black, smelly or discoloured water, foam or dead fish near an outfall',
 '黑臭,异味,变色,black water,smell', 2, 24, 'HOURS',
 '[{"code":"colour","datatype":"singlevaluelist","required":true,"order":1,"description":"水的颜色 Colour of the water","values":[{"key":"black","name":"发黑 black"},{"key":"red","name":"发红 red"},{"key":"yellow","name":"发黄 yellow"},{"key":"white","name":"发白/泡沫 white or foam"},{"key":"other","name":"其他 other"}]},
   {"code":"smell","datatype":"singlevaluelist","required":false,"order":2,"description":"气味 Smell","values":[{"key":"none","name":"无 none"},{"key":"foul","name":"臭味 foul"},{"key":"chemical","name":"化学品味 chemical"}]}]', 20),
('SIGNBOARD_DAMAGED', 'OUTFALL', '标识牌或二维码损坏', 'Damaged signboard or QR code', '标识牌缺失、损坏、信息错误或二维码无法扫描',
 'the signboard is missing, damaged or wrong, or its QR code does not scan', '标识牌,二维码,signboard,QR', 2, 7, 'DAYS', '[]', 30),
('UNREGISTERED_OUTFALL', 'OUTFALL', '发现未登记的排污口', 'Unregistered outfall', '发现台账中没有、也没有标识牌的排污口',
 'an outfall with no signboard that the ledger does not list', '暗管,未登记,unregistered', 2, 15, 'DAYS', '[]', 40),
('CONSULT', 'GENERAL', '咨询', 'Question', '政策、办事咨询（北京市接诉即办工作条例第二条）', 'a question about rules or procedures (Beijing Regulation Art 2)', '咨询', 2, 7, 'DAYS', '[]', 50),
('HELP', 'GENERAL', '求助', 'Request for help', '需要生态环境部门协助解决的问题', 'a problem the bureau should help with', '求助', 2, 7, 'DAYS', '[]', 60),
('COMPLAINT', 'GENERAL', '投诉', 'Complaint', '对生态环境问题或部门工作的投诉', 'a complaint about an environmental problem or the bureau''s work', '投诉', 2, 7, 'DAYS', '[]', 70),
('REPORT', 'GENERAL', '举报', 'Tip-off', '举报环境违法行为（举报材料不会转给被举报人，信访工作条例第三十条）', 'report an environmental offence (never passed to the accused, 信访工作条例 Art 30)', '举报', 2, 15, 'DAYS', '[]', 80),
('SUGGESTION', 'GENERAL', '建议', 'Suggestion', '对入河排污口监管工作的意见建议', 'a suggestion on outfall supervision', '建议', 2, 15, 'DAYS', '[]', 90);

-- One request (工单). contact_* are never public; description and photos are public only once moderation approves.
CREATE TABLE public_request (
    id              bigserial PRIMARY KEY,
    token           text NOT NULL UNIQUE,                 -- the requester's follow-up secret (the link /r/{token})
    service_code    text NOT NULL REFERENCES request_service (code),
    channel         text NOT NULL CHECK (channel IN ('OUTFALL_PAGE', 'WEB', 'OPEN311')),
    status          text NOT NULL CHECK (status IN ('RECEIVED', 'DISPATCHED', 'IN_PROGRESS', 'RESPONDED', 'CLOSED')),
    description     text NOT NULL,
    attributes      jsonb NOT NULL DEFAULT '{}',
    outfall_id      bigint,
    outfall_code    text,
    longitude       double precision,
    latitude        double precision,
    address         text,
    region_code     text NOT NULL,
    routed_by       text NOT NULL,                        -- OUTFALL, NEAREST_OUTFALL, CHOSEN_REGION, DEFAULT_REGION
    first_org_id    bigint NOT NULL,                      -- 首接负责 (Beijing Regulation Art 14): stays accountable
    assigned_org_id bigint NOT NULL,
    contact_name    text,
    contact_phone   text,
    contact_email   text,
    device_id       text,
    client          text,                                 -- the Open311 client (API key name), if any
    received_at     timestamptz NOT NULL,
    response_due    timestamptz NOT NULL,
    resolve_due     timestamptz NOT NULL,
    responded_at    timestamptz,                          -- first response (accepted or replied)
    replied_at      timestamptz,
    closed_at       timestamptz,
    reminded_at     timestamptz,                          -- the deadline reminder was recorded
    escalated_at    timestamptz,                          -- overdue past the whole window again: raised to the level above
    reply           text,
    resolved        boolean,
    rating          text CHECK (rating IN ('SATISFIED', 'BASICALLY_SATISFIED', 'UNSATISFIED')),
    rated_at        timestamptz,
    reopen_count    int NOT NULL DEFAULT 0,
    duplicate_of    bigint REFERENCES public_request (id),
    moderation      text NOT NULL DEFAULT 'PENDING' CHECK (moderation IN ('PENDING', 'APPROVED', 'REJECTED')),
    updated_at      timestamptz NOT NULL,
    version         int NOT NULL DEFAULT 1
);
CREATE INDEX public_request_region_idx ON public_request (region_code text_pattern_ops, received_at DESC);
CREATE INDEX public_request_assigned_idx ON public_request (assigned_org_id, status);
CREATE INDEX public_request_open_near_idx ON public_request (service_code, status) WHERE status <> 'CLOSED';
CREATE INDEX public_request_updated_idx ON public_request (updated_at);

-- What happened to a request, in order: the timeline staff see and, where public, the Open311 update feed.
CREATE TABLE request_event (
    id          bigserial PRIMARY KEY,
    request_id  bigint NOT NULL REFERENCES public_request (id),
    at          timestamptz NOT NULL,
    kind        text NOT NULL,          -- RECEIVED, DISPATCHED, ACCEPTED, TRANSFERRED, OBJECTED, RESPONDED, RATED, REOPENED, CLOSED, MERGED, MODERATED
    status      text NOT NULL,          -- the status after the event
    actor       text NOT NULL,
    org_id      bigint,
    note        text,
    public      boolean NOT NULL DEFAULT false
);
CREATE INDEX request_event_request_idx ON request_event (request_id, id);
CREATE INDEX request_event_public_idx ON request_event (at) WHERE public;

-- Open311 clients: each posts with its own api_key; only the key's SHA-256 is kept.
CREATE TABLE open311_client (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    key_sha256  text NOT NULL UNIQUE,
    enabled     boolean NOT NULL DEFAULT true,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
