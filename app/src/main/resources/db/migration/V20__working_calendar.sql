-- The working-day calendar (issue 5): the State Council's yearly holiday notices (国务院办公厅关于部分节假日安排的通知).
-- A year is "loaded" when its notice is here; days not listed follow the ordinary Monday–Friday week.
CREATE TABLE calendar_notice (
    year      integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    sources   text[] NOT NULL,                 -- the notice's address(es) on www.gov.cn, or its number
    origin    text NOT NULL CHECK (origin IN ('BUNDLED', 'FILE_IMPORT', 'FORM')),
    loaded_at timestamptz NOT NULL,
    loaded_by text NOT NULL
);

-- The days a notice lists: a day off (off = true) or a make-up working day (调休上班, off = false). A notice may list
-- late-December days of the year before, so the key includes the notice year.
CREATE TABLE calendar_day (
    notice_year integer NOT NULL REFERENCES calendar_notice (year),
    day         date NOT NULL,
    off         boolean NOT NULL,
    name        text NOT NULL,
    PRIMARY KEY (notice_year, day)
);
