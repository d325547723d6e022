package org.gongzhi.monitoring;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Published after a batch of measurements has committed (and before the loggers are acknowledged): {@link #spans},
 * for each outfall and kind the data times its new rows lie in; how many rows were new (duplicates not counted); and
 * whether they were {@link #imported} (manual, laboratory or self-monitoring results) rather than sent by data
 * loggers. Listeners must not assume one event per packet.
 *
 * <p>The spans are what a listener reads to see exactly the new rows: the gateway's loggers each run their own clock,
 * so the union of a batch's data times covers minutes of other packets of every outfall in it (at the gateway
 * benchmark's rate a read by the union returned 20 times the batch's rows, docs/benchmarks.md). The event stays small
 * (one span per packet, not the values): it lives in memory only, but listeners may run on other threads.
 */
public record MeasurementsStored(List<Span> spans, long count, boolean imported) {

    /** The new rows of one outfall and kind have data times in [from, to] (inclusive). */
    public record Span(long outfallId, MeasurementKind kind, Instant from, Instant to) {
    }

    public MeasurementsStored {
        spans = List.copyOf(spans);
    }

    /**
     * The event of a gateway batch whose new rows lie in {@code spans}: one per packet (one data time each) is exact;
     * they are not merged here, since two packets of one outfall may lie hours apart (a logger replaying its history).
     */
    public static MeasurementsStored of(List<Span> spans, long count) {
        return new MeasurementsStored(spans, count, false);
    }

    /**
     * An import of results, known by the union of its outfalls, kinds and data times: every outfall and kind gets the
     * union span, which over-reads a little but misses nothing.
     */
    static MeasurementsStored imported(Set<Long> outfallIds, Set<MeasurementKind> kinds, Instant from, Instant to, long count) {
        return new MeasurementsStored(outfallIds.stream().flatMap(o -> kinds.stream().map(k -> new Span(o, k, from, to)))
                .toList(), count, true);
    }

    public Set<Long> outfallIds() {
        return spans.stream().map(Span::outfallId).collect(Collectors.toSet());
    }

    /** The earliest data time of the new rows (null without any). */
    public Instant from() {
        return spans.stream().map(Span::from).min(Instant::compareTo).orElse(null);
    }

    /** The latest data time of the new rows (null without any). */
    public Instant to() {
        return spans.stream().map(Span::to).max(Instant::compareTo).orElse(null);
    }
}
