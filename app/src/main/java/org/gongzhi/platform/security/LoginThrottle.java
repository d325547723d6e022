package org.gongzhi.platform.security;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing: after {@code gongzhi.security.login-max-failures} failures a username is locked for
 * {@code gongzhi.security.login-lock}. In memory, per node: good enough against online guessing on one node.
 */
@Component
class LoginThrottle {

    private record Failures(int count, Instant lockedUntil) {
    }

    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
    private final int maxFailures;
    private final Duration lock;

    LoginThrottle(@Value("${gongzhi.security.login-max-failures:5}") int maxFailures,
                  @Value("${gongzhi.security.login-lock:PT5M}") Duration lock) {
        this.maxFailures = maxFailures;
        this.lock = lock;
    }

    boolean isLocked(String username) {
        Failures f = username == null ? null : failures.get(username);
        return f != null && f.lockedUntil() != null && Instant.now().isBefore(f.lockedUntil());
    }

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        String name = event.getAuthentication().getName();
        if (name == null || failures.size() > 100_000) {
            return;
        }
        failures.compute(name, (k, f) -> {
            int count = (f == null || (f.lockedUntil() != null && Instant.now().isAfter(f.lockedUntil()))) ? 1 : f.count() + 1;
            return new Failures(count, count >= maxFailures ? Instant.now().plus(lock) : null);
        });
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        failures.remove(event.getAuthentication().getName());
    }
}
