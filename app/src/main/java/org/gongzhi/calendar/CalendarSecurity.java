package org.gongzhi.calendar;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The calendar's reads are public, for integrators (issue 5): a filter chain of their own, before the application's
 * signed-in chain, that lets anyone GET them, keeps no session and rate-limits per client address. Loading a notice
 * (POST /api/v1/calendar/notices) is not matched here, so it needs a sign-in like the rest of the API.
 */
@Configuration(proxyBeanMethods = false)
class CalendarSecurity {

    static final Pattern PUBLIC_READS = Pattern.compile("^/api/v1/calendar/(working-days/add|days/[^/]+|years)$");

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    SecurityFilterChain calendarPublicReads(HttpSecurity http,
                                            @Value("${gongzhi.calendar.rate-limit.burst:60}") int burst,
                                            @Value("${gongzhi.calendar.rate-limit.per-minute:60}") int perMinute)
            throws Exception {
        RateLimit limit = new RateLimit(burst, perMinute, System::nanoTime);
        http.securityMatcher(request -> "GET".equals(request.getMethod())
                        && PUBLIC_READS.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable()) // GET only, and no cookie is read: nothing to forge
                .requestCache(c -> c.disable())
                .addFilterAfter(new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                                    FilterChain chain) throws ServletException, IOException {
                        long retryAfter = limit.acquire(request.getRemoteAddr());
                        if (retryAfter == 0) {
                            chain.doFilter(request, response);
                            return;
                        }
                        response.setStatus(429);
                        response.setHeader("Retry-After", String.valueOf(retryAfter));
                        response.setContentType("application/problem+json");
                        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                        response.getWriter().write("""
                                {"type":"https://gongzhi.org/problems/too-many-requests","status":429,\
                                "title":"请求过于频繁 / Too many requests",\
                                "detail":"请 %d 秒后再试 / try again in %d s"}""".formatted(retryAfter, retryAfter));
                    }
                }, SecurityContextHolderFilter.class);
        return http.build();
    }
}
