-- A ministry or basin bureau has a jurisdiction beyond any region; a region code on it would let every regional
-- administrator whose region covers that code see it and manage its users (Organizations.managedBy). None is
-- stored from now on, and none may be.
UPDATE organization SET region_code = NULL WHERE level IN ('MINISTRY', 'BASIN_BUREAU');
ALTER TABLE organization ADD CONSTRAINT organization_beyond_region_no_region
    CHECK (level IS NULL OR level NOT IN ('MINISTRY', 'BASIN_BUREAU') OR region_code IS NULL);
