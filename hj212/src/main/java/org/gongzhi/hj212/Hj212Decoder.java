package org.gongzhi.hj212;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Streaming HJ 212 frame decoder: bytes in, {@link Hj212Packet}s and {@link Hj212Rejection}s out, one decoder per
 * TCP connection. Not thread-safe (like a Netty handler, it is driven by one thread).
 *
 * <p>Framing (hj212.md §1): {@code ##}, 4 decimal digits = data segment length in bytes, the segment, 4 hex
 * digits of the Annex A CRC (upper or lower case), CR LF. Tolerated: no tail, LF only, CR only (warnings).
 * After garbage, a bad length field, a too-long length or a bad CRC the decoder resynchronises at the next
 * {@code ##}. Guarantees, all checked by the fuzz test:
 * <ul>
 *   <li>it never throws for any input (only argument errors such as a bad offset, and whatever the sink throws);</li>
 *   <li>every input byte ends up in exactly one result, in stream order, or is still pending (at most one
 *       incomplete frame or a lone {@code #}); {@link #finish()} flushes what is pending. The one exception:
 *       CR and LF bytes right after a frame are line ends, skipped without a result (logs with one packet per
 *       line, a tail split across reads);</li>
 *   <li>it never buffers more than {@code hardMaxLength + 12} bytes: a declared length above the hard maximum
 *       is rejected as {@link Hj212Error#TOO_LONG} at once and its body is skipped, not stored;</li>
 *   <li>it never waits for input it does not need: a complete frame is delivered as soon as its CRC has arrived,
 *       even when its tail has not (devices without a tail wait for their ack);</li>
 *   <li>work is linear in the input (each byte is scanned a bounded number of times).</li>
 * </ul>
 *
 * <p>Netty use: in {@code channelRead}, call {@link #feed(byte[], int, int)} with the ByteBuf's array (or a copied
 * chunk) and forward the results the sink receives; call {@link #finish()} in {@code channelInactive}.
 */
public final class Hj212Decoder {

    /**
     * Decoder limits and CRC policy.
     *
     * @param softMaxLength data segments longer than this are accepted with an OVERSIZE warning (the standard says
     *                      1024; real loggers send 1025 and 1623, hj212.md §1)
     * @param hardMaxLength declared lengths above this are rejected as TOO_LONG without buffering (at most 9999, the
     *                      largest 4-digit length)
     * @param lenientCrc    null for strict Annex A only; else, for a frame whose CRC is CRC-16/MODBUS sent low byte
     *                      first, the predicate is asked with the frame's MN (possibly null) and a true answer
     *                      accepts it with warning CRC_MODBUS (per-device switch, hj212.md §2)
     */
    public record Config(int softMaxLength, int hardMaxLength, Predicate<String> lenientCrc) {

        /** The largest length the 4-digit field can express. */
        public static final int MAX_LENGTH_FIELD = 9999;

        public Config {
            if (softMaxLength < 0 || hardMaxLength < softMaxLength || hardMaxLength > MAX_LENGTH_FIELD) {
                throw new IllegalArgumentException("need 0 <= softMax (" + softMaxLength + ") <= hardMax ("
                    + hardMaxLength + ") <= " + MAX_LENGTH_FIELD);
            }
        }

        /** soft 1024 (the standard), hard 4096, strict CRC. */
        public static Config defaults() {
            return new Config(1024, 4096, null);
        }

        public Config withSoftMaxLength(int soft) {
            return new Config(soft, hardMaxLength, lenientCrc);
        }

        public Config withHardMaxLength(int hard) {
            return new Config(Math.min(softMaxLength, hard), hard, lenientCrc);
        }

        /** Accept MODBUS-low-byte-first CRCs from devices whose MN the predicate accepts. */
        public Config withLenientCrc(Predicate<String> byMn) {
            return new Config(softMaxLength, hardMaxLength, byMn);
        }

        /** Accept MODBUS-low-byte-first CRCs from every device (e.g. a connection already known to be such a device). */
        public Config withLenientCrcForAll() {
            return withLenientCrc(mn -> true);
        }
    }

    private static final int SKIP_SAMPLE_MAX = 256;
    private static final byte[] EMPTY = new byte[0];

    private final Config config;
    private final Consumer<? super Hj212Result> sink;

    private byte[] buf = EMPTY;
    private int start;      // first unconsumed byte in buf
    private int end;        // one past the last valid byte in buf
    private long base;      // stream offset of buf[0]

    // Skipping state: bytes being discarded until the next "##", reported as one rejection when it is found.
    private boolean skipping;
    private Hj212Error skipError;
    private String skipDetail;
    private long skipOffset;
    private long skipCount;
    private byte[] skipSample;
    private int skipSampleLen;

    /** Set after a frame: CR and LF bytes that follow are line ends, skipped silently. */
    private boolean betweenFrames;
    /** Stream offset of the frame whose inside was scanned for a next frame, and how far. */
    private long innerScanFrame = -1;
    private long innerScanPos;

    private long packets;
    private long modbusAccepted;
    private long oversizeAccepted;
    private final long[] rejected = new long[Hj212Error.values().length];

    /** A decoder with {@link Config#defaults()}. */
    public Hj212Decoder(Consumer<? super Hj212Result> sink) {
        this(Config.defaults(), sink);
    }

    public Hj212Decoder(Config config, Consumer<? super Hj212Result> sink) {
        this.config = Objects.requireNonNull(config, "config");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Decodes a complete byte stream (e.g. a capture file): feeds it as the last input and returns all results. */
    public static List<Hj212Result> decodeAll(byte[] bytes, int off, int len, Config config) {
        List<Hj212Result> out = new ArrayList<>();
        new Hj212Decoder(config, out::add).feedLast(bytes, off, len);
        return out;
    }

    /** {@link #decodeAll(byte[], int, int, Config)} with default limits. */
    public static List<Hj212Result> decodeAll(byte[] bytes) {
        return decodeAll(bytes, 0, bytes.length, Config.defaults());
    }

    public Config config() {
        return config;
    }

    /**
     * Feeds the next bytes of the stream. Results are passed to the sink before this returns. The array is not
     * retained.
     *
     * @throws IndexOutOfBoundsException if off/len are outside src (a caller bug, never caused by the data)
     */
    public void feed(byte[] src, int off, int len) {
        feed(src, off, len, false);
    }

    /** Feeds the last bytes of the stream and then {@link #finish()}es: a frame at the very end has no tail. */
    public void feedLast(byte[] src, int off, int len) {
        feed(src, off, len, true);
    }

    /**
     * End of stream (connection closed): flushes pending garbage, reports an incomplete frame as TRUNCATED (or
     * BAD_LENGTH when it is evidently complete with a wrong length), and resets for a new stream.
     */
    public void finish() {
        feed(EMPTY, 0, 0, true);
    }

    /** Bytes currently held (an incomplete frame, a lone '#'); never more than hardMaxLength + 12. */
    public int buffered() {
        return end - start;
    }

    /** Stream offset of the next byte to be fed. */
    public long position() {
        return base + end;
    }

    /** Packets delivered so far. */
    public long packets() {
        return packets;
    }

    /** Rejections so far with this error. */
    public long rejections(Hj212Error error) {
        return rejected[error.ordinal()];
    }

    /** Packets accepted only through the lenient MODBUS CRC switch. */
    public long modbusCrcAccepted() {
        return modbusAccepted;
    }

    /** Packets accepted with a segment over the soft maximum. */
    public long oversizeAccepted() {
        return oversizeAccepted;
    }

    // ------------------------------------------------------------------------------------------------ core

    private void feed(byte[] src, int off, int len, boolean last) {
        Objects.checkFromIndexSize(off, len, src.length);
        while (len > 0) {
            makeRoom();
            int n = Math.min(len, buf.length - end);
            System.arraycopy(src, off, buf, end, n);
            end += n;
            off += n;
            len -= n;
            process(last && len == 0);
        }
        if (last) {
            process(true);
            betweenFrames = false;
        }
    }

    /** Compacts the buffer and grows it (up to the hard maximum) so at least one byte can be appended. */
    private void makeRoom() {
        if (start == end) {
            base += end;
            start = end = 0;
        } else if (start > 0 && (end == buf.length || start > buf.length / 2)) {
            System.arraycopy(buf, start, buf, 0, end - start);
            base += start;
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            int cap = config.hardMaxLength() + 12; // "##" + 4 digits + segment + CRC + CR LF
            int next = Math.min(cap, Math.max(1100, buf.length * 2));
            if (next <= buf.length) {
                // Cannot happen: process() never leaves more than an incomplete frame (< cap) unconsumed.
                throw new IllegalStateException("decoder buffer full");
            }
            buf = Arrays.copyOf(buf, next);
        }
    }

    private void process(boolean eof) {
        final byte[] b = buf;
        while (true) {
            if (start >= end) {
                if (eof && skipping) {
                    emitSkip();
                }
                return;
            }
            if (betweenFrames) {
                // CR/LF after a frame's tail (a tail split across reads, or one packet per line in a log file)
                // are line ends, not garbage: skipped without a rejection.
                byte c = b[start];
                if (c == '\r' || c == '\n') {
                    start++;
                    continue;
                }
                betweenFrames = false;
            }
            if (skipping) {
                int p = findHeader(start, end);
                if (p >= 0) {
                    skipBytes(start, p);
                    start = p;
                    emitSkip();
                    continue;
                }
                int stop = !eof && b[end - 1] == '#' ? end - 1 : end; // a trailing '#' may start the next "##"
                skipBytes(start, stop);
                start = stop;
                if (eof) {
                    emitSkip();
                }
                return;
            }
            // Expecting "##" at start.
            if (b[start] != '#' || (start + 1 < end && b[start + 1] != '#')) {
                beginSkip(Hj212Error.BAD_HEADER, "bytes before ##", start + 1);
                continue;
            }
            if (end - start < 6) {
                if (eof) {
                    reject(Hj212Error.TRUNCATED, start, end, "input ended inside the frame header", -1, -1, null);
                    start = end;
                }
                return;
            }
            int len = Hj212Packet.parseUint(b, start + 2, start + 6, 4);
            if (len < 0) {
                beginSkip(Hj212Error.BAD_LENGTH, "length field '" + printable(b, start + 2, start + 6)
                    + "' is not 4 decimal digits", start + 1);
                continue;
            }
            if (len > config.hardMaxLength()) {
                // Rejected before its body arrives: the body is skipped as it streams in, never buffered.
                beginSkip(Hj212Error.TOO_LONG, "declared length " + len + " > hard maximum "
                    + config.hardMaxLength(), start + 6);
                continue;
            }
            final int segStart = start + 6;
            final int crcPos = segStart + len;
            final int frameEnd = crcPos + 4;
            if (frameEnd > end) {
                // Incomplete. If the declared length is too long, the next frame may already be inside it:
                // resync there now instead of stalling until len bytes have come (an ack would be late).
                int q = scanForInnerFrame(segStart);
                if (q >= 0) {
                    reject(Hj212Error.BAD_LENGTH, start, q, "declared length " + len
                        + " runs into the next frame" + guess(segStart, q), -1, -1, null);
                    start = q;
                    continue;
                }
                if (eof) {
                    String g = guess(segStart, end);
                    reject(g.isEmpty() ? Hj212Error.TRUNCATED : Hj212Error.BAD_LENGTH, start, end,
                        "declared length " + len + " but input ended after " + (end - segStart)
                            + " bytes of segment" + g, -1, -1, null);
                    start = end;
                }
                return;
            }
            int given = Hj212Crc.parseHex4(b, crcPos);
            if (given < 0) {
                int next = findHeader(start + 2, end);
                beginSkip(Hj212Error.BAD_LENGTH, "declared length " + len + " but '" + printable(b, crcPos, frameEnd)
                    + "' at its end is not a CRC" + guess(segStart, next < 0 ? end : next), start + 1);
                continue;
            }
            int expected = Hj212Crc.compute(b, segStart, len);
            Hj212Packet.CrcKind kind = Hj212Packet.CrcKind.HJ212;
            if (given != expected) {
                boolean modbus = given == Hj212Crc.modbusLowByteFirst(b, segStart, len);
                Hj212Packet unverified = null;
                if (modbus && config.lenientCrc() != null) {
                    unverified = packet(segStart, len, frameEnd, 0, given, expected,
                        Hj212Packet.CrcKind.NONE, Hj212Packet.Tail.NONE, false);
                    if (config.lenientCrc().test(unverified.mn())) {
                        kind = Hj212Packet.CrcKind.MODBUS_LOW_FIRST;
                    }
                }
                if (kind != Hj212Packet.CrcKind.MODBUS_LOW_FIRST) {
                    int q = findHeader(start + 2, frameEnd);
                    if (q >= 0) {
                        // "##" inside the frame: most likely a wrong length swallowing the next frame.
                        boolean frameLike = q + 6 <= end && Hj212Packet.parseUint(b, q + 2, q + 6, 4) >= 0;
                        reject(frameLike ? Hj212Error.BAD_LENGTH : Hj212Error.BAD_CRC, start, q,
                            "CRC " + Hj212Crc.toHex(given) + " != " + Hj212Crc.toHex(expected)
                                + " and ## found inside the declared length" + guess(segStart, q),
                            given, expected, null);
                        start = q;
                        continue;
                    }
                    int tl = tailLength(frameEnd, eof);
                    if (unverified == null) {
                        unverified = packet(segStart, len, frameEnd, tl, given, expected,
                            Hj212Packet.CrcKind.NONE, Hj212Packet.Tail.NONE, false);
                    }
                    reject(Hj212Error.BAD_CRC, start, frameEnd + tl, "CRC " + Hj212Crc.toHex(given)
                        + " != Annex A " + Hj212Crc.toHex(expected)
                        + (modbus ? " (it is CRC-16/MODBUS sent low byte first; lenient CRC is off for this MN)" : ""),
                        given, expected, unverified);
                    start = frameEnd + tl;
                    betweenFrames = true;
                    continue;
                }
            }
            // CRC accepted: look at the tail, then parse the header.
            Hj212Packet.Tail tail;
            int tl;
            if (frameEnd < end) {
                byte c = b[frameEnd];
                if (c == '\r') {
                    if (frameEnd + 1 < end) {
                        boolean lf = b[frameEnd + 1] == '\n';
                        tail = lf ? Hj212Packet.Tail.CRLF : Hj212Packet.Tail.CR;
                        tl = lf ? 2 : 1;
                    } else if (eof) {
                        tail = Hj212Packet.Tail.CR;
                        tl = 1;
                    } else {
                        tail = Hj212Packet.Tail.CRLF; // CR seen, LF not yet arrived: skipped if it comes
                        tl = 1;
                    }
                } else if (c == '\n') {
                    tail = Hj212Packet.Tail.LF;
                    tl = 1;
                } else {
                    tail = Hj212Packet.Tail.NONE;
                    tl = 0;
                }
            } else if (eof) {
                tail = Hj212Packet.Tail.NONE;
                tl = 0;
            } else {
                tail = Hj212Packet.Tail.UNSEEN;
                tl = 0;
            }
            Hj212Packet p = packet(segStart, len, frameEnd, tl, given, expected, kind, tail, true);
            int frameStart = start;
            start = frameEnd + tl;
            betweenFrames = true;
            if (p.problem() != null) {
                reject(Hj212Error.BAD_FIELD, frameStart, start, p.problem(), given, expected, p);
                continue;
            }
            packets++;
            if (kind == Hj212Packet.CrcKind.MODBUS_LOW_FIRST) {
                modbusAccepted++;
            }
            if (len > config.softMaxLength()) {
                oversizeAccepted++;
            }
            sink.accept(p);
        }
    }

    private Hj212Packet packet(int segStart, int len, int frameEnd, int tl, int given, int expected,
                               Hj212Packet.CrcKind kind, Hj212Packet.Tail tail, boolean withWarnings) {
        List<Hj212Warning> w = null;
        if (withWarnings) {
            if (len > config.softMaxLength()) {
                w = new ArrayList<>(2);
                w.add(new Hj212Warning(Hj212Warning.Code.OVERSIZE,
                    "data segment is " + len + " bytes (standard maximum " + config.softMaxLength() + ")"));
            }
            Hj212Warning.Code tc = switch (tail) {
                case NONE -> Hj212Warning.Code.TAIL_MISSING;
                case LF -> Hj212Warning.Code.TAIL_LF_ONLY;
                case CR -> Hj212Warning.Code.TAIL_CR_ONLY;
                default -> null;
            };
            if (tc != null) {
                w = w == null ? new ArrayList<>(2) : w;
                w.add(new Hj212Warning(tc, "after CRC"));
            }
            if (kind == Hj212Packet.CrcKind.MODBUS_LOW_FIRST) {
                w = w == null ? new ArrayList<>(2) : w;
                w.add(new Hj212Warning(Hj212Warning.Code.CRC_MODBUS, "CRC " + Hj212Crc.toHex(given)
                    + " is CRC-16/MODBUS low byte first; Annex A gives " + Hj212Crc.toHex(expected)));
            }
        }
        byte[] seg = Arrays.copyOfRange(buf, segStart, segStart + len);
        return new Hj212Packet(seg, base + segStart - 6, (long) frameEnd + tl - (segStart - 6), len, given, expected,
            kind, tail, w);
    }

    /** Bytes of the tail (CR LF, LF, CR) present at pos. */
    private int tailLength(int pos, boolean eof) {
        if (pos >= end) {
            return 0;
        }
        if (buf[pos] == '\n') {
            return 1;
        }
        if (buf[pos] == '\r') {
            return pos + 1 < end && buf[pos + 1] == '\n' ? 2 : 1;
        }
        return 0;
    }

    /** First i in [from, to-1) with buf[i..i+1] == "##", or -1. */
    private int findHeader(int from, int to) {
        final byte[] b = buf;
        for (int i = from; i < to - 1; i++) {
            if (b[i] == '#' && b[i + 1] == '#') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Looks inside the incomplete frame at {@code start} for the start of another frame: {@code ##dddd} right after
     * an LF or right after {@code &&} + 4 hex digits (the end of a frame without tail). Data segments never contain
     * those sequences, so this does not cut a good frame short. Scans each byte once per frame.
     */
    private int scanForInnerFrame(int segStart) {
        long frameAbs = base + start;
        int from = segStart;
        if (innerScanFrame == frameAbs) {
            from = (int) Math.max(segStart, innerScanPos - base);
        }
        final byte[] b = buf;
        int last = end - 6; // need "##dddd"
        int q = from;
        for (; q <= last; q++) {
            if (b[q] != '#' || b[q + 1] != '#') {
                continue;
            }
            if (Hj212Packet.parseUint(b, q + 2, q + 6, 4) < 0) {
                continue;
            }
            boolean afterLf = b[q - 1] == '\n';
            boolean afterCrc = q - 6 >= segStart && b[q - 6] == '&' && b[q - 5] == '&' && Hj212Crc.parseHex4(b, q - 4) >= 0;
            if (afterLf || afterCrc) {
                innerScanFrame = -1;
                return q;
            }
        }
        innerScanFrame = frameAbs;
        innerScanPos = base + Math.max(from, q);
        return -1;
    }

    /**
     * For a frame whose declared length is wrong: if buf[segStart, limit) ends with {@code &&} + 4 hex digits and
     * an optional tail, names the real segment length (what a field engineer needs to see).
     */
    private String guess(int segStart, int limit) {
        final byte[] b = buf;
        int e = limit;
        while (e > segStart && (b[e - 1] == '\n' || b[e - 1] == '\r')) {
            e--;
        }
        int amp = e - 6;
        if (amp >= segStart && b[amp] == '&' && b[amp + 1] == '&' && Hj212Crc.parseHex4(b, amp + 2) >= 0) {
            int actual = amp + 2 - segStart;
            int crc = Hj212Crc.compute(b, segStart, actual);
            return "; the segment appears to be " + actual + " bytes (CRC there " + printable(b, amp + 2, amp + 6)
                + ", Annex A of that segment " + Hj212Crc.toHex(crc) + ")";
        }
        return "";
    }

    private void beginSkip(Hj212Error error, String detail, int consumeTo) {
        skipping = true;
        skipError = error;
        skipDetail = detail;
        skipOffset = base + start;
        skipCount = 0;
        skipSampleLen = 0;
        skipBytes(start, consumeTo);
        start = consumeTo;
    }

    private void skipBytes(int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        if (skipSampleLen < SKIP_SAMPLE_MAX) {
            if (skipSample == null) {
                skipSample = new byte[SKIP_SAMPLE_MAX];
            }
            int k = Math.min(n, SKIP_SAMPLE_MAX - skipSampleLen);
            System.arraycopy(buf, from, skipSample, skipSampleLen, k);
            skipSampleLen += k;
        }
        skipCount += n;
    }

    private void emitSkip() {
        skipping = false;
        rejected[skipError.ordinal()]++;
        Hj212Rejection r = new Hj212Rejection(skipError, skipOffset, skipCount, skipDetail,
            Arrays.copyOf(skipSample == null ? EMPTY : skipSample, skipSampleLen), -1, -1, null);
        skipDetail = null;
        sink.accept(r);
    }

    private void reject(Hj212Error error, int from, int to, String detail, int given, int expected, Hj212Packet p) {
        rejected[error.ordinal()]++;
        sink.accept(new Hj212Rejection(error, base + from, to - from, detail, Arrays.copyOfRange(buf, from, to),
            given, expected, p));
    }

    /** Text for a detail message: printable ASCII as is, anything else as \xNN. */
    static String printable(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02X", c));
            }
        }
        return sb.toString();
    }
}
