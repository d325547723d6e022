package org.gongzhi.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import org.gongzhi.hj212.Hj212Codes;

/**
 * Device registration: {@code POST {base}/api/v1/data-loggers} with
 * {@code {"mn","password","outfallId","factors":[…],"intervalSeconds"}} and {@code Authorization: Bearer <token>};
 * 2xx = registered, 409 = already registered, anything else = failed. Or CSV rows for an import.
 */
final class Registrar {

    /** One device as the platform should know it; factors are 2017 codes. */
    record Row(String mn, String password, Long outfallId, List<String> factors, int intervalSeconds) {

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mn", mn);
            m.put("password", password);
            m.put("outfallId", outfallId);
            m.put("factors", factors);
            m.put("intervalSeconds", intervalSeconds);
            return m;
        }
    }

    private Registrar() {
    }

    static List<Row> rows(Options o) {
        List<String> factors = new ArrayList<>(o.factors.size());
        for (String f : o.factors) {
            String std = f.length() == 3 ? Hj212Codes.water2017Code(f) : null;
            factors.add(std != null ? std : f);
        }
        List<Row> rows = new ArrayList<>(o.devices);
        for (int i = 0; i < o.devices; i++) {
            Long outfall = o.outfallIds.isEmpty() ? null : o.outfallIds.get(i % o.outfallIds.size());
            rows.add(new Row(o.mn(i), o.password(i), outfall, List.copyOf(factors), o.registrationIntervalSeconds()));
        }
        return rows;
    }

    /** CSV with a header line; the factor list is one quoted field with commas (RFC 4180). */
    static String csv(List<Row> rows) {
        StringBuilder sb = new StringBuilder("mn,password,outfallId,factors,intervalSeconds\n");
        for (Row r : rows) {
            sb.append(r.mn()).append(',').append(r.password()).append(',')
                .append(r.outfallId() == null ? "" : r.outfallId()).append(",\"")
                .append(String.join(",", r.factors())).append("\",").append(r.intervalSeconds()).append('\n');
        }
        return sb.toString();
    }

    static URI endpoint(URI base) {
        String s = base.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s + "/api/v1/data-loggers");
    }

    /** Registers every row (8 requests in flight); returns {"registered","alreadyRegistered","failed","errors"}. */
    static Map<String, Object> register(URI base, String token, List<Row> rows) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = endpoint(base);
        AtomicLong ok = new AtomicLong();
        AtomicLong exists = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<?>> all = new ArrayList<>(rows.size());
        for (Row row : rows) {
            inFlight.acquire();
            HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(row.json())))
                .build();
            all.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
                inFlight.release();
                if (err != null) {
                    failed.incrementAndGet();
                    note(errors, row.mn() + ": " + err);
                } else if (resp.statusCode() / 100 == 2) {
                    ok.incrementAndGet();
                } else if (resp.statusCode() == 409) {
                    exists.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    String body = resp.body() == null ? "" : resp.body();
                    note(errors, row.mn() + ": HTTP " + resp.statusCode() + " "
                        + (body.length() > 200 ? body.substring(0, 200) : body));
                }
            }));
        }
        for (CompletableFuture<?> f : all) {
            try {
                f.join();
            } catch (RuntimeException e) {
                // counted in whenComplete
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", uri.toString());
        m.put("registered", ok.get());
        m.put("alreadyRegistered", exists.get());
        m.put("failed", failed.get());
        m.put("errors", List.copyOf(errors));
        return m;
    }

    private static void note(List<String> errors, String e) {
        if (errors.size() < 10) {
            errors.add(e);
        }
    }
}
