package org.gongzhi.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationFailureLockedEvent;

/** The throttle's rules on a set clock: what locks, what does not extend a lock, and the per-address limit. */
class LoginThrottleUnitTest {

    Instant now = Instant.parse("2026-11-29T08:00:00Z");
    final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(5), 4);

    void at(Instant t) {
        now = t;
        throttle.clock = Clock.fixed(t, ZoneOffset.UTC);
    }

    void wrongPassword(String user) {
        throttle.onFailure(new AuthenticationFailureBadCredentialsEvent(
                UsernamePasswordAuthenticationToken.unauthenticated(user, "x"), new BadCredentialsException("bad")));
    }

    void whileLocked(String user) {
        throttle.onFailure(new AuthenticationFailureLockedEvent(
                UsernamePasswordAuthenticationToken.unauthenticated(user, "x"), new LockedException("locked")));
    }

    @Test
    void attemptsDuringALockDoNotExtendIt() {
        at(now);
        for (int i = 0; i < 3; i++) {
            wrongPassword("wang");
        }
        assertThat(throttle.isLocked("wang")).isTrue();
        for (int minute = 1; minute <= 4; minute++) {
            at(Instant.parse("2026-11-29T08:00:00Z").plus(Duration.ofMinutes(minute)));
            whileLocked("wang"); // someone keeps trying to keep the account locked
        }
        at(Instant.parse("2026-11-29T08:05:01Z"));
        assertThat(throttle.isLocked("wang")).as("unlocked five minutes after the third failure").isFalse();
    }

    @Test
    void failuresSpreadBeyondTheLockWindowDoNotAddUp() {
        at(now);
        wrongPassword("li");
        wrongPassword("li");
        at(now.plus(Duration.ofMinutes(6)));
        wrongPassword("li");
        assertThat(throttle.isLocked("li")).isFalse();
        wrongPassword("li");
        wrongPassword("li");
        assertThat(throttle.isLocked("li")).isTrue();
    }

    @Test
    void anAddressGetsAFewSignInAttemptsAMinuteAndOthersAreUnaffected() throws Exception {
        jakarta.servlet.Filter filter = SecurityConfiguration.loginAttemptsPerAddress(throttle);
        int passed = 0;
        String lastRedirect = null;
        for (int i = 0; i < 10; i++) {
            MockHttpServletRequest post = new MockHttpServletRequest("POST", "/login");
            post.setRemoteAddr("203.0.113.5");
            MockHttpServletResponse response = new MockHttpServletResponse();
            MockFilterChain chain = new MockFilterChain();
            filter.doFilter(post, response, chain);
            if (chain.getRequest() != null) {
                passed++;
            } else {
                lastRedirect = response.getRedirectedUrl();
            }
        }
        assertThat(passed).isEqualTo(4);
        assertThat(lastRedirect).isEqualTo("/login?throttled");

        MockHttpServletRequest other = new MockHttpServletRequest("POST", "/login");
        other.setRemoteAddr("203.0.113.6");
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(other, new MockHttpServletResponse(), chain);
        assertThat(chain.getRequest()).as("another address signs in").isNotNull();

        MockHttpServletRequest page = new MockHttpServletRequest("GET", "/login");
        page.setRemoteAddr("203.0.113.5");
        chain = new MockFilterChain();
        filter.doFilter(page, new MockHttpServletResponse(), chain);
        assertThat(chain.getRequest()).as("the form itself still shows").isNotNull();
    }
}
