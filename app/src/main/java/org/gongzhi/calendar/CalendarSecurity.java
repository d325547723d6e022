package org.gongzhi.calendar;

import java.util.regex.Pattern;
import org.gongzhi.platform.RateLimiter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

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
        return RateLimiter.publicReads(http, PUBLIC_READS, burst, perMinute);
    }
}
