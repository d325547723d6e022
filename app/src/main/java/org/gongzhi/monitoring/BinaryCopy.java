package org.gongzhi.monitoring;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * Rows in PostgreSQL's binary COPY format ({@code COPY … FROM STDIN (FORMAT binary)}, PostgreSQL docs "COPY", "Binary
 * Format"): a fixed header, then per row a 16-bit field count and per field a 32-bit length (−1 for NULL) and the
 * value in the type's binary send format; a −1 field count ends the data. Against the text format this skips number
 * formatting on our side, number parsing on the server's, and all escaping; bytea goes as raw bytes, not hex.
 * Only the types the measurement store writes: int4, int8, float8, text, bytea, timestamptz.
 */
final class BinaryCopy {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
            0, 0, 0, 0, // flags: no OIDs
            0, 0, 0, 0}; // header extension length
    /** timestamptz is microseconds since 2000-01-01 00:00 UTC (integer datetimes, the only kind since PostgreSQL 10). */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private byte[] buf;
    private int len;
    private int rows;

    BinaryCopy(int capacity) {
        buf = new byte[Math.max(capacity, 64)];
        System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
        len = HEADER.length;
    }

    /** Empties the buffer for the next batch, keeping its capacity (a writer thread re-uses one per batch). */
    BinaryCopy reset() {
        len = HEADER.length;
        rows = 0;
        return this;
    }

    int rows() {
        return rows;
    }

    BinaryCopy row(int fields) {
        rows++;
        ensure(2);
        putShort(fields);
        return this;
    }

    BinaryCopy nul() {
        ensure(4);
        putInt(-1);
        return this;
    }

    BinaryCopy int4(int v) {
        ensure(8);
        putInt(4);
        putInt(v);
        return this;
    }

    BinaryCopy int8(long v) {
        ensure(12);
        putInt(8);
        putLong(v);
        return this;
    }

    BinaryCopy float8(OptionalDouble d) {
        return d.isEmpty() ? nul() : float8(d.getAsDouble());
    }

    BinaryCopy float8(double v) {
        ensure(12);
        putInt(8);
        putLong(Double.doubleToLongBits(v));
        return this;
    }

    BinaryCopy timestamptz(Instant t) {
        return int8(Math.addExact(Math.multiplyExact(t.getEpochSecond() - PG_EPOCH_SECONDS, 1_000_000L),
                t.getNano() / 1000));
    }

    /** UTF-8 text; NUL, which PostgreSQL text cannot hold, is dropped (as the text format did). */
    BinaryCopy text(String s) {
        if (s == null) {
            return nul();
        }
        int n = s.length();
        boolean plain = true;
        for (int i = 0; i < n && plain; i++) {
            char c = s.charAt(i);
            plain = c > 0 && c < 0x80;
        }
        if (plain) {
            ensure(4 + n);
            putInt(n);
            for (int i = 0; i < n; i++) {
                buf[len++] = (byte) s.charAt(i);
            }
            return this;
        }
        return bytes(s.replace("\0", "").getBytes(StandardCharsets.UTF_8));
    }

    BinaryCopy bytea(byte[] b) {
        return b == null ? nul() : bytes(b);
    }

    private BinaryCopy bytes(byte[] b) {
        ensure(4 + b.length);
        putInt(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    /** The COPY data, with its trailer. */
    byte[] finish() {
        return Arrays.copyOf(buf, end());
    }

    /** Appends the trailer; the COPY data is then the first {@code end()} bytes of {@link #array()}. */
    int end() {
        ensure(2);
        putShort(-1);
        return len;
    }

    byte[] array() {
        return buf;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    private void putShort(int v) {
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putInt(int v) {
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }
}
