package org.gongzhi.approval;

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
 * Anyone holding a document (a bank, a court, a neighbour) may check its verification code without an account: the
 * answer names only the document, its number and date and the SHA-256 of the issued PDF. Rate-limited per address;
 * the 60-bit codes cannot be enumerated anyway.
 */
@Configuration(proxyBeanMethods = false)
class ApprovalSecurity {

    static final Pattern VERIFY = Pattern.compile("^/approvals/verify(/[^/]+)?$|^/api/v1/approval-documents/verify/[^/]+$");

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 11)
    SecurityFilterChain approvalDocumentVerification(HttpSecurity http,
                                                     @Value("${gongzhi.approval.verify-rate-limit.burst:20}") int burst,
                                                     @Value("${gongzhi.approval.verify-rate-limit.per-minute:20}") int perMinute)
            throws Exception {
        return RateLimiter.publicReads(http, VERIFY, burst, perMinute);
    }
}
