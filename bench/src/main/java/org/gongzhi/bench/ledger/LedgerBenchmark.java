package org.gongzhi.bench.ledger;


import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gongzhi.bench.ApiClient;

/**
 * End-to-end ledger benchmark against a live server (see scripts/bench-ledger.sh): loads N synthetic outfalls
 * through the CSV import API, then measures filtered search, outfall detail and "as of" reads over HTTP on
 * loopback. Latencies are measured by the client, so they include HTTP and JSON: an upper bound of server time.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.gongzhi.bench.ledger.LedgerBenchmark \
 *     --url=http://localhost:8080 --user=admin --password=... --rows=500000</pre>
 */
public final class LedgerBenchmark {

    private static final String[] BRANDS = {"恒力", "盛虹", "永联", "华芳", "新民", "东方", "长江", "太湖", "金湖", "吴越", "姑苏",
            "阳澄", "虞山", "娄江", "沙洲", "振华", "中鼎", "瑞泰", "博远", "德隆", "嘉禾", "天和", "亨通", "宏达", "润丰", "鑫源"};
    private static final String[] INDUSTRIES = {"化工", "印染", "电镀", "造纸", "食品", "电子", "制药", "纺织", "金属制品"};
    private static final String[][] TYPES = {{"IND_ENT", "工业企业排污口", "30"}, {"IND_ENT_STORM", "工业企业雨洪排口", "10"},
            {"PARK_WWTP", "工业及其他各类园区污水处理厂排污口", "3"}, {"URBAN_WWTP", "城镇污水处理厂排污口", "5"},
            {"AGR_AQUA", "规模化水产养殖排污口", "8"}, {"AGR_LIVESTOCK", "规模化畜禽养殖排污口", "5"},
            {"OTH_RURAL_SCATTERED", "农村生活污水散排口", "15"}, {"OTH_URBAN_STORM", "城镇雨洪排口", "14"},
            {"OTH_RURAL_WWTP", "农村污水处理设施排污口", "10"}};
    private static final String[] LIFECYCLES = {"SUSPECTED", "VERIFIED", "MONITORED", "TRACED", "REMEDIATION_PLANNED",
            "REMEDIATED", "UNDER_SUPERVISION", "UNDER_SUPERVISION", "UNDER_SUPERVISION", "CANCELLED"};
    private static final String USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] USCC_WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private final ApiClient api;
    private final Random random = new Random(42);
    /** Distinguishes the names of one run's outfalls from an earlier run's on the same ledger. */
    private final String runTag = Long.toString(System.currentTimeMillis() % 100_000, 36);

    private LedgerBenchmark(String url) {
        this.api = new ApiClient(url);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>(Map.of("url", "http://localhost:8080", "user", "admin",
                "password", "gongzhi-admin", "rows", "500000", "chunk", "50000", "samples", "300"));
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                System.err.println("usage: --url=... --user=... --password=... --rows=500000 --chunk=50000 --samples=300");
                System.exit(2);
            }
            opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        LedgerBenchmark b = new LedgerBenchmark(opts.get("url"));
        b.api.signIn(opts.get("user"), opts.get("password"), "benchmark");
        b.run(Integer.parseInt(opts.get("rows")), Integer.parseInt(opts.get("chunk")), Integer.parseInt(opts.get("samples")));
    }

    private void run(int rows, int chunk, int samples) throws Exception {
        List<String> counties = counties();
        List<String> waters = waterBodies(40);
        System.out.printf("Loading %,d outfalls in %,d counties through the CSV import (%,d rows per file)%n", rows,
                counties.size(), chunk);
        long importNanos = 0;
        int written = 0;
        for (int start = 0; start < rows; start += chunk) {
            int n = Math.min(chunk, rows - start);
            byte[] csv = csv(start, n, counties, waters);
            long t0 = System.nanoTime();
            String report = multipart("/api/v1/outfalls/imports", "bench-" + start + ".csv", csv);
            long checked = System.nanoTime();
            long id = Long.parseLong(find(report, "\"id\"\\s*:\\s*(\\d+)"));
            String accepted = call("POST", "/api/v1/outfalls/imports/" + id + "/accept", "");
            if (!accepted.contains("\"status\":\"ACCEPTED\"")) {
                throw new IllegalStateException("import " + id + " not accepted: " + accepted.substring(0, Math.min(300, accepted.length())));
            }
            long done = System.nanoTime();
            importNanos += done - t0;
            written += n;
            System.out.printf("  %,d rows imported, %.0f rows/s so far (this file: check %.1f s, accept %.1f s)%n", written,
                    written / (importNanos / 1e9), (checked - t0) / 1e9, (done - checked) / 1e9);
        }
        double importRate = written / (importNanos / 1e9);

        long total = written;
        long[] ids = ids(2000);
        // Give some outfalls a history: change them once, remembering the instant before the change.
        List<Long> changed = new ArrayList<>();
        Instant beforeChanges = Instant.now();
        for (int i = 0; i < 300; i++) {
            long id = ids[random.nextInt(ids.length)];
            String o = call("GET", "/api/v1/outfalls/" + id, null);
            String updated = o.replaceFirst("\"name\"\\s*:\\s*\"", "\"name\":\"（更正）");
            String body = "{\"outfall\":" + updated + ",\"version\":" + find(o, "\"version\"\\s*:\\s*(\\d+)")
                    + ",\"reason\":\"benchmark change\"}";
            call("PUT", "/api/v1/outfalls/" + id, body);
            changed.add(id);
        }

        Map<String, IntFunction<String>> queries = new LinkedHashMap<>();
        queries.put("city + level-1 type (region=3205xx&type=INDUSTRIAL)", i -> "/api/v1/outfalls?region="
                + counties.get(random.nextInt(counties.size())).substring(0, 4) + "00&type=INDUSTRIAL");
        queries.put("name substring (q=盛虹12#)", i -> "/api/v1/outfalls?q=" + enc(BRANDS[random.nextInt(BRANDS.length)]
                + (1 + random.nextInt(99)) + "#"));
        queries.put("state + regime (lifecycle=REMEDIATION_PLANNED&regime=APPROVAL)", i -> "/api/v1/outfalls?lifecycle="
                + LIFECYCLES[random.nextInt(LIFECYCLES.length)] + "&regime=APPROVAL");
        queries.put("water body (waterBody=id)", i -> "/api/v1/outfalls?waterBody=" + waters.get(random.nextInt(waters.size())));
        queries.put("county + state, newest first", i -> "/api/v1/outfalls?region=" + counties.get(random.nextInt(counties.size()))
                + "&lifecycle=UNDER_SUPERVISION&sort=UPDATED&desc=true");

        StringBuilder md = new StringBuilder();
        md.append(String.format("| measure | p50 ms | p95 ms | p99 ms | samples |%n|---|---|---|---|---|%n"));
        for (var q : queries.entrySet()) {
            md.append(row(q.getKey(), measure(samples, i -> call("GET", q.getValue().apply(i), null))));
        }
        md.append(row("outfall detail (GET /api/v1/outfalls/{id})",
                measure(samples * 3, i -> call("GET", "/api/v1/outfalls/" + ids[random.nextInt(ids.length)], null))));
        md.append(row("as-of detail (GET /api/v1/outfalls/{id}?asOf=…)", measure(samples * 3, i -> call("GET",
                "/api/v1/outfalls/" + changed.get(random.nextInt(changed.size())) + "?asOf=" + beforeChanges, null))));
        System.out.println();
        System.out.printf("Imported %,d outfalls. CSV import: %,.0f rows/s (upload + validate + accept).%n%n", total,
                importRate);
        System.out.print(md);
    }

    private static String row(String name, double[] ms) {
        return String.format("| %s | %.1f | %.1f | %.1f | %d |%n", name, pct(ms, 50), pct(ms, 95), pct(ms, 99), ms.length);
    }

    private interface Call {
        void run(int i) throws Exception;
    }

    private double[] measure(int samples, Call call) throws Exception {
        for (int i = 0; i < 20; i++) {
            call.run(i);
        }
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            call.run(i);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private long[] ids(int n) throws Exception {
        String page = call("GET", "/api/v1/outfalls?size=500&sort=UPDATED", null);
        List<Long> found = new ArrayList<>();
        Matcher m = Pattern.compile("\\{\"id\":(\\d+)").matcher(page);
        while (m.find()) {
            found.add(Long.parseLong(m.group(1)));
        }
        long max = found.stream().mapToLong(Long::longValue).max().orElse(1);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i < found.size() ? found.get(i) : 1 + (long) (random.nextDouble() * max * 1.0);
        }
        // keep only ids that exist
        List<Long> ok = new ArrayList<>();
        for (long id : ids) {
            if (ok.size() >= 500) {
                break;
            }
            if (status("/api/v1/outfalls/" + id) == 200) {
                ok.add(id);
            }
        }
        return ok.stream().mapToLong(Long::longValue).toArray();
    }

    private List<String> counties() throws Exception {
        List<String> counties = new ArrayList<>();
        for (String province : new String[] {"320000", "330000", "340000"}) {
            for (String city : codes(call("GET", "/api/v1/regions?parent=" + province, null))) {
                counties.addAll(codes(call("GET", "/api/v1/regions?parent=" + city, null)));
            }
        }
        return counties;
    }

    /** The ids of water bodies 基准河0..n-1, created if missing (so the benchmark can run again on a loaded ledger). */
    private List<String> waterBodies(int n) throws Exception {
        String existing = call("GET", "/api/v1/water-bodies", null);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Matcher m = Pattern.compile("\\{\"id\":(\\d+),\"name\":\"基准河" + i + "\"").matcher(existing);
            if (m.find()) {
                ids.add(m.group(1));
                continue;
            }
            String body = "{\"name\":\"基准河" + i + "\",\"kind\":\"RIVER\",\"basin\":\"" + (i % 2 == 0 ? "TAIHU" : "YANGTZE")
                    + "\",\"targetClass\":\"III\"}";
            ids.add(find(call("POST", "/api/v1/water-bodies", body), "\"id\"\\s*:\\s*(\\d+)"));
        }
        return ids;
    }

    private byte[] csv(int start, int n, List<String> counties, List<String> waters) {
        StringBuilder sb = new StringBuilder(n * 160);
        sb.append("排污口名称 name,排污口类型 typeCode,状态 lifecycle,行政区划代码 regionCode,受纳水体 waterBody,经度 longitude,"
                + "纬度 latitude,责任主体 partyName,统一社会信用代码 partyUscc\n");
        for (int i = start; i < start + n; i++) {
            String[] type = pickType();
            String county = counties.get(random.nextInt(counties.size()));
            String brand = BRANDS[random.nextInt(BRANDS.length)];
            boolean industrial = type[0].startsWith("IND") || type[0].contains("WWTP");
            String party = "";
            String uscc = "";
            if (industrial) {
                int p = random.nextInt(20_000);
                party = BRANDS[p % BRANDS.length] + INDUSTRIES[p % INDUSTRIES.length] + p + "有限公司";
                uscc = uscc(p);
            }
            sb.append(brand).append(i % 97 + 1).append('#').append(runTag).append(i).append(type[1]).append(',')
                    .append(type[0]).append(',').append(LIFECYCLES[random.nextInt(LIFECYCLES.length)]).append(',')
                    .append(county).append(",基准河").append(random.nextInt(waters.size())).append(',')
                    .append(String.format("%.6f,%.6f", 116 + random.nextDouble() * 6, 29 + random.nextDouble() * 6))
                    .append(',').append(party).append(',').append(uscc).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String[] pickType() {
        int r = random.nextInt(100);
        for (String[] t : TYPES) {
            r -= Integer.parseInt(t[2]);
            if (r < 0) {
                return t;
            }
        }
        return TYPES[0];
    }

    private static String uscc(int p) {
        String body = "91320000" + String.format("%09d", p);
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += USCC_ALPHABET.indexOf(body.charAt(i)) * USCC_WEIGHTS[i];
        }
        int c = 31 - sum % 31;
        return body + USCC_ALPHABET.charAt(c == 31 ? 0 : c);
    }

    private static List<String> codes(String json) {
        List<String> codes = new ArrayList<>();
        Matcher m = Pattern.compile("\"code\"\\s*:\\s*\"(\\d{6})\"").matcher(json);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    private String call(String method, String path, String json) throws Exception {
        return api.call(method, path, json);
    }

    private String multipart(String path, String filename, byte[] content) throws Exception {
        return api.multipart(path, filename, content);
    }

    private int status(String path) throws Exception {
        return api.status(path);
    }

    private static String find(String text, String regex) {
        return ApiClient.find(text, regex);
    }

    private static String enc(String s) {
        return ApiClient.enc(s);
    }
}
