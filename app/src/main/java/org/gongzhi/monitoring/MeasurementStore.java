package org.gongzhi.monitoring;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.zip.Deflater;
import org.gongzhi.hj212.Factor;
import org.gongzhi.hj212.Hj212Packet;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Writes one batch of packets on one connection inside the caller's transaction: the raw packets (Deflate-compressed)
 * into raw_packet and the measurement rows into the partitioned measurement table, both by binary COPY (one round
 * trip each, no per-row statements, no text formatting or escaping).
 *
 * <p>A resend must insert nothing and be counted as a duplicate per packet. Resends are rare, so the rows are first
 * COPYed straight into {@code measurement} under a savepoint; only when that hits the primary key (SQLSTATE 23505)
 * is the savepoint rolled back and the same bytes COPYed into a temporary staging table and moved with
 * {@code INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING packet_id}, which tells which packet's rows were new.
 * After a conflict the caller uses the staged path for a while ({@code direct = false}), since resends come in runs
 * (a logger catching up after an outage). Measured in docs/benchmarks.md.
 */
final class MeasurementStore {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "(outfall_id, kind, data_time, factor, source, rtd, min, avg, max, cou, flag, "
            + "received_at, packet_id)";

    private MeasurementStore() {
    }

    /**
     * Counts of the batch: per job (same order) inserted and duplicate rows; the span written; and whether the rows
     * met existing ones (so the direct path was abandoned for this batch).
     */
    record Result(int[] inserted, int[] staged, Instant from, Instant to, boolean conflict) {
    }

    static Result write(Connection conn, List<WriteJob.Store> jobs, boolean direct) throws SQLException {
        int n = jobs.size();
        int parts = 0;
        for (WriteJob.Store j : jobs) {
            parts += j.parts().size();
        }
        long[] ids = new long[parts];
        try (PreparedStatement ps = conn.prepareStatement("SELECT nextval('raw_packet_id_seq') FROM generate_series(1, ?)")) {
            ps.setInt(1, parts);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; rs.next(); i++) {
                    ids[i] = rs.getLong(1);
                }
            }
        }
        long batchId;
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT nextval('raw_batch_id_seq')")) {
            rs.next();
            batchId = rs.getLong(1);
        }
        CopyManager copy = conn.unwrap(PGConnection.class).getCopyAPI();
        Buffers buffers = BUFFERS.get();
        BinaryCopy raw = buffers.raw.reset();
        Buffers.Frames frames = buffers.frames;
        frames.reset();
        Instant batchReceived = jobs.get(0).receivedAt();
        BinaryCopy rows = buffers.rows.reset();
        Map<Long, Integer> jobOfPacket = new HashMap<>();
        int[] staged = new int[n];
        Instant from = null;
        Instant to = null;
        int k = 0;
        for (int j = 0; j < n; j++) {
            WriteJob.Store job = jobs.get(j);
            long firstId = ids[k];
            batchReceived = job.receivedAt().isBefore(batchReceived) ? job.receivedAt() : batchReceived;
            for (Hj212Packet p : job.parts()) {
                int offset = frames.size();
                writeFrame(p, frames);
                raw.row(9).int8(ids[k++]).timestamptz(job.receivedAt()).text(p.mn()).int4(p.cn()).text(p.qn())
                        .text(job.remote()).int8(batchId).int4(offset).int4(frames.size() - offset);
            }
            jobOfPacket.put(firstId, j);
            Hj212Packet p = job.packet();
            MeasurementKind kind = MeasurementKind.ofCn(p.cn());
            LocalDateTime dataTime = kind == null ? null : p.cp().dataTime();
            if (dataTime == null) {
                continue;
            }
            Instant t = dataTime.atZone(CHINA).toInstant();
            for (Factor f : p.cp().factors()) {
                if (f.isEquipment() || f.isInfo()) {
                    continue;
                }
                OptionalDouble rtd = f.rtd(), min = f.min(), avg = f.avg(), max = f.max(), cou = f.cou();
                if (rtd.isEmpty() && min.isEmpty() && avg.isEmpty() && max.isEmpty() && cou.isEmpty()) {
                    continue;
                }
                rows.row(13).int8(job.outfallId()).text(kind.name()).timestamptz(t).text(f.standardCode()).text("HJ212")
                        .float8(rtd).float8(min).float8(avg).float8(max).float8(cou).text(f.flag().orElse(null))
                        .timestamptz(job.receivedAt()).int8(firstId);
                staged[j]++;
                from = from == null || t.isBefore(from) ? t : from;
                to = to == null || t.isAfter(to) ? t : to;
            }
        }
        if (raw.rows() > 0) {
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO raw_batch (id, received_at, frames) VALUES (?, ?, ?)")) {
                ps.setLong(1, batchId);
                ps.setTimestamp(2, java.sql.Timestamp.from(batchReceived));
                ps.setBytes(3, buffers.deflate(frames.array(), frames.size()));
                ps.executeUpdate();
            }
            copyIn(copy, "COPY raw_packet (id, received_at, mn, cn, qn, remote, batch_id, batch_offset, batch_length) "
                    + "FROM STDIN (FORMAT binary)", raw.array(), raw.end());
        }
        int[] inserted = new int[n];
        boolean conflict = false;
        if (rows.rows() > 0) {
            byte[] data = rows.array();
            int length = rows.end();
            if (direct) {
                Savepoint savepoint = conn.setSavepoint();
                try {
                    copyIn(copy, "COPY measurement " + COLUMNS + " FROM STDIN (FORMAT binary)", data, length);
                    conn.releaseSavepoint(savepoint);
                    return new Result(staged.clone(), staged, from, to, false);
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    conn.rollback(savepoint);
                    conflict = true;
                }
            }
            try (Statement st = conn.createStatement()) {
                st.execute("CREATE TEMP TABLE IF NOT EXISTS measurement_stage (LIKE measurement) ON COMMIT DELETE ROWS");
            }
            copyIn(copy, "COPY measurement_stage " + COLUMNS + " FROM STDIN (FORMAT binary)", data, length);
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("INSERT INTO measurement SELECT * FROM measurement_stage "
                         + "ON CONFLICT DO NOTHING RETURNING packet_id")) {
                while (rs.next()) {
                    inserted[jobOfPacket.get(rs.getLong(1))]++;
                }
            }
        }
        return new Result(inserted, staged, from, to, conflict);
    }

    private static void copyIn(CopyManager copy, String sql, byte[] bytes, int length) throws SQLException {
        CopyIn in = copy.copyIn(sql);
        try {
            in.writeToCopy(bytes, 0, length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** The frame as received, rebuilt from its segment, the CRC it carried and a CR LF tail. */
    static byte[] frame(Hj212Packet p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(p.segmentLength() + 12);
        writeFrame(p, out);
        return out.toByteArray();
    }

    /** Appends {@link #frame} to {@code out} (the batch's frames), without a byte array per frame. */
    static void writeFrame(Hj212Packet p, ByteArrayOutputStream out) {
        int n = p.segmentLength();
        out.write('#');
        out.write('#');
        out.write('0' + n / 1000 % 10);
        out.write('0' + n / 100 % 10);
        out.write('0' + n / 10 % 10);
        out.write('0' + n % 10);
        p.writeSegment(out);
        int crc = p.crc() & 0xFFFF;
        for (int i = 0; i < 4; i++) {
            out.write(HEX[(crc >>> (12 - 4 * i)) & 0xF]);
        }
        out.write('\r');
        out.write('\n');
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * A writer thread's buffers, re-used from batch to batch. A batch of 4,000 rows needs ≈ 0.5 MB of COPY data and
     * ≈ 0.3 MB of frames; allocated per batch (and copied once more to trim them) they were ≈ 2 MB per batch, most of
     * the server's allocation at full load, and each array over half a G1 region (512 KB with a 1 GB heap) is a
     * "humongous" allocation that starts a concurrent cycle: 97 of the 120 collections in a 60 s benchmark run were
     * started that way (docs/benchmarks.md, session 4). Every pause holds up the acknowledgements of all packets in
     * flight.
     */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static final class Buffers {
        final BinaryCopy raw = new BinaryCopy(64 * 1024);
        final BinaryCopy rows = new BinaryCopy(512 * 1024);
        final Frames frames = new Frames();
        private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        private final byte[] chunk = new byte[16 * 1024];
        private final ByteArrayOutputStream deflated = new ByteArrayOutputStream(64 * 1024);

        /** The uncompressed frames of a batch; its array is handed to the Deflater without a copy. */
        static final class Frames extends ByteArrayOutputStream {
            Frames() {
                super(256 * 1024);
            }

            byte[] array() {
                return buf;
            }
        }

        /** The batch's frames in one zlib stream: similar frames compress several times better together than apart. */
        byte[] deflate(byte[] input, int length) {
            deflater.reset();
            deflater.setInput(input, 0, length);
            deflater.finish();
            deflated.reset();
            while (!deflater.finished()) {
                deflated.write(chunk, 0, deflater.deflate(chunk));
            }
            return deflated.toByteArray();
        }
    }

    /**
     * The frame of an archived packet exactly as received (audits, replay): its slice of the batch's frames, or, for
     * packets archived before V50, its own compressed frame.
     */
    static java.util.Optional<byte[]> rawFrame(Connection conn, long packetId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("""
                SELECT p.raw, b.frames, p.batch_offset, p.batch_length FROM raw_packet p
                LEFT JOIN raw_batch b ON b.id = p.batch_id AND b.received_at <= p.received_at
                WHERE p.id = ?""")) {
            ps.setLong(1, packetId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                byte[] own = rs.getBytes(1);
                if (own != null) {
                    return java.util.Optional.of(inflate(own));
                }
                byte[] frames = rs.getBytes(2);
                if (frames == null) {
                    return java.util.Optional.empty(); // its batch is past the retention
                }
                int offset = rs.getInt(3);
                return java.util.Optional.of(java.util.Arrays.copyOfRange(inflate(frames), offset, offset + rs.getInt(4)));
            }
        }
    }

    private static byte[] inflate(byte[] compressed) throws SQLException {
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4);
            byte[] buf = new byte[16 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new SQLException("truncated raw archive");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (java.util.zip.DataFormatException e) {
            throw new SQLException("corrupt raw archive: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
