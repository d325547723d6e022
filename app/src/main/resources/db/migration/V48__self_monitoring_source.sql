-- Self-monitoring (自行监测) results uploaded by a responsible party for its own outfalls through the monitoring
-- results import get their own source, SELF, beside HJ212 (online), MANUAL and LAB (the regulator's manual and
-- supervisory monitoring): a party's figures must never pass for the regulator's, e.g. they do not close a campaign's
-- sampling task (supervision SamplingResults counts LAB and MANUAL only). See docs/supervision.md.
--
-- The tables belong to monitoring (V5, V8); this widening is in supervision's range (V40–V49) because issue 7 needs it,
-- agreed in the task: only the CHECK lists change. Monthly partitions are created with LIKE … INCLUDING CONSTRAINTS and
-- attached, so each may hold its own copy of the check: dropped on every partition too, then added once on the parent
-- (PostgreSQL adds it to every partition).
DO $$
DECLARE
    part regclass;
BEGIN
    ALTER TABLE measurement DROP CONSTRAINT IF EXISTS measurement_source_check;
    FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'measurement'::regclass LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS measurement_source_check', part);
    END LOOP;
    ALTER TABLE measurement ADD CONSTRAINT measurement_source_check CHECK (source IN ('HJ212', 'MANUAL', 'LAB', 'SELF'));
END $$;

ALTER TABLE measurement_sample DROP CONSTRAINT IF EXISTS measurement_sample_source_check;
ALTER TABLE measurement_sample ADD CONSTRAINT measurement_sample_source_check CHECK (source IN ('MANUAL', 'LAB', 'SELF'));
