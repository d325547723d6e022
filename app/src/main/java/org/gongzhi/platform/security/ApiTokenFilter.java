package org.gongzhi.platform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates integrations by {@code Authorization: Bearer gz_…}; a bad token is refused, never ignored. */
class ApiTokenFilter extends OncePerRequestFilter {

    private final Accounts accounts;

    ApiTokenFilter(Accounts accounts) {
        this.accounts = accounts;
    }

    static boolean hasBearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (hasBearer(request)) {
            String token = request.getHeader("Authorization").substring(7).trim();
            Optional<Account> account = token.startsWith(Accounts.TOKEN_PREFIX) ? accounts.byToken(token) : Optional.empty();
            if (account.isEmpty()) {
                response.setStatus(401);
                response.setContentType("application/problem+json;charset=UTF-8");
                response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                        + "\"detail\":\"API令牌无效或已吊销 / the API token is invalid or revoked\"}");
                return;
            }
            var auth = new UsernamePasswordAuthenticationToken(account.get(), null, account.get().getAuthorities());
            SecurityContextHolder.getContext().setAuthentication(auth);
        }
        chain.doFilter(request, response);
    }
}
