package org.gongzhi.platform.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Form login for people, bearer API tokens for integrations. Everything needs a sign-in except the login page,
 * static assets, health and the API description; what a signed-in user sees is then cut to their jurisdiction by
 * the repositories.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder(); // bcrypt, with the {id} prefix for upgrades
    }

    @Bean
    DaoAuthenticationProvider authenticationProvider(Accounts accounts, PasswordEncoder encoder, LoginThrottle throttle) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(accounts);
        provider.setPasswordEncoder(encoder);
        provider.setPreAuthenticationChecks(user -> {
            if (throttle.isLocked(user.getUsername())) {
                throw new LockedException("too many failed sign-ins");
            }
            if (!user.isEnabled()) {
                throw new org.springframework.security.authentication.DisabledException("disabled");
            }
        });
        return provider;
    }

    @Bean
    DefaultAuthenticationEventPublisher authenticationEventPublisher(ApplicationEventPublisher publisher) {
        return new DefaultAuthenticationEventPublisher(publisher);
    }

    @Bean
    SecurityFilterChain filterChain(HttpSecurity http, Accounts accounts, LoginThrottle throttle) throws Exception {
        RequestMatcher api = request -> request.getRequestURI().startsWith(request.getContextPath() + "/api/");
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/login", "/css/**", "/js/**", "/img/**", "/webjars/**", "/favicon.ico", "/error",
                                "/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**",
                                "/swagger-ui/**",
                                "/swagger-ui.html").permitAll()
                        .requestMatchers("/admin/**", "/api/v1/users/**", "/api/v1/audit/**", "/actuator/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .formLogin(f -> f.loginPage("/login").successHandler(SessionRevocation.recordingSignIn("/outfalls")).permitAll())
                .logout(l -> l.logoutSuccessUrl("/login?logout"))
                // Bearer-token calls carry no cookie, so they cannot be forged cross-site; cookie sessions need the token.
                .csrf(c -> c.ignoringRequestMatchers(ApiTokenFilter::hasBearer))
                .addFilterBefore(new ApiTokenFilter(accounts), UsernamePasswordAuthenticationFilter.class)
                .addFilterBefore(loginAttemptsPerAddress(throttle), UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(new SessionRevocation(accounts),
                        org.springframework.security.web.context.SecurityContextHolderFilter.class)
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
                        new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), api))
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data: https: http:; style-src 'self' 'unsafe-inline'; "
                                + "script-src 'self'; frame-ancestors 'self'")));
        return http.build();
    }

    /** Sign-in attempts per client address (LoginThrottle); over the limit the form says so instead of trying. */
    static jakarta.servlet.Filter loginAttemptsPerAddress(LoginThrottle throttle) {
        return new org.springframework.web.filter.OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(jakarta.servlet.http.HttpServletRequest request,
                                            jakarta.servlet.http.HttpServletResponse response,
                                            jakarta.servlet.FilterChain chain)
                    throws jakarta.servlet.ServletException, java.io.IOException {
                if ("POST".equals(request.getMethod())
                        && request.getRequestURI().equals(request.getContextPath() + "/login")
                        && throttle.perAddress.acquire(org.gongzhi.platform.RateLimiter.clientKey(request.getRemoteAddr())) > 0) {
                    response.sendRedirect(request.getContextPath() + "/login?throttled");
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }
}
