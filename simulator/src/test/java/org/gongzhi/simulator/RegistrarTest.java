package org.gongzhi.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

class RegistrarTest {

    @Test
    @SuppressWarnings("unchecked")
    void postsEachDeviceAndTreats409AsRegistered() throws Exception {
        Map<String, Map<String, Object>> bodies = new ConcurrentHashMap<>();
        Map<String, String> auth = new ConcurrentHashMap<>();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/api/v1/data-loggers", ex -> {
            try (ex) {
                Map<String, Object> body = (Map<String, Object>) Json.parse(
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                String mn = (String) body.get("mn");
                bodies.put(mn, body);
                auth.put(mn, ex.getRequestHeaders().getFirst("Authorization"));
                int status = !ex.getRequestMethod().equals("POST") ? 405 : mn.endsWith("2") ? 409
                    : mn.endsWith("3") ? 400 : 201;
                byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(status, out.length);
                ex.getResponseBody().write(out);
            } catch (IOException | RuntimeException e) {
                throw new RuntimeException(e);
            }
        });
        http.start();
        try {
            Options o = Options.parse("--devices=4", "--outfall-ids=7,8", "--interval=600", "--password-per-device");
            URI base = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
            Map<String, Object> r = Registrar.register(base, "tok-123", Registrar.rows(o));
            assertThat(r.get("registered")).isEqualTo(2L);
            assertThat(r.get("alreadyRegistered")).isEqualTo(1L);
            assertThat(r.get("failed")).isEqualTo(1L);
            assertThat((List<String>) r.get("errors")).singleElement().asString().contains("88888880000003")
                .contains("HTTP 400");
            assertThat(bodies).hasSize(4);
            assertThat(auth.values()).containsOnly("Bearer tok-123");
            Map<String, Object> b1 = bodies.get("88888880000001");
            assertThat(b1).containsOnlyKeys("mn", "password", "outfallId", "factors", "intervalSeconds");
            assertThat(b1.get("password")).isEqualTo(o.password(0)).asString().matches("\\d{6}");
            assertThat(b1.get("outfallId")).isEqualTo(7L);
            assertThat(bodies.get("88888880000002").get("outfallId")).isEqualTo(8L);
            assertThat(b1.get("factors")).isEqualTo(List.of("w01018", "w21003", "w21011", "w21001", "w01001", "w00000"));
            assertThat(b1.get("intervalSeconds")).isEqualTo(600L);
            assertThat(o.password(0)).isNotEqualTo(o.password(1));
        } finally {
            http.stop(0);
        }
    }

    @Test
    void registrationUses2017CodesFor2005Devices() {
        Options o = Options.parse("--devices=1", "--protocol=2005", "--factors=011,B01");
        assertThat(Registrar.rows(o).get(0).factors()).containsExactly("w01018", "w00000");
        assertThat(o.wireFactors()).containsExactly("011", "B01");
        assertThat(Options.parse("--protocol=2005").wireFactors()).containsExactly("011", "060", "101", "065", "001",
            "B01");
    }
}
