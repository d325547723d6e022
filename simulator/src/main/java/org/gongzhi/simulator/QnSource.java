package org.gongzhi.simulator;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * QNs for one device: {@code yyyyMMddHHmmssSSS} of the wall clock, unique per device. When two packets fall in
 * the same millisecond the later one takes the next millisecond (the "counter"), so the QN stays a valid
 * timestamp and is strictly increasing for the device. Not thread-safe (one per device, used on its event loop).
 */
final class QnSource {

    private final ZoneId zone;
    private long lastMillis = Long.MIN_VALUE;

    QnSource(ZoneId zone) {
        this.zone = zone;
    }

    String next(long nowMillis) {
        long ms = nowMillis > lastMillis ? nowMillis : lastMillis + 1;
        lastMillis = ms;
        return Times.qn(LocalDateTime.ofInstant(Instant.ofEpochMilli(ms), zone));
    }

    String next() {
        return next(System.currentTimeMillis());
    }
}
