package org.gongzhi.monitoring;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Published after a batch of measurements has committed (and before the loggers are acknowledged): which outfalls and
 * kinds got new rows, the span of their data times, how many rows were new (duplicates not counted), and
 * {@link #spans}: for each outfall and kind, the data times its new rows lie in. Listeners must not assume one event
 * per packet.
 *
 * <p>The spans are what a listener reads to see exactly the new rows: the gateway's loggers each run their own clock,
 * so the union [from, to] of a batch covers minutes of other packets of every outfall in it (at the gateway
 * benchmark's rate a read by the union returned 20 times the batch's rows, docs/benchmarks.md). The event stays small
 * (one span per packet, not the values): it lives in memory only, but listeners may run on other threads.
 */
public record MeasurementsStored(Set<Long> outfallIds, Set<MeasurementKind> kinds, Instant from, Instant to,
                                 long count, List<Span> spans) {

    /** The new rows of one outfall and kind have data times in [from, to] (inclusive). */
    public record Span(long outfallId, MeasurementKind kind, Instant from, Instant to) {
    }

    public MeasurementsStored {
        outfallIds = Set.copyOf(outfallIds);
        kinds = Set.copyOf(kinds);
        spans = List.copyOf(spans);
    }

    /**
     * Without per-outfall spans (an import of manual or laboratory results): every outfall and kind gets the union
     * span, which over-reads a little but misses nothing.
     */
    public MeasurementsStored(Set<Long> outfallIds, Set<MeasurementKind> kinds, Instant from, Instant to, long count) {
        this(outfallIds, kinds, from, to, count, outfallIds.stream()
                .flatMap(o -> kinds.stream().map(k -> new Span(o, k, from, to))).toList());
    }

    /**
     * The event of a batch whose new rows lie in {@code spans}: one per packet (one data time each) is exact; they are
     * not merged here, since two packets of one outfall may lie hours apart (a logger replaying its history).
     */
    public static MeasurementsStored of(List<Span> spans, long count) {
        Set<Long> outfalls = new HashSet<>();
        Set<MeasurementKind> kinds = EnumSet.noneOf(MeasurementKind.class);
        Instant from = null;
        Instant to = null;
        for (Span s : spans) {
            outfalls.add(s.outfallId());
            kinds.add(s.kind());
            from = from == null || s.from().isBefore(from) ? s.from() : from;
            to = to == null || s.to().isAfter(to) ? s.to() : to;
        }
        return new MeasurementsStored(outfalls, kinds, from, to, count, spans);
    }
}
