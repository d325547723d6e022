package org.gongzhi.bench.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prepares a fresh server for the gateway scripts (scripts/bench-gateway.sh, bench-idle-connections.sh,
 * reliability-*.sh): signs in as the admin, creates an API token (written to --token-file) and, with
 * --outfalls=N, imports N outfalls through the ledger's CSV import, so that simulated data loggers can be bound
 * to them (one outfall per device: the measurement key starts with the outfall id). The scripts read the outfall
 * ids back with psql.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.gongzhi.bench.gateway.GatewaySetup \
 *     --url=http://127.0.0.1:18091 --user=admin --password=... --outfalls=2000 --token-file=/tmp/x/token</pre>
 */
public final class GatewaySetup {

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final String url;
    private String token;

    private GatewaySetup(String url) {
        this.url = url;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("url", "http://127.0.0.1:8080", "user", "admin",
                "password", "gongzhi-admin", "outfalls", "0", "token-file", "token", "tag", "gw"));
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                System.err.println("usage: --url=... --user=... --password=... --outfalls=N --token-file=F --tag=gw");
                System.exit(2);
            }
            o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        GatewaySetup s = new GatewaySetup(o.get("url"));
        s.signIn(o.get("user"), o.get("password"));
        Files.writeString(Path.of(o.get("token-file")), s.token);
        int n = Integer.parseInt(o.get("outfalls"));
        if (n > 0) {
            long t0 = System.nanoTime();
            s.importOutfalls(n, o.get("tag"));
            System.err.printf("imported %,d outfalls in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        }
    }

    private void signIn(String user, String password) throws Exception {
        String csrf = find(send(HttpRequest.newBuilder(URI.create(url + "/login")).GET()).body(),
                "name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
        String form = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf);
        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(url + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
        if (login.headers().firstValue("Location").orElse("").contains("error")) {
            throw new IllegalStateException("sign-in failed for " + user);
        }
        String pageCsrf = find(send(HttpRequest.newBuilder(URI.create(url + "/outfalls/new")).GET()).body(),
                "name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
        HttpResponse<String> t = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/tokens"))
                .header("Content-Type", "application/json").header("X-CSRF-TOKEN", pageCsrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"gateway-bench\"}")));
        token = find(t.body(), "\"token\"\\s*:\\s*\"([^\"]+)\"");
    }

    private void importOutfalls(int n, String tag) throws Exception {
        String city = find(call("GET", "/api/v1/regions?parent=320000", null), "\"code\"\\s*:\\s*\"(\\d{6})\"");
        String county = find(call("GET", "/api/v1/regions?parent=" + city, null), "\"code\"\\s*:\\s*\"(\\d{6})\"");
        String water = "网关基准河" + tag;
        call("POST", "/api/v1/water-bodies", "{\"name\":\"" + water + "\",\"kind\":\"RIVER\",\"basin\":\"TAIHU\",\"targetClass\":\"III\"}");
        StringBuilder csv = new StringBuilder(n * 120);
        csv.append("排污口名称 name,排污口类型 typeCode,状态 lifecycle,行政区划代码 regionCode,受纳水体 waterBody,经度 longitude,"
                + "纬度 latitude,责任主体 partyName,统一社会信用代码 partyUscc\n");
        for (int i = 0; i < n; i++) {
            csv.append("网关基准").append(tag).append('-').append(i).append("号雨洪排口,OTH_URBAN_STORM,MONITORED,")
                    .append(county).append(',').append(water).append(',')
                    .append(String.format("%.6f,%.6f", 120 + (i % 1000) / 1000.0, 31 + (i / 1000) / 1000.0)).append(",,\n");
        }
        String report = multipart("/api/v1/outfalls/imports", "gateway-bench.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        String id = find(report, "\"id\"\\s*:\\s*(\\d+)");
        String accepted = call("POST", "/api/v1/outfalls/imports/" + id + "/accept", "");
        if (!accepted.contains("\"status\":\"ACCEPTED\"")) {
            throw new IllegalStateException("import not accepted: " + accepted.substring(0, Math.min(500, accepted.length())));
        }
    }

    private String multipart(String path, String filename, byte[] content) throws Exception {
        String boundary = "----gongzhi" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private String call(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(10));
        if (json == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> r = send(b);
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no match for " + regex + " in " + (text.length() > 300 ? text.substring(0, 300) : text));
        }
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
