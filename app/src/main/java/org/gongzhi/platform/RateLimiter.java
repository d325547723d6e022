package org.gongzhi.platform;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a client address, a device id, an API key) for public endpoints: {@code burst} calls at once,
 * refilled at {@code perMinute}. Endpoints use one limiter per purpose, so that one noisy client slows only itself.
 * Buckets that are full again are dropped when the table grows, so a scan from many keys cannot grow memory without
 * bound. In memory, per node: behind several nodes the effective limit multiplies by the node count.
 */
public final class RateLimiter {

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

    public RateLimiter(int burst, double perMinute) {
        this(burst, perMinute, System::nanoTime);
    }

    RateLimiter(int burst, double perMinute, LongSupplier nanoClock) {
        if (burst < 1 || perMinute <= 0) {
            throw new IllegalArgumentException("a rate limit's burst and per-minute must be at least 1");
        }
        this.burst = burst;
        this.tokensPerNano = perMinute / 60e9;
        this.nanoClock = nanoClock;
    }

    /**
     * Takes one token for {@code key}: 0 when the call may go ahead, else how many seconds until a token is there
     * (for Retry-After).
     */
    public long acquire(String key) {
        long now = nanoClock.getAsLong();
        if (buckets.size() > MAX_TRACKED) {
            buckets.values().removeIf(b -> refill(b, now) >= burst);
        }
        Bucket b = buckets.computeIfAbsent(key == null ? "" : key, c -> new Bucket(burst, now));
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

    /** Takes one token for {@code key} or throws {@link RateLimitedException} (429 with Retry-After). */
    public void check(String key) {
        long retryAfter = acquire(key);
        if (retryAfter > 0) {
            throw new RateLimitedException(retryAfter);
        }
    }

    /**
     * The key of a client address: an IPv4 address as it is, an IPv6 address by its /64 network, because one
     * subscriber line gets a whole /64 and could otherwise take a fresh address for every call.
     */
    public static String clientKey(String remoteAddr) {
        if (remoteAddr == null || remoteAddr.indexOf(':') < 0) {
            return remoteAddr;
        }
        try {
            byte[] a = java.net.InetAddress.getByName(remoteAddr).getAddress();
            if (a.length != 16) {
                return remoteAddr;
            }
            StringBuilder sb = new StringBuilder(24);
            for (int i = 0; i < 8; i += 2) {
                sb.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
            }
            return sb.append(":/64").toString();
        } catch (java.net.UnknownHostException e) {
            return remoteAddr; // not an address literal: keep it as it came
        }
    }

    /** {@link #check} for a client address, keyed by {@link #clientKey} (IPv6 by /64). */
    public void checkAddress(String remoteAddr) {
        check(clientKey(remoteAddr));
    }

    private double refill(Bucket b, long now) {
        return Math.min(burst, b.tokens + (now - b.at) * tokensPerNano);
    }

    /**
     * A servlet filter that spends one token per request of the caller's address and answers 429 problem+json with
     * Retry-After when the bucket is empty.
     */
    public jakarta.servlet.Filter filter() {
        return new org.springframework.web.filter.OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(jakarta.servlet.http.HttpServletRequest request,
                                            jakarta.servlet.http.HttpServletResponse response,
                                            jakarta.servlet.FilterChain chain)
                    throws jakarta.servlet.ServletException, java.io.IOException {
                long retryAfter = acquire(clientKey(request.getRemoteAddr()));
                if (retryAfter == 0) {
                    chain.doFilter(request, response);
                    return;
                }
                response.setStatus(429);
                response.setHeader("Retry-After", String.valueOf(retryAfter));
                response.setContentType("application/problem+json");
                response.setCharacterEncoding("UTF-8");
                response.getWriter().write("""
                        {"type":"https://gongzhi.org/problems/too-many-requests","status":429,\
                        "title":"请求过于频繁 / Too many requests",\
                        "detail":"请 %d 秒后再试 / try again in %d s"}""".formatted(retryAfter, retryAfter));
            }
        };
    }

    /**
     * A security filter chain for public reads: GET requests whose path matches {@code paths}, for anyone, with no
     * session, no CSRF (nothing is changed and no cookie is read) and this rate limit per address. Put it before
     * the application's signed-in chain with {@code @Order}.
     */
    public static org.springframework.security.web.SecurityFilterChain publicReads(
            org.springframework.security.config.annotation.web.builders.HttpSecurity http, java.util.regex.Pattern paths,
            int burst, int perMinute) throws Exception {
        RateLimiter limit = new RateLimiter(burst, perMinute);
        http.securityMatcher(request -> "GET".equals(request.getMethod())
                        && paths.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .sessionManagement(s -> s.sessionCreationPolicy(
                        org.springframework.security.config.http.SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                .addFilterAfter(limit.filter(), org.springframework.security.web.context.SecurityContextHolderFilter.class);
        return http.build();
    }
}
