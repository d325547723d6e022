package org.gongzhi.platform.security;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.gongzhi.platform.RateLimiter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationFailureLockedEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing two ways. Per username: after {@code gongzhi.security.login-max-failures} failures the
 * username is locked for {@code gongzhi.security.login-lock}; attempts during the lock do not extend it (else anyone
 * could keep a colleague locked out for good). Per client address: {@code gongzhi.security.login-per-minute}
 * sign-in attempts (burst as many), so that guessing across many usernames, or flooding the username table, is slow
 * too. In memory, per node; the username table drops what no longer counts when it grows, and never stops counting.
 */
@Component
class LoginThrottle {

    private static final int PRUNE_ABOVE = 10_000;

    private record Failures(int count, Instant last, Instant lockedUntil) {
    }

    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
    private final int maxFailures;
    private final Duration lock;
    final RateLimiter perAddress;
    java.time.Clock clock = java.time.Clock.systemUTC();

    LoginThrottle(@Value("${gongzhi.security.login-max-failures:5}") int maxFailures,
                  @Value("${gongzhi.security.login-lock:PT5M}") Duration lock,
                  @Value("${gongzhi.security.login-per-minute:20}") int perMinute) {
        this.maxFailures = maxFailures;
        this.lock = lock;
        this.perAddress = new RateLimiter(perMinute, perMinute);
    }

    boolean isLocked(String username) {
        Failures f = username == null ? null : failures.get(username);
        return f != null && f.lockedUntil() != null && clock.instant().isBefore(f.lockedUntil());
    }

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        String name = event.getAuthentication().getName();
        if (name == null || event instanceof AuthenticationFailureLockedEvent) {
            return;
        }
        Instant now = clock.instant();
        if (failures.size() > PRUNE_ABOVE) {
            // A failure older than the lock and not locked any more no longer counts towards a lock.
            failures.values().removeIf(f -> f.last().plus(lock).isBefore(now)
                    && (f.lockedUntil() == null || f.lockedUntil().isBefore(now)));
        }
        failures.compute(name, (k, f) -> {
            boolean fresh = f == null || f.last().plus(lock).isBefore(now)
                    || (f.lockedUntil() != null && now.isAfter(f.lockedUntil()));
            int count = fresh ? 1 : f.count() + 1;
            return new Failures(count, now, count >= maxFailures ? now.plus(lock) : null);
        });
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        failures.remove(event.getAuthentication().getName());
    }
}
