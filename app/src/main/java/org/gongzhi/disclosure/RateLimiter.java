package org.gongzhi.disclosure;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key (a client IP, a device id, an API key): each key may spend {@code capacity} at once and earns
 * {@code perMinute} back per minute. Public endpoints use one per purpose, so that one noisy client slows only itself.
 * In memory, per node: behind several nodes the effective limit multiplies by the node count (documented).
 */
public final class RateLimiter {

    private final double capacity;
    private final double perNano;
    private final int maxKeys;
    private final ConcurrentHashMap<String, double[]> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int capacity, int perMinute) {
        this(capacity, perMinute, 100_000);
    }

    RateLimiter(int capacity, int perMinute, int maxKeys) {
        this.capacity = capacity;
        this.perNano = perMinute / 60e9;
        this.maxKeys = maxKeys;
    }

    /** Takes one token for the key; false when its bucket is empty (the caller answers 429). */
    public boolean tryAcquire(String key) {
        long now = System.nanoTime();
        if (buckets.size() > maxKeys) {
            // Many distinct keys (a scan or spoofed ids): forget full buckets rather than grow without bound.
            buckets.entrySet().removeIf(e -> level(e.getValue(), now) >= capacity);
        }
        double[] bucket = buckets.computeIfAbsent(key == null ? "" : key, k -> new double[] {capacity, now});
        synchronized (bucket) {
            double level = level(bucket, now);
            bucket[1] = now;
            if (level < 1) {
                bucket[0] = level;
                return false;
            }
            bucket[0] = level - 1;
            return true;
        }
    }

    /** Seconds until the key has a token again (for Retry-After). */
    public long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / (perNano * 1e9)));
    }

    private double level(double[] bucket, long now) {
        return Math.min(capacity, bucket[0] + (now - (long) bucket[1]) * perNano);
    }
}
