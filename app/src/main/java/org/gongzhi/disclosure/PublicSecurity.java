package org.gongzhi.disclosure;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The public face needs no sign-in: outfall pages and signboards ({@code /o/**}), open data ({@code /api/v1/open/**}),
 * citizens' reports and their follow-up links ({@code /report/**}, {@code /r/**}) and Open311 ({@code /open311/**}).
 * This chain answers those paths before the platform's chain, which keeps everything else behind the sign-in.
 *
 * <p>CSRF stays on for the citizens' forms (the form page hands out the token, so another site cannot post reports in
 * a visitor's name). Open311 is exempt: its clients are other systems that post with an {@code api_key} and no
 * cookie, which is its protection (a POST without a valid key answers 403), as bearer tokens are for /api/v1.
 */
@Configuration(proxyBeanMethods = false)
class PublicSecurity {

    static final String[] PUBLIC_PATHS = {"/o/**", "/api/v1/open/**", "/report", "/report/**", "/r/**", "/open311/**"};

    @Bean
    @Order(10)
    SecurityFilterChain publicChain(HttpSecurity http) throws Exception {
        http.securityMatcher(PUBLIC_PATHS)
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(c -> c.ignoringRequestMatchers("/open311/**"))
                // A follow-up link carries its token in the path: it must not leave in a Referer header (map tiles).
                .headers(h -> h.referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        .contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data: https: http:; style-src 'self' 'unsafe-inline'; "
                                + "script-src 'self'; frame-ancestors 'self'")));
        return http.build();
    }
}
