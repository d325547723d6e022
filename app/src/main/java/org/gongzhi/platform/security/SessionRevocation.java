package org.gongzhi.platform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Instant;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a browser session whose user was disabled, or whose password was reset, after the session signed in: a
 * dismissed employee's open browser must lose access at once, not when the session times out. The sign-in time is
 * kept in the session by {@link #recordingSignIn}; each signed-in request reads the user's row by primary key.
 * Bearer tokens are revoked in the same transaction instead (Accounts).
 */
final class SessionRevocation extends OncePerRequestFilter {

    static final String SIGNED_IN_AT = "gz.signedInAt";

    private final Accounts accounts;

    SessionRevocation(Accounts accounts) {
        this.accounts = accounts;
    }

    /** The form login's success handler: notes when the session signed in, then goes where it would have. */
    static AuthenticationSuccessHandler recordingSignIn(String defaultTarget) {
        SavedRequestAwareAuthenticationSuccessHandler target = new SavedRequestAwareAuthenticationSuccessHandler();
        target.setDefaultTargetUrl(defaultTarget);
        return (request, response, authentication) -> {
            request.getSession().setAttribute(SIGNED_IN_AT, Instant.now());
            target.onAuthenticationSuccess(request, response, authentication);
        };
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(SIGNED_IN_AT) instanceof Instant signedIn) {
            Authentication auth = SecurityContextHolder.getContext().getAuthentication();
            if (auth != null && auth.getPrincipal() instanceof Account account
                    && !accounts.sessionStillValid(account.currentUser().id(), signedIn)) {
                session.invalidate();
                SecurityContextHolder.clearContext();
            }
        }
        chain.doFilter(request, response);
    }
}
