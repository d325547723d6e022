package org.gongzhi.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.OutputStream;
import java.net.Socket;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two figures of issue 4 (docs/benchmarks.md), on demand, not part of the suite:
 * <pre>
 * mvn -pl app -am test -Dtest=ComplianceBenchmarkTest#latency -Dgongzhi.bench=true -Dbench.loggers=200 -Dbench.rate=200 \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * mvn -pl app -am test -Dtest=ComplianceBenchmarkTest#backfill -Dgongzhi.bench=true -Dbench.outfalls=100 \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Latency: background loggers (outfalls held to GB 18918 一级A) send 6-factor minute data (2051) at bench.rate packets/s
 * over the real gateway while probe outfalls (real ledger outfalls with a party and regulators) each send one real-time
 * COD value of 80 mg/L; the time from the packet's receipt (measurement.received_at) to its alert (alert.raised_at).
 * Backfill: one year of hourly data of 6 factors for bench.outfalls outfalls, written straight into the measurement
 * table, then {@link ComplianceEngine#backfill} on bench.threads threads.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@EnabledIfSystemProperty(named = "gongzhi.bench", matches = "true")
class ComplianceBenchmarkTest {

    private static final String[] FACTORS = {"w01018", "w21003", "w21011", "w21001", "w01001", "w01010"};
    /** Values inside GB 18918 一级A for the background: COD, NH3-N, TP, TN, pH, water temperature. */
    private static final String[] COMPLIANT = {"30", "2", "0.3", "10", "7.1", "18"};

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired ApplicationContext context;
    @Autowired ComplianceEngine engine;
    @Autowired StandardPacks packs;
    @Autowired JdbcClient jdbc;
    @Autowired org.gongzhi.monitoring.MeasurementQueries measurements;

    void assign(long outfall) {
        var pack = packs.latest("GB18918-2002").orElseThrow();
        packs.assign(outfall, pack, "一级A", "其他", null, false, LocalDate.of(2024, 1, 1), "bench", Instant.now(), "benchmark");
    }

    /** Registers a data logger (monitoring's registry is internal: reflectively, tests only). */
    void register(String mn, long outfall) throws Exception {
        Class<?> type = Class.forName("org.gongzhi.monitoring.DataLoggerRegistry");
        Object registry = context.getBean(type);
        var m = type.getDeclaredMethod("register", String.class, String.class, long.class, List.class, int.class,
                boolean.class, String.class);
        m.setAccessible(true);
        m.invoke(registry, mn, "123456", outfall, List.of(FACTORS), 60, false, "bench");
    }

    static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    @Test
    void latency() throws Exception {
        int loggers = Integer.getInteger("bench.loggers", 200);
        int rate = Integer.getInteger("bench.rate", 200);
        int probes = Integer.getInteger("bench.probes", 100);
        int seconds = Integer.getInteger("bench.seconds", 60);
        long base = 700_000_000L + System.nanoTime() % 1000 * 10_000;
        int port = TestGateway.gatewayPort(context);
        for (int i = 0; i < loggers; i++) {
            assign(base + i);
            register("LATBG" + base + "-" + i, base + i);
        }
        CurrentUser city = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        Organization party = accounts.party("320506");
        List<long[]> probeOutfalls = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            var r = mvc.perform(post("/api/v1/outfalls").with(accounts.as(city)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                    .content("""
                            {"outfall": {"name": "延迟测试排污口%d-%d", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320506",
                             "longitude": 120.6, "latitude": 31.2, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "bench"}"""
                            .formatted(base, i, party.id()))).andExpect(status().isCreated()).andReturn();
            long id = json.readTree(r.getResponse().getContentAsString()).get("id").asLong();
            assign(id);
            register("LATPR" + base + "-" + i, id);
            probeOutfalls.add(new long[] {id, i});
        }
        engine.drain(Duration.ofSeconds(60));

        // background: every logger on its own connection, minute packets (no ack requested) at `rate` packets/s in all
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        LocalDateTime t0 = LocalDateTime.now(Evaluator.CHINA).truncatedTo(ChronoUnit.DAYS);
        List<Thread> threads = new ArrayList<>();
        int senders = Math.min(loggers, 20);
        for (int s = 0; s < senders; s++) {
            int first = s;
            Thread th = new Thread(() -> {
                List<Socket> sockets = new ArrayList<>();
                try {
                    List<Integer> mine = new ArrayList<>();
                    for (int i = first; i < loggers; i += senders) {
                        mine.add(i);
                        sockets.add(new Socket("127.0.0.1", port));
                    }
                    long periodNanos = (long) (1e9 * loggers / rate); // each logger sends every loggers/rate seconds
                    long next = System.nanoTime();
                    int minute = 0;
                    while (running.get()) {
                        for (int k = 0; k < mine.size(); k++) {
                            Hj212Message.Builder b = Hj212Message.builder().qn("20260101000000000").st("32").cn(2051)
                                    .pw("123456").mn("LATBG" + base + "-" + mine.get(k)).flag(4)
                                    .group("DataTime", t0.plusMinutes(minute).format(TestGateway.T));
                            for (int f = 0; f < FACTORS.length; f++) {
                                b.group(FACTORS[f] + "-Avg", COMPLIANT[f], FACTORS[f] + "-Flag", "N");
                            }
                            OutputStream out = sockets.get(k).getOutputStream();
                            out.write(Hj212Encoder.encode(b.build()));
                            out.flush();
                            sent.incrementAndGet();
                        }
                        minute++;
                        next += periodNanos;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                } catch (Exception e) {
                    if (running.get()) {
                        throw new RuntimeException(e);
                    }
                } finally {
                    for (Socket so : sockets) {
                        try {
                            so.close();
                        } catch (java.io.IOException ignored) {
                            // closing
                        }
                    }
                }
            }, "bench-background-" + s);
            th.setDaemon(true);
            th.start();
            threads.add(th);
        }
        Thread.sleep(Math.max(5, seconds / 6) * 1000L); // let the background reach its rate

        // probes: one exceeding value per probe outfall, spread over the run
        Map<Long, Instant> sentAt = new ConcurrentHashMap<>();
        long gap = Math.max(50, (seconds * 1000L * 2 / 3) / probes);
        long sentBefore = sent.get();
        long startedProbes = System.nanoTime();
        for (long[] p : probeOutfalls) {
            LocalDateTime now = LocalDateTime.now(Evaluator.CHINA).truncatedTo(ChronoUnit.SECONDS);
            Hj212Message m = Hj212Message.builder().qn(now.format(TestGateway.T) + "000").st("32").cn(2011).pw("123456")
                    .mn("LATPR" + base + "-" + p[1]).flag(5)
                    .group("DataTime", now.format(TestGateway.T)).group("w01018-Rtd", "80.0", "w01018-Flag", "N").build();
            sentAt.put(p[0], Instant.now());
            TestGateway.sendAll(context, List.of(m));
            Thread.sleep(gap);
        }
        double probeSeconds = (System.nanoTime() - startedProbes) / 1e9;
        long backgroundDuringProbes = sent.get() - sentBefore;
        running.set(false);
        for (Thread th : threads) {
            th.join(10_000);
        }
        assertThat(engine.drain(Duration.ofMinutes(5))).isTrue();

        List<Long> server = new ArrayList<>();
        List<Long> client = new ArrayList<>();
        int missing = 0;
        for (long[] p : probeOutfalls) {
            var row = jdbc.sql("""
                    SELECT a.raised_at, (SELECT min(m.received_at) FROM measurement m WHERE m.outfall_id = a.outfall_id
                                          AND m.kind = 'REALTIME' AND m.factor = 'w01018')
                    FROM alert a WHERE a.outfall_id = ? AND a.factor = 'w01018'""")
                    .param(p[0]).query((rs, i) -> new Instant[] {rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()})
                    .optional();
            if (row.isEmpty()) {
                missing++;
                continue;
            }
            server.add(Duration.between(row.get()[1], row.get()[0]).toMillis());
            client.add(Duration.between(sentAt.get(p[0]), row.get()[0]).toMillis());
        }
        Collections.sort(server);
        Collections.sort(client);
        System.out.printf("BENCH latency: %d background loggers, %d packets/s offered (%.0f packets/s = %.0f rows/s sent during"
                        + " the probes), %d probes over %.1f s, %d without alert%n", loggers, rate,
                backgroundDuringProbes / probeSeconds, backgroundDuringProbes * FACTORS.length / probeSeconds, probes,
                probeSeconds, missing);
        System.out.printf("BENCH receipt→alert ms: p50 %d, p95 %d, p99 %d, max %d; client send→alert ms: p50 %d, p99 %d, max %d%n",
                percentile(server, 0.5), percentile(server, 0.95), percentile(server, 0.99), server.get(server.size() - 1),
                percentile(client, 0.5), percentile(client, 0.99), client.get(client.size() - 1));
        assertThat(missing).isZero();
    }

    @Test
    void backfill() throws Exception {
        int outfalls = Integer.getInteger("bench.outfalls", 100);
        int threads = Integer.getInteger("bench.threads", 2);
        String lockFile = System.getProperty("bench.lock", "");
        try {
            backfill(outfalls, threads, lockFile, SHARED_LOCK);
        } finally {
            if (SHARED_LOCK != null) {
                SHARED_LOCK.close();
            }
        }
    }

    /**
     * The machine lock (docs/benchmarks.md), shared from the moment this class loads — before the application context
     * and its embedded PostgreSQL start, which take a core for a minute — until the timed phase.
     */
    private static final MachineLock SHARED_LOCK = sharedLock();

    private static MachineLock sharedLock() {
        String file = System.getProperty("bench.lock", "");
        try {
            return file.isEmpty() || !Boolean.getBoolean("gongzhi.bench") ? null : MachineLock.take(file, false);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void backfill(int outfalls, int threads, String lockFile, MachineLock shared) throws Exception {
        long base = 600_000_000L + System.nanoTime() % 1000 * 10_000;
        LocalDate from = LocalDate.of(2025, 1, 1);
        LocalDate to = from.plusYears(1);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < outfalls; i++) {
            ids.add(base + i);
            assign(base + i);
        }
        // monthly partitions as a year of operation leaves them (monitoring's StoragePartitions, reflectively)
        Class<?> partitionsType = Class.forName("org.gongzhi.monitoring.StoragePartitions");
        var ensure = partitionsType.getDeclaredMethod("ensure", String.class, String.class, java.time.YearMonth.class);
        ensure.setAccessible(true);
        for (LocalDate m = from; m.isBefore(to); m = m.plusMonths(1)) {
            ensure.invoke(context.getBean(partitionsType), "measurement", "data_time", java.time.YearMonth.from(m));
        }
        long t0 = System.nanoTime();
        long rows = 0;
        // hourly values of 6 factors: COD 30–53 mg/L, and on about one day in 53 per outfall 75 mg/L (a violation of
        // the daily 50); 0.2 % of hours flagged D (excluded); the rest well inside GB 18918 一级A. Written month by
        // month in the order the gateway writes them (hour by hour, all outfalls), so that an outfall's rows are spread
        // over the partition's pages as in operation
        for (LocalDate m = from; m.isBefore(to); m = m.plusMonths(1)) {
            rows += jdbc.sql("""
                    INSERT INTO measurement (outfall_id, kind, data_time, factor, source, avg, flag, received_at)
                    SELECT o, 'HOUR', t, f, 'HJ212',
                           CASE f WHEN 'w01018' THEN CASE WHEN (o * 7919 + extract(epoch FROM date_trunc('day', t))::bigint / 86400) % 53 = 0
                                                          THEN 75 ELSE 30 + extract(hour FROM t) END
                                  WHEN 'w21003' THEN 2.5 WHEN 'w21011' THEN 0.3 WHEN 'w21001' THEN 10
                                  WHEN 'w01001' THEN 7.2 ELSE 18 END,
                           CASE WHEN random() < 0.002 THEN 'D' ELSE 'N' END, now()
                    FROM generate_series(?::timestamptz, ?::timestamptz - interval '1 hour', interval '1 hour') t,
                         generate_series(?::bigint, ?::bigint) o,
                         unnest(ARRAY['w01018', 'w21003', 'w21011', 'w21001', 'w01001', 'w01010']) f
                    ORDER BY t, o, f""")
                    .params(Timestamp.from(Evaluator.dayStart(m)), Timestamp.from(Evaluator.dayStart(m.plusMonths(1))),
                            base, base + outfalls - 1)
                    .update();
        }
        double load = (System.nanoTime() - t0) / 1e9;
        // history is old and vacuumed: without this, autovacuum's first pass over the new rows runs during the timing
        jdbc.sql("VACUUM ANALYZE measurement").update();
        System.out.println("BENCH measurement on disk (data + index, all partitions): " + jdbc.sql("""
                SELECT pg_size_pretty(sum(pg_total_relation_size(i.inhrelid))) FROM pg_inherits i
                WHERE i.inhparent = 'measurement'::regclass""").query(String.class).single());
        MachineLock exclusive = null;
        if (shared != null) {
            // only the timed phase needs the quiet machine: trade the shared lock for the exclusive one
            shared.close();
            System.out.println("BENCH waiting for the exclusive machine lock " + lockFile);
            exclusive = MachineLock.take(lockFile, true);
        }
        try {
            timed(outfalls, threads, base, from, to, ids, rows, load);
        } finally {
            if (exclusive != null) {
                exclusive.close();
            }
        }
    }

    private void timed(int outfalls, int threads, long base, LocalDate from, LocalDate to, List<Long> ids, long rows,
                       double load) throws Exception {
        String loadBefore = loadAverage();
        double jvm0 = jvmCpuSeconds();
        double pg0 = postgresCpuSeconds();
        long t1 = System.nanoTime();
        int done = engine.backfill(ids, Evaluator.dayStart(from), Evaluator.dayStart(to).minusSeconds(1), threads);
        double secs = (System.nanoTime() - t1) / 1e9;
        double jvmCpu = jvmCpuSeconds() - jvm0;
        double pgCpu = postgresCpuSeconds() - pg0;
        long found = jdbc.sql("SELECT count(*) FROM finding WHERE outfall_id BETWEEN ? AND ?")
                .params(base, base + outfalls - 1).query(Long.class).single();
        System.out.printf("BENCH backfill: %d outfalls x 6 factors x 1 year = %d values (loaded in %.1f s); evaluated %d outfalls"
                        + " in %.1f s on %d threads = %.0f values/s, %.0f outfall-days/s; %d findings; 52.6 M values at this rate:"
                        + " %.0f s%n", outfalls, rows, load, done, secs, threads, rows / secs, outfalls * 365 / secs, found,
                52_560_000 / (rows / secs));
        System.out.printf("BENCH backfill CPU: JVM %.1f s + PostgreSQL %.1f s = %.1f CPU-s, %.2f CPU-s per million values"
                        + " (wall %.2f s per million); load average before: %s, after: %s%n", jvmCpu, pgCpu,
                jvmCpu + pgCpu, (jvmCpu + pgCpu) / (rows / 1e6), secs / (rows / 1e6), loadBefore, loadAverage());
        if (Boolean.getBoolean("bench.readPass")) {
            // diagnostic: the cost of reading the values alone, month by month as the engine does
            double j0 = jvmCpuSeconds();
            double p0 = postgresCpuSeconds();
            long r0 = System.nanoTime();
            long read = 0;
            for (long id : ids) {
                for (LocalDate m = from; m.isBefore(to); m = m.plusMonths(1)) {
                    read += measurements.values(id, java.util.EnumSet.allOf(org.gongzhi.monitoring.MeasurementKind.class),
                            List.of(FACTORS), Evaluator.dayStart(m), Evaluator.dayStart(m.plusMonths(1))).size();
                }
            }
            jdbc.sql("""
                    EXPLAIN (ANALYZE, BUFFERS, VERBOSE) SELECT outfall_id, kind, data_time, factor, source,
                           CASE WHEN kind = 'REALTIME' THEN coalesce(rtd, avg) ELSE coalesce(avg, rtd) END, min, max, cou, flag
                    FROM measurement
                    WHERE outfall_id = ? AND kind = ANY(?) AND data_time >= ? AND data_time < ? AND factor = ANY(?)
                    ORDER BY factor, data_time""").params(ids.get(3), new String[] {"HOUR", "MINUTE", "REALTIME", "DAY"},
                    Timestamp.from(Evaluator.dayStart(from.plusMonths(3))), Timestamp.from(Evaluator.dayStart(from.plusMonths(4))), FACTORS)
                    .query(String.class).list().forEach(l -> System.out.println("BENCH plan " + l));
            System.out.printf("BENCH read pass: %d values in %.1f s, JVM %.1f CPU-s, PostgreSQL %.1f CPU-s%n", read,
                    (System.nanoTime() - r0) / 1e9, jvmCpuSeconds() - j0, postgresCpuSeconds() - p0);
            System.out.println("BENCH jit " + jdbc.sql("SELECT current_setting('jit') || ' ' || current_setting('jit_above_cost')"
                    + " || ' shared_buffers ' || current_setting('shared_buffers') || ' work_mem ' || current_setting('work_mem')")
                    .query(String.class).single());
            j0 = jvmCpuSeconds();
            p0 = postgresCpuSeconds();
            r0 = System.nanoTime();
            read = 0;
            for (int g = 0; g < ids.size(); g += 25) {
                for (LocalDate m = from; m.isBefore(to); m = m.plusMonths(1)) {
                    read += measurements.unorderedValues(ids.subList(g, Math.min(ids.size(), g + 25)), List.of(FACTORS),
                            Evaluator.dayStart(m), Evaluator.dayStart(m.plusMonths(1))).size();
                }
            }
            System.out.printf("BENCH group read pass: %d values in %.1f s, JVM %.1f CPU-s, PostgreSQL %.1f CPU-s%n", read,
                    (System.nanoTime() - r0) / 1e9, jvmCpuSeconds() - j0, postgresCpuSeconds() - p0);
            jdbc.sql("""
                    EXPLAIN (ANALYZE, BUFFERS) SELECT outfall_id, kind, data_time, factor, source,
                           CASE WHEN kind = 'REALTIME' THEN coalesce(rtd, avg) ELSE coalesce(avg, rtd) END, min, max, cou, flag
                    FROM measurement
                    WHERE outfall_id = ANY(?) AND data_time >= ? AND data_time < ? AND factor = ANY(?)""")
                    .params(ids.subList(0, 25).toArray(Long[]::new),
                    Timestamp.from(Evaluator.dayStart(from.plusMonths(3))), Timestamp.from(Evaluator.dayStart(from.plusMonths(4))), FACTORS)
                    .query(String.class).list().forEach(l -> System.out.println("BENCH plan " + l));
        }
        assertThat(done).isEqualTo(outfalls);
        assertThat(found).isPositive();
    }

    /**
     * A flock(1) lock on a file, held by a helper process for as long as this object is open (Java's own file locks are
     * POSIX locks, which flock(1) does not see). Closing the helper's stdin ends it and releases the lock; so does this
     * JVM's death.
     */
    static final class MachineLock implements AutoCloseable {
        private final Process helper;

        private MachineLock(Process helper) {
            this.helper = helper;
        }

        static MachineLock take(String file, boolean exclusive) throws java.io.IOException {
            Process p = new ProcessBuilder("flock", exclusive ? "-x" : "-s", file, "sh", "-c", "echo locked; exec cat")
                    .redirectErrorStream(true).start();
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
            if (!"locked".equals(line)) {
                p.destroy();
                throw new IllegalStateException("could not lock " + file + ": " + line);
            }
            return new MachineLock(p);
        }

        @Override
        public void close() throws java.io.IOException {
            helper.getOutputStream().close();
            try {
                if (!helper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    helper.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                helper.destroyForcibly();
            }
        }
    }

    /** CPU time of this JVM (all threads), seconds. */
    static double jvmCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /**
     * CPU time of the PostgreSQL server behind the pool, seconds: the postmaster's own and reaped children's time plus
     * every live child (backends, parallel workers, WAL writer…) from /proc (Linux; USER_HZ 100). The machine is
     * shared, so versions are compared by CPU-seconds per million values as well as wall time.
     */
    double postgresCpuSeconds() {
        int backend = jdbc.sql("SELECT pg_backend_pid()").query(Integer.class).single();
        long postmaster = Long.parseLong(stat(backend)[3]);
        long ticks = 0;
        String[] pm = stat(postmaster);
        for (int i = 13; i <= 16; i++) {
            ticks += Long.parseLong(pm[i]); // utime, stime, cutime, cstime
        }
        java.io.File[] procs = new java.io.File("/proc").listFiles((d, n) -> n.chars().allMatch(Character::isDigit));
        for (java.io.File p : procs == null ? new java.io.File[0] : procs) {
            String[] st = stat(Long.parseLong(p.getName()));
            if (st != null && Long.parseLong(st[3]) == postmaster) {
                ticks += Long.parseLong(st[13]) + Long.parseLong(st[14]);
            }
        }
        return ticks / 100.0;
    }

    /** The fields of /proc/pid/stat after the command name (index 0 = pid, 3 = ppid, 13/14 = utime/stime), or null. */
    private static String[] stat(long pid) {
        try {
            String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String rest = s.substring(s.lastIndexOf(')') + 2);
            String[] f = rest.split(" ");
            String[] out = new String[f.length + 2];
            out[0] = String.valueOf(pid);
            out[1] = "comm";
            System.arraycopy(f, 0, out, 2, f.length);
            return out;
        } catch (java.io.IOException | RuntimeException e) {
            return null; // the process ended meanwhile
        }
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
