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

    @Test
    void eachForwardedClientHasItsOwnRateLimit() throws Exception {
        int answered = 0;
        int status = 200;
        while (status == 200 && answered < 500) {
            status = get("203.0.113.7");
            answered++;
        }
        assertThat(status).as("the busy client is limited after its burst").isEqualTo(429);
        assertThat(answered).isGreaterThan(10);
        assertThat(get("203.0.113.8")).as("another citizen behind the same proxy is not").isEqualTo(200);
        assertThat(get("198.51.100.20, 203.0.113.7")).as("the proxy appends; the client is the last untrusted hop")
                .isEqualTo(429);
    }
}
