package org.gongzhi.platform;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A client spent its tokens: 429 with Retry-After (RFC 6585), in Chinese and English. */
public class RateLimitedException extends ResponseStatusException {

    private final long retryAfterSeconds;

    public RateLimitedException(long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, "请求过于频繁，请稍后再试 / too many requests, try again later");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public HttpHeaders getHeaders() {
        HttpHeaders h = new HttpHeaders();
        h.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return h;
    }
}
