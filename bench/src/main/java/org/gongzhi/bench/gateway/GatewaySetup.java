package org.gongzhi.bench.gateway;


import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gongzhi.bench.ApiClient;

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

    private final ApiClient api;
    private String token;

    private GatewaySetup(String url) {
        this.api = new ApiClient(url);
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
        s.token = s.api.signIn(o.get("user"), o.get("password"), "gateway-bench");
        Files.writeString(Path.of(o.get("token-file")), s.token);
        int n = Integer.parseInt(o.get("outfalls"));
        if (n > 0) {
            long t0 = System.nanoTime();
            s.importOutfalls(n, o.get("tag"));
            System.err.printf("imported %,d outfalls in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        }
    }

    private void importOutfalls(int n, String tag) throws Exception {
        String city = ApiClient.find(call("GET", "/api/v1/regions?parent=320000", null), "\"code\"\\s*:\\s*\"(\\d{6})\"");
        String county = ApiClient.find(call("GET", "/api/v1/regions?parent=" + city, null), "\"code\"\\s*:\\s*\"(\\d{6})\"");
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
        String report = api.multipart("/api/v1/outfalls/imports", "gateway-bench.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        String id = ApiClient.find(report, "\"id\"\\s*:\\s*(\\d+)");
        String accepted = call("POST", "/api/v1/outfalls/imports/" + id + "/accept", "");
        if (!accepted.contains("\"status\":\"ACCEPTED\"")) {
            throw new IllegalStateException("import not accepted: " + accepted.substring(0, Math.min(500, accepted.length())));
        }
    }

    private String call(String method, String path, String json) throws Exception {
        return api.call(method, path, json);
    }
}
