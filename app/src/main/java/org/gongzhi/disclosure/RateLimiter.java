package org.gongzhi.disclosure;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key (a client IP, a device id, an API key): each key may spend {@code capacity} at once and earns
 * {@code perMinute} tokens back per minute. Public endpoints use one limiter per purpose, so that one noisy client
 * slows only itself. In memory, per node: behind several nodes the effective limit multiplies by the node count.
 */
public final class RateLimiter {

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    private final double capacity;
    private final double perNano;
    private final int maxKeys;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int capacity, double perMinute) {
        this(capacity, perMinute, 100_000);
    }

    RateLimiter(int capacity, double perMinute, int maxKeys) {
        this.capacity = capacity;
        this.perNano = perMinute / 60e9;
        this.maxKeys = maxKeys;
    }

    /** Takes one token for the key; false when its bucket is empty (the caller answers 429). */
    public boolean tryAcquire(String key) {
        long now = System.nanoTime();
        if (buckets.size() > maxKeys) {
            // Many distinct keys (a scan or spoofed ids): forget full buckets rather than grow without bound.
            buckets.values().removeIf(b -> level(b, now) >= capacity);
        }
        Bucket bucket = buckets.computeIfAbsent(key == null ? "" : key, k -> new Bucket(capacity, now));
        synchronized (bucket) {
            bucket.tokens = level(bucket, now);
            bucket.at = now;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }

    /** Seconds until an empty bucket has a token again (for Retry-After). */
    public long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / (perNano * 1e9)));
    }

    private double level(Bucket b, long now) {
        return Math.min(capacity, b.tokens + (now - b.at) * perNano);
    }
}
