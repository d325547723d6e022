package org.gongzhi.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and ack latencies of a group of devices (well-behaved or chaos), updated from the event-loop threads.
 * Latency is recorded in microseconds from the first transmission of a packet to its 9014 (so a packet acked after
 * a resend shows the resend wait).
 */
final class Stats {

    enum C {
        /** Packets (QNs) transmitted for the first time. */
        SENT,
        /** Packets whose 9014 arrived (each counted once). */
        ACKED,
        /** Retransmissions of a packet with the same QN (ack timeout, or reconnect after a drop). */
        RESENT,
        /** Packets given up after the retries, or still unacknowledged when the run ended. */
        FAILED,
        /** Packets generated but never transmitted before the run ended. */
        UNSENT,
        /** 9014 for a packet already acknowledged. */
        DUPLICATES_ACKED,
        /** 9014 for a packet already counted failed. */
        LATE_ACKS,
        /** 9014 with a QN this device never sent. */
        UNKNOWN_ACKS,
        /** Uploads (records) generated; a split record is one record of several packets. */
        RECORDS,
        SPLIT_PARTS,
        HISTORY_RECORDS,
        EXCEEDANCES,
        NON_N_FLAGS,
        BYTES_WRITTEN,
        FRAMES_WRITTEN,
        CONNECTS,
        CONNECT_FAILURES,
        DISCONNECTS,
        REPLIES_SENT,
        NOTIFY_ACKS,
        SERVER_FRAMES_REJECTED,
        GAVE_UP,
        // chaos
        BAD_CRC_FRAMES,
        BAD_LENGTH_FRAMES,
        BAD_FRAMES_ACKED,
        GARBAGE_CHUNKS,
        GARBAGE_BYTES,
        SLOW_FRAMES,
        ABRUPT_DISCONNECTS,
        // replay
        REPLAY_INVALID_FRAMES,
        REPLAY_NO_ACK_FRAMES
    }

    private final LongAdder[] counters = new LongAdder[C.values().length];
    private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(3_600_000_000L, 3);
    /** The same latencies since the last progress line (where in a run the slow acks are). */
    private final Recorder intervalMicros = new Recorder(3_600_000_000L, 3);
    private final Map<Integer, LongAdder> hostCommands = new ConcurrentHashMap<>();

    Stats() {
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new LongAdder();
        }
    }

    void inc(C c) {
        counters[c.ordinal()].increment();
    }

    void add(C c, long n) {
        counters[c.ordinal()].add(n);
    }

    long get(C c) {
        return counters[c.ordinal()].sum();
    }

    void latency(long nanos) {
        long micros = Math.min(Math.max(nanos / 1000, 0), 3_600_000_000L);
        latencyMicros.recordValue(micros);
        intervalMicros.recordValue(micros);
    }

    /** Ack latencies recorded since the previous call. */
    Histogram intervalLatencies() {
        return intervalMicros.getIntervalHistogram();
    }

    void hostCommand(int cn) {
        hostCommands.computeIfAbsent(cn, k -> new LongAdder()).increment();
    }

    Histogram latencies() {
        return latencyMicros.copy();
    }

    Map<String, Object> hostCommands() {
        Map<String, Object> m = new LinkedHashMap<>();
        new TreeMap<>(hostCommands).forEach((cn, n) -> m.put(Integer.toString(cn), n.sum()));
        return m;
    }

    /** {"p50","p90","p99","max","count"} in milliseconds (0.001 ms resolution). */
    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean empty = h.getTotalCount() == 0;
        m.put("p50", empty ? 0.0 : ms(h.getValueAtPercentile(50)));
        m.put("p90", empty ? 0.0 : ms(h.getValueAtPercentile(90)));
        m.put("p99", empty ? 0.0 : ms(h.getValueAtPercentile(99)));
        m.put("max", empty ? 0.0 : ms(h.getMaxValue()));
        m.put("count", h.getTotalCount());
        return m;
    }

    private static double ms(long micros) {
        return Math.round(micros) / 1000.0;
    }
}
