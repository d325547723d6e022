package org.gongzhi.monitoring;

import java.time.Instant;
import java.util.Set;

/**
 * Published after a batch of measurements has committed (and before the loggers are acknowledged): which
 * outfalls and kinds got new rows, the span of their data times, and how many rows were new (duplicates not
 * counted). For compliance evaluation; listeners must not assume one event per packet.
 */
public record MeasurementsStored(Set<Long> outfallIds, Set<MeasurementKind> kinds, Instant from, Instant to,
                                 long count) {

    public MeasurementsStored {
        outfallIds = Set.copyOf(outfallIds);
        kinds = Set.copyOf(kinds);
    }
}
