-- raw_packet ids: each writer session takes 1,000 at a time (docs/monitoring.md). The writer asks for one id per
-- archived frame (SELECT nextval … FROM generate_series(1, n)); without a cache every call locks the sequence's page
-- and every 32nd writes WAL. Ids stay unique; they are no longer in commit or arrival order across the writer
-- threads (they were not before either: two writers commit in either order), and a restart skips the unused rest.
-- Nothing orders by this id: measurement.packet_id and raw-frame reads look ids up, retention goes by received_at.
ALTER SEQUENCE raw_packet_id_seq CACHE 1000;
