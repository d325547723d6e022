package org.gongzhi.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Behind the reverse proxy that terminates TLS in production, every citizen's request arrives from the proxy's
 * address. The per-address rate limits of the public endpoints must count the client named in X-Forwarded-For (set
 * by a proxy on a private or loopback address, Tomcat's RemoteIpValve defaults), or one busy visitor would lock
 * every citizen out of the public pages.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ClientAddressBehindProxyTest {

    @LocalServerPort int port;
    final HttpClient http = HttpClient.newHttpClient();

    int get(String forwardedFor) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/calendar/years"))
                .header("X-Forwarded-For", forwardedFor).header("X-Forwarded-Proto", "https").build();
        return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** How many calls it takes a client to be refused (the limit refills a token a second, so counts, not timing). */
    int callsUntilLimited(String forwardedFor) throws Exception {
        int calls = 0;
        while (calls < 500) {
            calls++;
            if (get(forwardedFor) == 429) {
                return calls;
            }
        }
        return calls;
    }

    @Test
    void eachForwardedClientHasItsOwnRateLimit() throws Exception {
        int burst = callsUntilLimited("203.0.113.7");
        assertThat(burst).as("the busy client is limited after its burst").isBetween(11, 499);
        assertThat(get("203.0.113.8")).as("another citizen behind the same proxy is not").isEqualTo(200);
        // A proxy appends to what the client sent: the client is the last untrusted hop, so a forged first entry
        // does not buy a fresh limit. Its bucket is (nearly) empty: refused within the few tokens refilled since.
        assertThat(callsUntilLimited("198.51.100.20, 203.0.113.7")).isLessThan(burst / 2);
    }
}
