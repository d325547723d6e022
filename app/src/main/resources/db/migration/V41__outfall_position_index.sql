-- Supports org.gongzhi.ledger.LedgerLookup.near / nearest (added for supervision: the duplicate check of surveyed
-- points against the ledger, docs/supervision.md): a bounding box on the coordinates, latitude first (a band of a
-- few dozen metres), then longitude. Without it every surveyed point scans the jurisdiction's outfalls.
CREATE INDEX IF NOT EXISTS outfall_position_idx ON outfall (latitude, longitude);
