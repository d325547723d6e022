-- Substring search over names and codes ("名称或编码" contains …): trigram GIN indexes make ILIKE '%…%' use an index.
-- Trigrams of Chinese text need a database whose ctype classifies 汉字 as letters: the embedded cluster is
-- initialised with C.UTF-8; an external server needs a UTF-8 locale too (not C/POSIX).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX outfall_name_trgm_idx ON outfall USING gin (name gin_trgm_ops);
CREATE INDEX outfall_national_code_trgm_idx ON outfall USING gin (national_code gin_trgm_ops);
CREATE INDEX outfall_local_code_trgm_idx ON outfall USING gin (local_code gin_trgm_ops);
CREATE INDEX outfall_updated_idx ON outfall (updated_at);
