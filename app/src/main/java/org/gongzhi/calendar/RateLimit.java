package org.gongzhi.calendar;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address for the public calendar reads: {@code burst} calls at once, refilled at
 * {@code perMinute}. Buckets that are full again are dropped when the table grows, so a scan from many addresses
 * cannot grow memory without bound.
 */
final class RateLimit {

    private static final int MAX_TRACKED = 50_000;

    private final int burst;
    private final double tokensPerNano;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    RateLimit(int burst, int perMinute, LongSupplier nanoClock) {
        if (burst < 1 || perMinute < 1) {
            throw new IllegalArgumentException("gongzhi.calendar.rate-limit.burst and .per-minute must be at least 1");
        }
        this.burst = burst;
        this.tokensPerNano = perMinute / 60e9;
        this.nanoClock = nanoClock;
    }

    /**
     * Takes one token for {@code client}: 0 when the call may go ahead, else how many seconds until a token is there
     * (for Retry-After).
     */
    long acquire(String client) {
        long now = nanoClock.getAsLong();
        if (buckets.size() > MAX_TRACKED) {
            buckets.values().removeIf(b -> refill(b, now) >= burst);
        }
        Bucket b = buckets.computeIfAbsent(client, c -> new Bucket(burst, now));
        synchronized (b) {
            double tokens = refill(b, now);
            if (tokens >= 1) {
                b.tokens = tokens - 1;
                b.at = now;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / tokensPerNano / 1e9));
        }
    }

    private double refill(Bucket b, long now) {
        return Math.min(burst, b.tokens + (now - b.at) * tokensPerNano);
    }
}
