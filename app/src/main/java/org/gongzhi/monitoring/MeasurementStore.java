package org.gongzhi.monitoring;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HexFormat;
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
 * Writes one batch of packets on one connection inside the caller's transaction: the raw packets (compressed)
 * by COPY into raw_packet, the measurement rows by COPY into a temporary staging table and then
 * {@code INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING packet_id} into the partitioned measurement table,
 * so that a resend inserts nothing and is counted per packet. COPY sends the whole batch in one round trip and
 * skips per-row statement overhead; measured in docs/monitoring.md.
 */
final class MeasurementStore {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private MeasurementStore() {
    }

    /** Counts of the batch: per job (same order) inserted and duplicate rows; plus the span written. */
    record Result(int[] inserted, int[] staged, Instant from, Instant to) {
    }

    static Result write(Connection conn, List<WriteJob.Store> jobs) throws SQLException {
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
        CopyManager copy = conn.unwrap(PGConnection.class).getCopyAPI();
        StringBuilder raw = new StringBuilder(parts * 600);
        StringBuilder rows = new StringBuilder(n * 400);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        byte[] buf = new byte[4096];
        Map<Long, Integer> jobOfPacket = new HashMap<>();
        int[] staged = new int[n];
        Instant from = null;
        Instant to = null;
        int k = 0;
        for (int j = 0; j < n; j++) {
            WriteJob.Store job = jobs.get(j);
            String received = job.receivedAt().toString();
            long firstId = ids[k];
            for (Hj212Packet p : job.parts()) {
                raw.append(ids[k++]).append('\t').append(received).append('\t');
                text(raw, p.mn()).append('\t').append(p.cn()).append('\t');
                text(raw, p.qn()).append('\t');
                text(raw, job.remote()).append('\t').append("\\\\x");
                raw.append(HexFormat.of().formatHex(compress(deflater, frame(p), buf))).append('\n');
            }
            jobOfPacket.put(firstId, j);
            Hj212Packet p = job.packet();
            MeasurementKind kind = MeasurementKind.ofCn(p.cn());
            LocalDateTime dataTime = kind == null ? null : p.cp().dataTime();
            if (dataTime == null) {
                continue;
            }
            Instant t = dataTime.atZone(CHINA).toInstant();
            String ts = t.toString();
            for (Factor f : p.cp().factors()) {
                if (f.isEquipment() || f.isInfo()) {
                    continue;
                }
                OptionalDouble rtd = f.rtd(), min = f.min(), avg = f.avg(), max = f.max(), cou = f.cou();
                if (rtd.isEmpty() && min.isEmpty() && avg.isEmpty() && max.isEmpty() && cou.isEmpty()) {
                    continue;
                }
                rows.append(job.outfallId()).append('\t').append(kind.name()).append('\t').append(ts).append('\t');
                text(rows, f.standardCode()).append("\tHJ212\t");
                num(rows, rtd).append('\t');
                num(rows, min).append('\t');
                num(rows, avg).append('\t');
                num(rows, max).append('\t');
                num(rows, cou).append('\t');
                text(rows, f.flag().orElse(null)).append('\t').append(received).append('\t').append(firstId).append('\n');
                staged[j]++;
                from = from == null || t.isBefore(from) ? t : from;
                to = to == null || t.isAfter(to) ? t : to;
            }
        }
        deflater.end();
        copyIn(copy, "COPY raw_packet (id, received_at, mn, cn, qn, remote, raw) FROM STDIN", raw);
        int[] inserted = new int[n];
        if (rows.length() > 0) {
            try (Statement st = conn.createStatement()) {
                st.execute("CREATE TEMP TABLE IF NOT EXISTS measurement_stage (LIKE measurement) ON COMMIT DELETE ROWS");
            }
            copyIn(copy, "COPY measurement_stage (outfall_id, kind, data_time, factor, source, rtd, min, avg, max, cou, "
                    + "flag, received_at, packet_id) FROM STDIN", rows);
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("INSERT INTO measurement SELECT * FROM measurement_stage "
                         + "ON CONFLICT DO NOTHING RETURNING packet_id")) {
                while (rs.next()) {
                    inserted[jobOfPacket.get(rs.getLong(1))]++;
                }
            }
        }
        return new Result(inserted, staged, from, to);
    }

    private static void copyIn(CopyManager copy, String sql, StringBuilder data) throws SQLException {
        if (data.length() == 0) {
            return;
        }
        byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
        CopyIn in = copy.copyIn(sql);
        try {
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** The frame as received, rebuilt from its segment, the CRC it carried and a CR LF tail. */
    static byte[] frame(Hj212Packet p) {
        byte[] seg = p.segmentBytes();
        byte[] head = String.format("##%04d", seg.length).getBytes(StandardCharsets.US_ASCII);
        byte[] tail = (String.format("%04X", p.crc() & 0xFFFF) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + seg.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(seg, 0, out, head.length, seg.length);
        System.arraycopy(tail, 0, out, head.length + seg.length, tail.length);
        return out;
    }

    static byte[] compress(Deflater deflater, byte[] input, byte[] buf) {
        deflater.reset();
        deflater.setInput(input);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 16);
        while (!deflater.finished()) {
            int len = deflater.deflate(buf);
            out.write(buf, 0, len);
        }
        return out.toByteArray();
    }

    /** COPY text format: \N for null; backslash, tab, CR and LF escaped; NUL (which text cannot hold) dropped. */
    static StringBuilder text(StringBuilder sb, String s) {
        if (s == null) {
            return sb.append("\\N");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\0' -> { }
                default -> sb.append(c);
            }
        }
        return sb;
    }

    private static StringBuilder num(StringBuilder sb, OptionalDouble d) {
        if (d.isEmpty()) {
            return sb.append("\\N");
        }
        double v = d.getAsDouble();
        return Double.isFinite(v) ? sb.append(v) : sb.append(Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }
}
