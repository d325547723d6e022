-- The default order (region, then code) and the region filter share one index. It is in the "C" collation
-- (codes are ASCII digits and letters), so that one btree serves both LIKE '3205%' and ORDER BY; the queries
-- say COLLATE "C" to match it. The INCLUDE columns let counts and the common filters (type, state, regime,
-- water body) be answered from the index alone.
DROP INDEX outfall_region_idx;
CREATE INDEX outfall_region_code_idx ON outfall (region_code COLLATE "C", national_code COLLATE "C")
    INCLUDE (type_code, lifecycle, regime, water_body_id);
-- Imports find parties named in a file by name (when no credit code is given), a chunk of names at a time.
CREATE INDEX organization_party_name_idx ON organization (name) WHERE kind = 'PARTY';
