-- The raw archive per write batch (docs/monitoring.md): the frames of one batch are Deflate-compressed together into
-- one raw_batch row, and each raw_packet row points at its slice (offset and length in the uncompressed frames).
-- Compressing each ~450-byte frame on its own cost a fifth of the gateway's CPU (zlib resets its 64 KB hash table per
-- frame) and compressed little; a batch of similar frames compresses several times better in one pass.
-- Rows written before this migration keep their own compressed frame in raw_packet.raw.
CREATE TABLE raw_batch (
    id          bigint      NOT NULL,
    received_at timestamptz NOT NULL,   -- the first packet of the batch; partitions and retention follow raw_packet
    frames      bytea       NOT NULL,   -- Deflate (zlib) of the frames, one after the other
    PRIMARY KEY (id, received_at)
) PARTITION BY RANGE (received_at);
CREATE TABLE raw_batch_default PARTITION OF raw_batch DEFAULT;
CREATE SEQUENCE raw_batch_id_seq;

ALTER TABLE raw_packet ALTER COLUMN raw DROP NOT NULL;
ALTER TABLE raw_packet ADD COLUMN batch_id bigint, ADD COLUMN batch_offset int, ADD COLUMN batch_length int;
ALTER TABLE raw_packet ADD CONSTRAINT raw_packet_frame_check
    CHECK (raw IS NOT NULL OR (batch_id IS NOT NULL AND batch_offset IS NOT NULL AND batch_length IS NOT NULL));
