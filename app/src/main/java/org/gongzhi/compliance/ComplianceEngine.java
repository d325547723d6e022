package org.gongzhi.compliance;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.gongzhi.compliance.Evaluator.Outcome;
import org.gongzhi.compliance.Evaluator.Sample;
import org.gongzhi.compliance.Evaluator.Status;
import org.gongzhi.compliance.Findings.Kind;
import org.gongzhi.monitoring.MeasurementKind;
import org.gongzhi.monitoring.MeasurementQueries;
import org.gongzhi.monitoring.MeasurementsStored;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Streaming evaluation: after every committed batch of measurements ({@link MeasurementsStored}) the affected outfalls
 * and China days are re-evaluated on one worker thread (so the writer and the 9014 acks never wait for it, and
 * findings of one window are never written concurrently). The same {@link #evaluate} re-evaluates history after a
 * limit changes, so backfill and streaming write the same rows.
 */
@Service
class ComplianceEngine {

    private static final Logger log = LoggerFactory.getLogger(ComplianceEngine.class);
    private static final String WATER_TEMPERATURE = Factor.WATER_TEMPERATURE.code;
    private static final Set<Limit.Statistic> DAILY = EnumSet.of(Limit.Statistic.DAILY_MEAN, Limit.Statistic.DAILY_MAX,
            Limit.Statistic.DAILY_MIN);

    private final StandardPacks packs;
    private final Findings findings;
    private final Alerts alerts;
    private final MeasurementQueries measurements;
    private final TransactionTemplate tx;
    private final Evaluator.Rules rules;
    private final boolean enabled;
    private final int maxDays;
    private final int outfallsPerRead;
    private final long maxValuesPerRead;
    private final int liveSpansPerRead;
    private final Duration restartRecheck;
    private final ExecutorService worker;

    ComplianceEngine(StandardPacks packs, Findings findings, Alerts alerts, MeasurementQueries measurements, TransactionTemplate tx,
                     @Value("${gongzhi.compliance.enabled:true}") boolean enabled,
                     @Value("${gongzhi.compliance.min-valid-hours-per-day:20}") int minValidHours,
                     @Value("${gongzhi.compliance.min-valid-days-per-month:1}") int minValidDays,
                     @Value("${gongzhi.compliance.excluded-flags:F,M,C,D,B,P}") String excludedFlags,
                     @Value("${gongzhi.compliance.water-temperature-missing:STRICT}") Evaluator.TemperatureFallback fallback,
                     @Value("${gongzhi.compliance.max-days-per-evaluation:400}") int maxDays,
                     @Value("${gongzhi.compliance.worker-threads:2}") int workerThreads,
                     @Value("${gongzhi.compliance.backfill.outfalls-per-read:250}") int outfallsPerRead,
                     @Value("${gongzhi.compliance.backfill.max-values-per-read:500000}") long maxValuesPerRead,
                     @Value("${gongzhi.compliance.live-spans-per-read:20000}") int liveSpansPerRead,
                     @Value("${gongzhi.compliance.restart-recheck:PT1H}") Duration restartRecheck) {
        this.worker = Executors.newFixedThreadPool(Math.max(1, workerThreads), r -> {
            Thread t = new Thread(r, "compliance-evaluator");
            t.setDaemon(true);
            return t;
        });
        this.packs = packs;
        this.findings = findings;
        this.alerts = alerts;
        this.measurements = measurements;
        this.tx = tx;
        this.enabled = enabled;
        this.maxDays = maxDays;
        this.outfallsPerRead = Math.max(1, outfallsPerRead);
        this.maxValuesPerRead = Math.max(1, maxValuesPerRead);
        this.liveSpansPerRead = Math.max(1, liveSpansPerRead);
        this.restartRecheck = restartRecheck;
        this.lanes = java.util.stream.IntStream.range(0, Math.max(1, workerThreads))
                .mapToObj(i -> new java.util.concurrent.ConcurrentLinkedQueue<MeasurementsStored.Span>()).toList();
        this.laneScheduled = java.util.stream.IntStream.range(0, Math.max(1, workerThreads))
                .mapToObj(i -> new java.util.concurrent.atomic.AtomicBoolean()).toList();
        this.rules = new Evaluator.Rules(minValidHours, minValidDays,
                Arrays.stream(excludedFlags.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet()),
                fallback);
    }

    Evaluator.Rules rules() {
        return rules;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void on(MeasurementsStored event) {
        if (!enabled || event.count() == 0) {
            return;
        }
        // already after commit: no synchronization to wait for
        LocalDate today = LocalDate.now(Evaluator.CHINA);
        List<MeasurementsStored.Span> live = new ArrayList<>(event.spans().size());
        for (var span : event.spans()) {
            if (Evaluator.chinaDay(span.from()).equals(today) && Evaluator.chinaDay(span.to()).equals(today)) {
                live.add(span); // the live stream: read and checked exactly, on the outfall's lane
            } else {
                queue(span.outfallId(), span.from(), span.to()); // other days: the careful path
            }
        }
        live(live);
    }

    private void live(List<MeasurementsStored.Span> spans) {
        boolean[] touched = new boolean[lanes.size()];
        for (var span : spans) {
            int lane = lane(span.outfallId());
            lanes.get(lane).add(span);
            touched[lane] = true;
        }
        for (int i = 0; i < touched.length; i++) {
            if (touched[i] && laneScheduled.get(i).compareAndSet(false, true)) {
                scheduleLane(i);
            }
        }
    }

    /**
     * Today's spans wait for their check in memory only, so a crash or restart between a batch's commit and its check
     * would leave its values without their early warning or instantaneous finding (the day-close job still judges the
     * day's statistics). After start-up the live path therefore checks again the last
     * {@code gongzhi.compliance.restart-recheck} (PT1H; PT0S turns it off) of today's data of every outfall held to
     * limits. Findings and alerts have natural keys, so a value judged before is judged to the same finding and alert,
     * not a second one; and a logger that resends what it saw no 9014 for before the crash (stored, so no new rows and
     * no event) is covered too.
     */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void recheckAfterStart() {
        if (enabled && !restartRecheck.isZero() && !restartRecheck.isNegative()) {
            recheckRecent(Instant.now());
        }
    }

    void recheckRecent(Instant now) {
        Instant dayStart = Evaluator.dayStart(Evaluator.chinaDay(now));
        Instant from = now.minus(restartRecheck).isBefore(dayStart) ? dayStart : now.minus(restartRecheck);
        List<MeasurementsStored.Span> spans = new ArrayList<>();
        for (long outfall : packs.outfallsWithLimits()) {
            for (MeasurementKind kind : MeasurementKind.values()) {
                spans.add(new MeasurementsStored.Span(outfall, kind, from, now));
            }
        }
        log.info("re-checking {} outfalls' data since {} after start-up", spans.size() / MeasurementKind.values().length, from);
        live(spans);
    }

    /**
     * Today's spans of new rows waiting to be checked, in one lane per worker: an outfall always goes to the same lane
     * (so it is never checked by two workers at once), and a lane's worker takes everything waiting, up to
     * {@code live-spans-per-read}, in one read — when the engine falls behind, reads grow instead of queueing up, and
     * nothing is dropped.
     */
    private final List<java.util.concurrent.ConcurrentLinkedQueue<MeasurementsStored.Span>> lanes;
    private final List<java.util.concurrent.atomic.AtomicBoolean> laneScheduled;

    private int lane(long outfallId) {
        return (int) Math.floorMod(outfallId, (long) lanes.size());
    }

    private void scheduleLane(int lane) {
        inFlight.incrementAndGet();
        worker.execute(() -> {
            try {
                List<MeasurementsStored.Span> spans = new ArrayList<>();
                var queued = lanes.get(lane);
                for (MeasurementsStored.Span s; spans.size() < liveSpansPerRead && (s = queued.poll()) != null; ) {
                    spans.add(s);
                }
                try {
                    runningSpans(spans, Instant.now());
                } catch (RuntimeException e) {
                    log.error("compliance evaluation of {} new values' spans failed", spans.size(), e);
                }
            } finally {
                // more waiting: back to the end of the workers' queue, so that the careful path gets its turn too
                if (!lanes.get(lane).isEmpty()) {
                    scheduleLane(lane);
                } else {
                    laneScheduled.get(lane).set(false);
                    if (!lanes.get(lane).isEmpty() && laneScheduled.get(lane).compareAndSet(false, true)) {
                        scheduleLane(lane); // a span arrived between the check and the reset
                    }
                }
                inFlight.decrementAndGet();
            }
        });
    }

    /**
     * Queues the re-evaluation of an outfall's data times [from, to] (inclusive); inside a transaction only after it
     * commits, so that the worker sees the limits or assignment that caused it.
     */
    void submit(long outfallId, Instant from, Instant to) {
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            queue(outfallId, from, to);
                        }
                    });
        } else {
            queue(outfallId, from, to);
        }
    }

    /** Outfalls waiting for the worker, with the data times to evaluate: a burst of batches is one evaluation. */
    private final Map<Long, Instant[]> pending = new java.util.concurrent.ConcurrentHashMap<>();

    /** Outfalls being evaluated now: one outfall is never evaluated by two workers at once. */
    private final Set<Long> busy = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Tasks handed to the workers and not finished (for {@link #drain}). */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    private void queue(long outfallId, Instant from, Instant to) {
        boolean[] first = {false};
        pending.compute(outfallId, (k, r) -> {
            if (r == null) {
                first[0] = true;
                return new Instant[] {from, to};
            }
            return new Instant[] {from.isBefore(r[0]) ? from : r[0], to.isAfter(r[1]) ? to : r[1]};
        });
        if (first[0]) {
            schedule(outfallId);
        } // else merged into the evaluation already queued for this outfall
    }

    private void schedule(long outfallId) {
        inFlight.incrementAndGet();
        worker.execute(() -> {
            try {
                run(outfallId);
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    private void run(long outfallId) {
        if (!busy.add(outfallId)) {
            return; // another worker has it; it schedules again when done, as the request is still pending
        }
        try {
            Instant[] r = pending.remove(outfallId);
            if (r != null) {
                evaluate(outfallId, r[0], r[1], Instant.now());
            }
        } catch (RuntimeException e) {
            log.error("compliance evaluation failed for outfall {}", outfallId, e);
        } finally {
            busy.remove(outfallId);
            if (pending.containsKey(outfallId)) {
                schedule(outfallId);
            }
        }
    }

    /**
     * Re-evaluates the history [from, to] of many outfalls on {@code threads} threads (backfill after limits change,
     * and the backfill benchmark), exactly as {@link #evaluate} would outfall by outfall — the same days, months,
     * transactions and rolling windows, so the same findings — but reading the values of
     * {@code backfill-outfalls-per-read} outfalls at once: their rows lie on the same pages of the month's partition
     * (written as the packets arrived, hour by hour for all outfalls), so one read per group visits each page once
     * where one read per outfall visited it once per outfall. Returns the number of outfalls evaluated.
     */
    int backfill(java.util.Collection<Long> outfalls, Instant from, Instant to, int threads) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        Instant now = Instant.now();
        List<Long> all = List.copyOf(outfalls);
        // as few groups as the threads allow (each group is one pass over the pages of its months)
        int size = Math.max(1, Math.min(outfallsPerRead, (all.size() + threads - 1) / Math.max(1, threads)));
        try {
            for (int i = 0; i < all.size(); i += size) {
                List<Long> group = all.subList(i, Math.min(all.size(), i + size));
                pool.execute(() -> done.addAndGet(backfillGroup(group, from, to, now)));
            }
        } finally {
            pool.shutdown();
        }
        pool.awaitTermination(1, TimeUnit.DAYS);
        return done.get();
    }


    /** Waits until everything queued so far has been evaluated (tests, shutdown). */
    boolean drain(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 || !pending.isEmpty() || lanes.stream().anyMatch(q -> !q.isEmpty())) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** What one evaluation of an outfall's history carries from month to month until its rolling windows. */
    private record History(long outfallId, Instant from, Instant to, Instant now, LocalDate first, LocalDate last,
                           List<StandardPacks.Assignment> assignments, List<Limit> specific, Set<String> unresolved,
                           Map<String, Set<YearMonth>> changedMonths, Map<String, Limit> lastLimit,
                           List<MeasurementQueries.ExpectedFactors> loggers) {
    }

    /** The days of one month of a history with limits in force, and the factors to read for them. */
    private record MonthPlan(YearMonth month, LocalDate first, LocalDate last,
                             Map<LocalDate, StandardPacks.Effective> effective, Set<String> factors) {

        boolean wholeMonth() {
            return first.getDayOfMonth() == 1 && last.equals(month.atEndOfMonth());
        }
    }

    /**
     * Evaluates every China day touched by [from, to] for one outfall, then the rolling windows of those months. The
     * values are read one calendar month at a time (one query per month, not per day) and each month is written in
     * one transaction; only findings that exist are resolved when a day turns out compliant.
     */
    void evaluate(long outfallId, Instant from, Instant to, Instant now) {
        LocalDate first = Evaluator.chinaDay(from);
        LocalDate last = Evaluator.chinaDay(to);
        if (first.plusDays(maxDays).isBefore(last)) {
            first = last.minusDays(maxDays);
        }
        var assignments = packs.assignments(outfallId);
        var specific = packs.outfallLimits(outfallId);
        if (assignments.isEmpty() && specific.isEmpty()) {
            return;
        }
        if (!first.isBefore(Evaluator.chinaDay(now))) {
            running(outfallId, first, assignments, specific, from, to, now);
            return;
        }
        History h = history(outfallId, from, to, now, first, last, assignments, specific);
        for (YearMonth m = YearMonth.from(first); !m.isAfter(YearMonth.from(last)); m = m.plusMonths(1)) {
            MonthPlan plan = plan(h, m);
            if (plan != null) {
                evaluateMonth(h, plan, byDay(measurements.values(outfallId, EnumSet.allOf(MeasurementKind.class),
                        plan.factors(), Evaluator.dayStart(plan.first()), Evaluator.dayStart(plan.last().plusDays(1)))));
            }
        }
        tx.executeWithoutResult(s -> rolling(outfallId, h.changedMonths(), h.lastLimit()));
    }

    private History history(long outfallId, Instant from, Instant to, Instant now, LocalDate first, LocalDate last,
                            List<StandardPacks.Assignment> assignments, List<Limit> specific) {
        return new History(outfallId, from, to, now, first, last, assignments, specific,
                findings.unresolvedKeys(outfallId, Evaluator.dayStart(first), Evaluator.dayStart(last.plusDays(1))),
                new LinkedHashMap<>(), new LinkedHashMap<>(), measurements.expectedFactors(outfallId));
    }

    /** The days of {@code month} within the history that have limits in force, or null when none has. */
    private MonthPlan plan(History h, YearMonth month) {
        LocalDate chunk = month.atDay(1).isBefore(h.first()) ? h.first() : month.atDay(1);
        LocalDate chunkEnd = month.atEndOfMonth().isBefore(h.last()) ? month.atEndOfMonth() : h.last();
        Map<LocalDate, StandardPacks.Effective> effective = new LinkedHashMap<>();
        Set<String> factors = new HashSet<>();
        for (LocalDate day = chunk; !day.isAfter(chunkEnd); day = day.plusDays(1)) {
            StandardPacks.Effective eff = packs.effective(h.outfallId(), day, h.assignments(), h.specific());
            if (!eff.byFactorAndStatistic().isEmpty()) {
                effective.put(day, eff);
                factors.addAll(eff.factors());
                factors.addAll(required(eff, h.loggers(), day).keySet());
            }
        }
        if (effective.isEmpty()) {
            return null;
        }
        factors.add(WATER_TEMPERATURE);
        return new MonthPlan(month, chunk, chunkEnd, effective, factors);
    }

    private static Map<LocalDate, List<MeasurementQueries.Value>> byDay(List<MeasurementQueries.Value> values) {
        Map<LocalDate, List<MeasurementQueries.Value>> byDay = new java.util.HashMap<>();
        for (var v : values) {
            byDay.computeIfAbsent(Evaluator.chinaDay(v.dataTime()), d -> new ArrayList<>()).add(v);
        }
        return byDay;
    }

    /** The days of one month in one transaction (findings of old windows in one JDBC batch), then its monthly means. */
    private void evaluateMonth(History h, MonthPlan plan, Map<LocalDate, List<MeasurementQueries.Value>> byDay) {
        evaluateDays(h, plan, byDay, plan.first(), plan.last());
        monthly(h.outfallId(), plan.month(), plan.effective(), plan.wholeMonth() ? byDay : null, h.now(),
                h.changedMonths(), h.lastLimit(), h.unresolved());
    }

    /** The days [first, last] of a month's plan in one transaction, findings of old windows in one JDBC batch. */
    private void evaluateDays(History h, MonthPlan plan, Map<LocalDate, List<MeasurementQueries.Value>> byDay,
                              LocalDate first, LocalDate last) {
        tx.executeWithoutResult(s -> {
            DEFERRED.set(new ArrayList<>());
            try {
                plan.effective().forEach((day, eff) -> {
                    if (!day.isBefore(first) && !day.isAfter(last)) {
                        evaluateDay(h.outfallId(), eff, day, byDay.getOrDefault(day, List.of()), h.from(), h.to(), h.now(),
                                h.changedMonths(), h.lastLimit(), h.unresolved(), required(eff, h.loggers(), day));
                    }
                });
                findings.upsertAll(DEFERRED.get());
            } finally {
                DEFERRED.remove();
            }
        });
    }

    /**
     * One group of the backfill: month by month, one read for the whole group, then each outfall's month as
     * {@link #evaluate} does it (values in the order that method reads them: by factor, then time); finally each
     * outfall's rolling windows. An outfall that fails is logged and left out of the rest. Returns the outfalls done.
     */
    private int backfillGroup(List<Long> group, Instant from, Instant to, Instant now) {
        LocalDate first = Evaluator.chinaDay(from);
        LocalDate last = Evaluator.chinaDay(to);
        if (first.plusDays(maxDays).isBefore(last)) {
            first = last.minusDays(maxDays);
        }
        Map<Long, History> histories = new LinkedHashMap<>();
        int done = 0;
        for (long id : group) {
            try {
                var assignments = packs.assignments(id);
                var specific = packs.outfallLimits(id);
                if (assignments.isEmpty() && specific.isEmpty()) {
                    done++;
                } else if (!first.isBefore(Evaluator.chinaDay(now))) {
                    evaluate(id, from, to, now); // today only: the running day's path
                    done++;
                } else {
                    histories.put(id, history(id, from, to, now, first, last, assignments, specific));
                }
            } catch (RuntimeException e) {
                log.error("backfill failed for outfall {}", id, e);
            }
        }
        long valuesPerOutfallDay = 0;
        Map<Long, Map<LocalDate, List<MeasurementQueries.Value>>> lastRead = new java.util.HashMap<>();
        java.util.Comparator<MeasurementQueries.Value> order = java.util.Comparator.comparing(MeasurementQueries.Value::factor)
                .thenComparing(MeasurementQueries.Value::dataTime).thenComparing(MeasurementQueries.Value::source);
        for (YearMonth m = YearMonth.from(first); !m.isAfter(YearMonth.from(last)) && !histories.isEmpty(); m = m.plusMonths(1)) {
            Map<Long, MonthPlan> plans = new LinkedHashMap<>();
            Set<String> factors = new HashSet<>();
            for (History h : histories.values()) {
                MonthPlan p = plan(h, m);
                if (p != null) {
                    plans.put(h.outfallId(), p);
                    factors.addAll(p.factors());
                }
            }
            if (plans.isEmpty()) {
                continue;
            }
            LocalDate lo = plans.values().stream().map(MonthPlan::first).min(LocalDate::compareTo).orElseThrow();
            LocalDate hi = plans.values().stream().map(MonthPlan::last).max(LocalDate::compareTo).orElseThrow();
            // slices of the month small enough for memory: the first read of a group is one day, which tells how many
            // values a day of these outfalls has (hourly data: a month per read; minute data: about a day)
            boolean oneSlice = true;
            for (LocalDate sliceStart = lo; !sliceStart.isAfter(hi); ) {
                long length = valuesPerOutfallDay == 0 ? 1
                        : Math.max(1, maxValuesPerRead / (valuesPerOutfallDay * plans.size()));
                LocalDate sliceEnd = sliceStart.plusDays(length - 1).isBefore(hi) ? sliceStart.plusDays(length - 1) : hi;
                oneSlice &= sliceStart.equals(lo) && sliceEnd.equals(hi);
                var read = measurements.unorderedValues(plans.keySet(), factors, Evaluator.dayStart(sliceStart),
                        Evaluator.dayStart(sliceEnd.plusDays(1)));
                long sliceDays = sliceEnd.toEpochDay() - sliceStart.toEpochDay() + 1;
                valuesPerOutfallDay = Math.max(valuesPerOutfallDay, Math.max(1, read.size() / (plans.size() * sliceDays)));
                Map<Long, List<MeasurementQueries.Value>> byOutfall = new java.util.HashMap<>();
                for (var v : read) {
                    byOutfall.computeIfAbsent(v.outfallId(), k -> new ArrayList<>()).add(v);
                }
                read = null;
                LocalDate a = sliceStart;
                LocalDate b = sliceEnd;
                for (var e : plans.entrySet()) {
                    long id = e.getKey();
                    MonthPlan plan = e.getValue();
                    if (!histories.containsKey(id)) {
                        continue;
                    }
                    try {
                        List<MeasurementQueries.Value> values = byOutfall.getOrDefault(id, new ArrayList<>());
                        values.removeIf(v -> !plan.factors().contains(v.factor()));
                        values.sort(order);
                        Map<LocalDate, List<MeasurementQueries.Value>> days = byDay(values);
                        evaluateDays(histories.get(id), plan, days, a, b);
                        if (oneSlice) {
                            lastRead.put(id, days);
                        }
                    } catch (RuntimeException ex) {
                        log.error("backfill failed for outfall {}", id, ex);
                        histories.remove(id);
                    }
                }
                sliceStart = sliceEnd.plusDays(1);
            }
            for (var e : plans.entrySet()) {
                History h = histories.get(e.getKey());
                MonthPlan plan = e.getValue();
                if (h == null) {
                    continue;
                }
                try {
                    // the month's values when one read held all of them (the monthly means need the whole month)
                    var whole = plan.wholeMonth() ? lastRead.get(h.outfallId()) : null;
                    monthly(h.outfallId(), plan.month(), plan.effective(), whole, h.now(), h.changedMonths(),
                            h.lastLimit(), h.unresolved());
                } catch (RuntimeException ex) {
                    log.error("backfill failed for outfall {}", h.outfallId(), ex);
                    histories.remove(h.outfallId());
                }
            }
            lastRead.clear();
        }
        for (History h : histories.values()) {
            try {
                tx.executeWithoutResult(s -> rolling(h.outfallId(), h.changedMonths(), h.lastLimit()));
                done++;
            } catch (RuntimeException e) {
                log.error("backfill failed for outfall {}", h.outfallId(), e);
            }
        }
        return done;
    }

    /**
     * MONTHLY_MEAN limits (40 CFR 122.2 via anchors §1.2: the mean of the month's daily values) of a finished month
     * touched by this evaluation: the daily means of every day of the month (read again unless this evaluation
     * already read the whole month), each needing the day's valid hours like a daily mean, then
     * {@link Evaluator#monthly}. The window is the calendar month.
     */
    private void monthly(long outfallId, YearMonth month, Map<LocalDate, StandardPacks.Effective> effective,
                         Map<LocalDate, List<MeasurementQueries.Value>> wholeMonth, Instant now,
                         Map<String, Set<YearMonth>> changedMonths, Map<String, Limit> lastLimit, Set<String> unresolved) {
        Instant start = Evaluator.dayStart(month.atDay(1));
        Instant end = Evaluator.dayStart(month.plusMonths(1).atDay(1));
        if (end.isAfter(now)) {
            return; // judged when the month is over
        }
        Map<String, List<Limit>> limits = new LinkedHashMap<>();
        StandardPacks.Effective any = null;
        for (var eff : effective.values()) {
            eff.byFactorAndStatistic().forEach((k, v) -> {
                if (v.get(0).statistic() == Limit.Statistic.MONTHLY_MEAN) {
                    limits.put(k, v);
                }
            });
            any = eff;
        }
        if (limits.isEmpty()) {
            return;
        }
        Map<LocalDate, List<MeasurementQueries.Value>> byDay = wholeMonth;
        if (byDay == null) {
            byDay = new java.util.HashMap<>();
            Set<String> factors = new HashSet<>();
            limits.values().forEach(l -> factors.add(l.get(0).factor()));
            for (var v : measurements.values(outfallId, EnumSet.allOf(MeasurementKind.class), factors, start, end)) {
                byDay.computeIfAbsent(Evaluator.chinaDay(v.dataTime()), d -> new ArrayList<>()).add(v);
            }
        }
        StandardPacks.Assignment a = any.assignment();
        Evaluator.Context ctx = new Evaluator.Context(null, a == null ? null : a.builtBefore2006(),
                a == null || a.waterBody() == null ? null : Limit.Condition.valueOf(a.waterBody()));
        Map<LocalDate, List<MeasurementQueries.Value>> days = byDay;
        tx.executeWithoutResult(s -> {
            for (List<Limit> candidates : limits.values()) {
                Evaluator.Selection sel = Evaluator.select(candidates, ctx, rules);
                if (sel.limit() == null) {
                    continue;
                }
                Limit l = sel.limit();
                Limit daily = new Limit(l.packLimitId(), l.outfallLimitId(), l.packCode(), l.packVersion(), l.grade(),
                        l.factor(), Limit.Statistic.DAILY_MEAN, l.comparison(), l.value(), l.low(), l.high(), l.unit(),
                        l.condition(), l.scope(), l.source(), l.clause(), l.note(), l.validFrom(), l.validTo());
                Map<LocalDate, BigDecimal> dailyValues = new java.util.TreeMap<>();
                boolean anyValue = days.values().stream().flatMap(List::stream).anyMatch(v -> v.factor().equals(l.factor()));
                if (!anyValue) {
                    continue; // nothing of this factor all month: missing data, not judged here (as for a day)
                }
                for (LocalDate d = month.atDay(1); !d.isAfter(month.atEndOfMonth()); d = d.plusDays(1)) {
                    Map<MeasurementKind, List<Sample>> samples = new java.util.EnumMap<>(MeasurementKind.class);
                    for (var v : days.getOrDefault(d, List.of())) {
                        if (v.factor().equals(l.factor())) {
                            samples.computeIfAbsent(v.kind(), k -> new ArrayList<>()).add(new Sample(v.dataTime(), v.value(), v.flag()));
                        }
                    }
                    List<Sample> hourly = hourly(samples);
                    if (hourly.isEmpty() && samples.containsKey(MeasurementKind.DAY)) {
                        Sample day = samples.get(MeasurementKind.DAY).get(0); // the logger's own daily value (2031)
                        if (day.value() != null && !rules.excluded(day.flag())) {
                            dailyValues.put(d, BigDecimal.valueOf(day.value()));
                        }
                    } else if (!hourly.isEmpty()) {
                        Outcome o = Evaluator.daily(daily, hourly, d, now, rules);
                        if (o.value() != null) {
                            dailyValues.put(d, o.value());
                        }
                    }
                }
                Outcome o = Evaluator.monthly(l, dailyValues, month, now, rules);
                String statistic = Limit.Statistic.MONTHLY_MEAN.name();
                // a monthly finding may start before this evaluation's first day: let record() resolve it if needed
                unresolved.add(Findings.key(l.factor(), statistic, Kind.VIOLATION, start));
                unresolved.add(Findings.key(l.factor(), statistic, Kind.INSUFFICIENT_DATA, start));
                record(outfallId, l.factor(), statistic, start, end, sel, o, month.atDay(1), changedMonths, lastLimit, unresolved);
            }
        });
    }

    /**
     * The day still running (China time): its daily statistics cannot be judged yet (they are when the day closes,
     * {@link #closeDay}), so only the new values [from, to] are read and checked — early warnings against daily
     * limits, and hourly / instantaneous limits — plus the day's water temperature when an NH3-N limit depends on it.
     * This keeps the path from packet to alert short whatever the day's volume.
     */
    private void running(long outfallId, LocalDate day, List<StandardPacks.Assignment> assignments, List<Limit> specific,
                         Instant from, Instant to, Instant now) {
        StandardPacks.Effective eff = packs.effective(outfallId, day, assignments, specific);
        if (eff.byFactorAndStatistic().isEmpty()) {
            return;
        }
        running(outfallId, day, eff, measurements.values(outfallId, EnumSet.allOf(MeasurementKind.class), eff.factors(),
                from, to.plusNanos(1000)), from, to, now);
    }

    /**
     * Today's new values, named by their spans (from one or more committed batches): one read of exactly those rows for
     * all their outfalls, then each outfall as {@link #running}. An outfall whose spans are no longer of today (the
     * day closed while they waited) takes the careful path, which reads the whole day.
     */
    void runningSpans(List<MeasurementsStored.Span> spans, Instant now) {
        LocalDate day = Evaluator.chinaDay(now);
        Map<Long, List<MeasurementsStored.Span>> byOutfall = new LinkedHashMap<>();
        for (var s : spans) {
            byOutfall.computeIfAbsent(s.outfallId(), k -> new ArrayList<>()).add(s);
        }
        Map<Long, StandardPacks.Effective> limited = new java.util.HashMap<>();
        List<MeasurementsStored.Span> read = new ArrayList<>();
        byOutfall.forEach((id, own) -> {
            Instant from = own.stream().map(MeasurementsStored.Span::from).min(Instant::compareTo).orElseThrow();
            Instant to = own.stream().map(MeasurementsStored.Span::to).max(Instant::compareTo).orElseThrow();
            if (!Evaluator.chinaDay(from).equals(day) || !Evaluator.chinaDay(to).equals(day)) {
                queue(id, from, to);
                return;
            }
            var assignments = packs.assignments(id);
            var specific = packs.outfallLimits(id);
            if (!assignments.isEmpty() || !specific.isEmpty()) {
                StandardPacks.Effective eff = packs.effective(id, day, assignments, specific);
                if (!eff.byFactorAndStatistic().isEmpty()) {
                    limited.put(id, eff);
                    read.addAll(merged(own));
                }
            }
        });
        if (limited.isEmpty()) {
            return;
        }
        Map<Long, List<MeasurementQueries.Value>> rows = new java.util.HashMap<>();
        for (var v : measurements.values(read)) {
            rows.computeIfAbsent(v.outfallId(), k -> new ArrayList<>()).add(v);
        }
        rows.forEach((id, values) -> {
            var own = byOutfall.get(id);
            running(id, day, limited.get(id), values,
                    own.stream().map(MeasurementsStored.Span::from).min(Instant::compareTo).orElseThrow(),
                    own.stream().map(MeasurementsStored.Span::to).max(Instant::compareTo).orElseThrow(), now);
        });
    }

    /**
     * One outfall's spans with those of a kind that overlap merged, so that no row is read (and judged) twice — a
     * packet resent while its first copy waited names the same data time twice.
     */
    static List<MeasurementsStored.Span> merged(List<MeasurementsStored.Span> spans) {
        List<MeasurementsStored.Span> sorted = new ArrayList<>(spans);
        sorted.sort(java.util.Comparator.comparing(MeasurementsStored.Span::kind).thenComparing(MeasurementsStored.Span::from));
        List<MeasurementsStored.Span> out = new ArrayList<>();
        for (var s : sorted) {
            MeasurementsStored.Span last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.kind() == s.kind() && !s.from().isAfter(last.to())) {
                out.set(out.size() - 1, new MeasurementsStored.Span(last.outfallId(), last.kind(), last.from(),
                        s.to().isAfter(last.to()) ? s.to() : last.to()));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private void running(long outfallId, LocalDate day, StandardPacks.Effective eff, List<MeasurementQueries.Value> found,
                         Instant from, Instant to, Instant now) {
        List<MeasurementQueries.Value> rows = new ArrayList<>(found);
        rows.removeIf(v -> !eff.factors().contains(v.factor()));
        // nothing to write unless some new value breaks some limit of its factor: no transaction, no further reads
        Map<String, List<Limit>> byFactor = new java.util.HashMap<>();
        eff.all().forEach(l -> byFactor.computeIfAbsent(l.factor(), k -> new ArrayList<>()).add(l));
        boolean anyOver = rows.stream().anyMatch(v -> v.value() != null && byFactor.getOrDefault(v.factor(), List.of()).stream()
                .anyMatch(l -> Evaluator.mayBreak(l, v.value())
                        && Evaluator.instant(l, new Sample(v.dataTime(), v.value(), v.flag()), rules).exceeded()));
        if (!anyOver) {
            return;
        }
        // the day's water temperature decides the NH3-N limit (GB 18918 note ②): read it only when a new value lies
        // between the two figures, so that the choice matters
        boolean temperatureMatters = eff.all().stream().filter(l -> l.condition() == Limit.Condition.WATER_TEMP_GT_12
                        || l.condition() == Limit.Condition.WATER_TEMP_LE_12)
                .anyMatch(l -> rows.stream().anyMatch(v -> v.factor().equals(l.factor()) && v.value() != null
                        && Evaluator.instant(l, new Sample(v.dataTime(), v.value(), v.flag()), rules).exceeded()));
        if (temperatureMatters) {
            rows.addAll(measurements.values(outfallId, EnumSet.allOf(MeasurementKind.class), List.of(WATER_TEMPERATURE),
                    Evaluator.dayStart(day), Evaluator.dayStart(day.plusDays(1))));
        }
        boolean perValueLimits = eff.all().stream().anyMatch(l -> l.statistic() == Limit.Statistic.INSTANT
                || l.statistic() == Limit.Statistic.HOURLY_MEAN);
        Set<String> unresolved = perValueLimits ? findings.unresolvedKeys(outfallId, from, to.plusNanos(1000)) : new HashSet<>();
        tx.executeWithoutResult(s -> evaluateDay(outfallId, eff, day, rows, from, to, now, new LinkedHashMap<>(),
                new LinkedHashMap<>(), unresolved, Map.of())); // the running day: nothing is missing yet
    }

    /**
     * Closes yesterday (China time) for every outfall held to limits: its daily statistics were pending while it ran.
     * Queued like streaming evaluations, so the worker does it between batches.
     */
    @org.springframework.scheduling.annotation.Scheduled(cron = "${gongzhi.compliance.close-day-cron:0 5 0 * * *}", zone = "Asia/Shanghai")
    void closeDay() {
        if (!enabled) {
            return;
        }
        closeDay(LocalDate.now(Evaluator.CHINA).minusDays(1));
    }

    void closeDay(LocalDate day) {
        for (long outfall : packs.outfallsWithLimits()) {
            queue(outfall, Evaluator.dayStart(day), Evaluator.dayStart(day.plusDays(1)).minusSeconds(1));
        }
    }

    private void evaluateDay(long outfallId, StandardPacks.Effective eff, LocalDate day, List<MeasurementQueries.Value> rows,
                             Instant from, Instant to, Instant now, Map<String, Set<YearMonth>> changedMonths,
                             Map<String, Limit> lastLimit, Set<String> unresolved, Map<String, List<String>> required) {
        Instant start = Evaluator.dayStart(day);
        Instant end = Evaluator.dayStart(day.plusDays(1));
        Map<String, Map<MeasurementKind, List<Sample>>> byFactor = new LinkedHashMap<>();
        for (var r : rows) {
            byFactor.computeIfAbsent(r.factor(), f -> new java.util.EnumMap<>(MeasurementKind.class))
                    .computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(new Sample(r.dataTime(), r.value(), r.flag()));
        }
        Set<String> missing = end.isAfter(now) ? Set.of()
                : missingData(outfallId, eff, start, end, byFactor, required, unresolved);
        Double temperature = Evaluator.meanOf(hourly(byFactor.get(WATER_TEMPERATURE)), day, rules);
        StandardPacks.Assignment a = eff.assignment();
        Evaluator.Context ctx = new Evaluator.Context(temperature, a == null ? null : a.builtBefore2006(),
                a == null || a.waterBody() == null ? null : Limit.Condition.valueOf(a.waterBody()));
        for (var e : eff.byFactorAndStatistic().entrySet()) {
            List<Limit> candidates = e.getValue();
            Limit any = candidates.get(0);
            var samples = byFactor.getOrDefault(any.factor(), Map.of());
            if (missing.contains(any.factor())) {
                continue; // one MISSING_DATA finding for the day, not also "0 valid hours" for each statistic
            }
            if (samples.isEmpty()) {
                // nothing of this factor that day: not measured here, or missing data, which a nightly job must judge
                // against what the outfall is expected to measure (docs/compliance.md, not built) — never a finding
                // for every factor of the pack
                continue;
            }
            Evaluator.Selection sel = Evaluator.select(candidates, ctx, rules);
            String statistic = any.statistic().name();
            if (sel.limit() == null && !sel.insufficient()) {
                continue; // e.g. lake-only TN on a river
            }
            if (DAILY.contains(any.statistic()) && !end.isAfter(now)) {
                List<Sample> hourly = hourly(samples);
                Outcome o;
                if (sel.insufficient()) {
                    o = new Outcome(end.isAfter(now) ? Status.PENDING : Status.INSUFFICIENT_DATA, null, null, null, 0,
                            rules.minValidHours(), List.of(), List.of(), sel.note());
                } else if (hourly.isEmpty() && samples.containsKey(MeasurementKind.DAY)) {
                    Sample s = samples.get(MeasurementKind.DAY).get(0);
                    o = Evaluator.instant(sel.limit(), s, rules); // the logger's own daily value (2031)
                } else if (Evaluator.clearlyCompliant(sel.limit(), hourly, day, rules)) {
                    o = CLEARLY_COMPLIANT; // record() needs only the status of a compliant day
                } else {
                    o = Evaluator.daily(sel.limit(), hourly, day, now, rules);
                }
                record(outfallId, any.factor(), statistic, start, end, sel, o, day, changedMonths, lastLimit, unresolved);
                earlyWarning(outfallId, sel.limit(), samples, day, from, to);
            } else if (DAILY.contains(any.statistic())) {
                earlyWarning(outfallId, sel.limit(), samples, day, from, to); // the day is still running
            } else if (any.statistic() == Limit.Statistic.HOURLY_MEAN || any.statistic() == Limit.Statistic.INSTANT) {
                List<Sample> values = any.statistic() == Limit.Statistic.HOURLY_MEAN
                        ? samples.getOrDefault(MeasurementKind.HOUR, List.of())
                        : concat(samples.get(MeasurementKind.REALTIME), samples.get(MeasurementKind.MINUTE));
                for (Sample s : values) {
                    if (s.time().isBefore(from) || s.time().isAfter(to) || sel.limit() == null) {
                        continue;
                    }
                    Outcome o = Evaluator.instant(sel.limit(), s, rules);
                    Instant ws = s.time();
                    Instant we = any.statistic() == Limit.Statistic.HOURLY_MEAN ? ws.plus(Duration.ofHours(1)) : ws;
                    record(outfallId, any.factor(), statistic, ws, we, sel, o, day, changedMonths, lastLimit, unresolved);
                }
            }
            // MONTHLY_MEAN limits: not evaluated by the streaming engine yet (Evaluator.monthly is ready), see docs
        }
    }

    /**
     * The factors an outfall must report on {@code day}, each with why: those with an outfall-specific limit in force
     * (approval decision, permit, local rule: set for this outfall, so it must be measured) and those its enabled data
     * loggers were registered to send before the day began. A standard pack's rows alone do not make a factor
     * required: a pack lists factors (BOD5, faecal coliforms, colour…) that most outfalls do not measure online.
     * Local keys ({@code x:…}, no HJ 212 code) can never arrive online and are left out.
     */
    static Map<String, List<String>> required(StandardPacks.Effective eff, List<MeasurementQueries.ExpectedFactors> loggers,
                                              LocalDate day) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        for (Limit l : eff.all()) {
            if (l.outfallLimitId() != null && !l.factor().startsWith("x:")) {
                String why = "排污口限值 / outfall limit: " + l.source() + (l.clause() == null ? "" : " " + l.clause());
                List<String> reasons = out.computeIfAbsent(l.factor(), f -> new ArrayList<>());
                if (!reasons.contains(why)) {
                    reasons.add(why);
                }
            }
        }
        Instant start = Evaluator.dayStart(day);
        for (var logger : loggers) {
            if (!logger.registeredAt().isAfter(start)) {
                for (String f : logger.factors()) {
                    out.computeIfAbsent(f, k -> new ArrayList<>()).add("数采仪 / data logger " + logger.mn());
                }
            }
        }
        return out;
    }

    /**
     * Missing data (ICIS D80 "monitoring value not received", anchors §1.1): each required factor without a single
     * valid value (present, not flagged F/M/C/D/B/P) in the closed day [start, end) is one MISSING_DATA finding for
     * the day — distinct from INSUFFICIENT_DATA, which is some valid hours but fewer than a daily mean needs. A
     * finding the data now contradicts (a logger uploaded the day late) is resolved by the system. Returns the
     * factors found missing.
     */
    private Set<String> missingData(long outfallId, StandardPacks.Effective eff, Instant start, Instant end,
                                    Map<String, Map<MeasurementKind, List<Sample>>> byFactor,
                                    Map<String, List<String>> required, Set<String> unresolved) {
        Set<String> missing = new HashSet<>();
        for (var r : required.entrySet()) {
            String factor = r.getKey();
            List<Sample> all = new ArrayList<>();
            byFactor.getOrDefault(factor, Map.of()).values().forEach(all::addAll);
            if (all.stream().anyMatch(x -> x.value() != null && !rules.excluded(x.flag()))) {
                resolve(unresolved, outfallId, factor, MISSING_STATISTIC, start, end, Kind.MISSING_DATA,
                        "重新计算：已收到有效数据 / recomputed: valid data received");
                continue;
            }
            missing.add(factor);
            Limit limit = eff.all().stream().filter(l -> l.factor().equals(factor)).findFirst().orElse(null);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("rule", "全天无有效监测值 / no valid value all day (ICIS D80, anchors §1.1)");
            values.put("requiredBy", r.getValue());
            values.put("received", all.size());
            values.put("excluded", all.stream().filter(x -> x.value() != null).limit(48).map(ComplianceEngine::sample).toList());
            values.put("excludedFlags", new TreeSet<>(rules.excludedFlags()));
            String unit = limit != null ? limit.unit() : Factor.of(factor).map(f -> f.unit).orElse(null);
            store(new Findings.Draft(outfallId, factor, MISSING_STATISTIC, start, end, Kind.MISSING_DATA,
                    limitRef(limit, "无限值，数采仪登记应报 / no limit: a registered data logger must send it"),
                    limit == null ? null : limit.packCode(), limit == null ? null : limit.packVersion(), null,
                    limit == null ? null : limit.value(), unit, values, null, null, false));
        }
        return missing;
    }

    private static final Outcome CLEARLY_COMPLIANT = new Outcome(Status.COMPLIANT, null, null, null, 0, 0, List.of(),
            List.of(), null);

    /** The statistic column of a MISSING_DATA finding: the whole China day. */
    static final String MISSING_STATISTIC = "DAY";

    /** Hourly values for daily statistics: HOUR rows (2061); without any, MINUTE rows, then REALTIME rows. */
    static List<Sample> hourly(Map<MeasurementKind, List<Sample>> samples) {
        if (samples == null) {
            return List.of();
        }
        for (MeasurementKind k : List.of(MeasurementKind.HOUR, MeasurementKind.MINUTE, MeasurementKind.REALTIME)) {
            if (samples.containsKey(k)) {
                return samples.get(k);
            }
        }
        return List.of();
    }

    private static List<Sample> concat(List<Sample> a, List<Sample> b) {
        List<Sample> out = new ArrayList<>(a == null ? List.of() : a);
        if (b != null) {
            out.addAll(b);
        }
        return out;
    }

    private void record(long outfallId, String factor, String statistic, Instant start, Instant end,
                        Evaluator.Selection sel, Outcome o, LocalDate day, Map<String, Set<YearMonth>> changedMonths,
                        Map<String, Limit> lastLimit, Set<String> unresolved) {
        switch (o.status()) {
            case EXCEEDANCE -> {
                store(draft(outfallId, factor, statistic, start, end, Kind.VIOLATION, sel, o, false));
                resolve(unresolved, outfallId, factor, statistic, start, end, Kind.INSUFFICIENT_DATA,
                        "重新计算：已有足够数据 / recomputed: enough data");
            }
            case INSUFFICIENT_DATA -> {
                store(draft(outfallId, factor, statistic, start, end, Kind.INSUFFICIENT_DATA, sel, o, false));
                resolve(unresolved, outfallId, factor, statistic, start, end, Kind.VIOLATION,
                        "重新计算：有效数据不足 / recomputed: insufficient valid data");
            }
            case COMPLIANT -> {
                resolve(unresolved, outfallId, factor, statistic, start, end, Kind.VIOLATION, "重新计算：达标 / recomputed: compliant");
                resolve(unresolved, outfallId, factor, statistic, start, end, Kind.INSUFFICIENT_DATA,
                        "重新计算：达标 / recomputed: compliant");
            }
            case PENDING, NOT_EVALUATED -> {
                return;
            }
        }
        if (sel.limit() != null) {
            String key = factor + "|" + statistic;
            changedMonths.computeIfAbsent(key, k -> new TreeSet<>()).add(YearMonth.from(day));
            lastLimit.put(key, sel.limit());
        }
    }

    /** Resolves a finding a recomputation no longer supports, if there is one (most days have none: no statement). */
    private void resolve(Set<String> unresolved, long outfallId, String factor, String statistic, Instant start,
                         Instant end, Kind kind, String reason) {
        if (unresolved.remove(Findings.key(factor, statistic, kind, start))) {
            findings.resolveBySystem(outfallId, factor, statistic, start, end, List.of(kind), reason);
        }
    }

    /** One early warning per factor and China day: the worst new value above a daily limit (INSTANT_EXCEEDANCE). */
    private void earlyWarning(long outfallId, Limit limit, Map<MeasurementKind, List<Sample>> samples, LocalDate day,
                              Instant from, Instant to) {
        if (limit == null) {
            return;
        }
        Outcome worst = null;
        for (var k : List.of(MeasurementKind.REALTIME, MeasurementKind.MINUTE, MeasurementKind.HOUR)) {
            for (Sample s : samples.getOrDefault(k, List.of())) {
                if (s.time().isBefore(from) || s.time().isAfter(to) || s.value() == null
                        || !Evaluator.mayBreak(limit, s.value())) {
                    continue;
                }
                Outcome o = Evaluator.instant(limit, s, rules);
                if (o.exceeded() && (worst == null || o.exceedancePercent().compareTo(worst.exceedancePercent()) > 0)) {
                    worst = o;
                }
            }
        }
        if (worst != null) {
            Instant start = Evaluator.dayStart(day);
            store(draft(outfallId, limit.factor(), Limit.Statistic.INSTANT.name(), start,
                    Evaluator.dayStart(day.plusDays(1)), Kind.INSTANT_EXCEEDANCE, new Evaluator.Selection(limit, false, null),
                    worst, true));
        }
    }

    private void rolling(long outfallId, Map<String, Set<YearMonth>> changedMonths, Map<String, Limit> lastLimit) {
        for (var e : changedMonths.entrySet()) {
            String[] k = e.getKey().split("\\|");
            Limit limit = lastLimit.get(e.getKey());
            YearMonth lo = e.getValue().stream().min(YearMonth::compareTo).orElseThrow().minusMonths(RollingWindows.SPAN - 1);
            YearMonth hi = e.getValue().stream().max(YearMonth::compareTo).orElseThrow().plusMonths(RollingWindows.SPAN);
            var months = findings.monthly(outfallId, k[0], k[1], monthStart(lo), monthStart(hi));
            Factor.TrcGroup group = Factor.of(k[0]).map(f -> f.trcGroup).orElse(null);
            if (limit.comparison() == Limit.Comparison.RANGE) {
                group = null; // §1.4 (c): pH has no TRC; a range has no single multiplier
            }
            for (var w : RollingWindows.containing(months, e.getValue(), group)) {
                Kind kind = w.kind() == RollingWindows.Kind.CHRONIC ? Kind.CHRONIC : Kind.TRC;
                List<Map<String, Object>> counted = w.counted().stream().map(m -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("month", m.toString());
                    row.put("worstRatio", months.get(m).worstRatio());
                    return row;
                }).toList();
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("rule", w.kind() == RollingWindows.Kind.CHRONIC
                        ? "≥ 4 of 6 consecutive months exceeded (anchors §1.4 (b) 1)"
                        : "≥ " + group.multiplier + " × limit in ≥ 2 of 6 months, group " + group + " (anchors §1.4 (b) 2)");
                values.put("months", counted);
                BigDecimal worst = w.counted().stream().map(m -> months.get(m).worstRatio())
                        .filter(java.util.Objects::nonNull).max(BigDecimal::compareTo).orElse(null);
                store(new Findings.Draft(outfallId, k[0], k[1], monthStart(w.first()),
                        monthStart(w.last().plusMonths(1)), kind, limitRef(limit, null), limit.packCode(),
                        limit.packVersion(), null, limit.value(), limit.unit(), values, null, worst, false));
            }
        }
    }

    /**
     * Findings of windows too old to alert anyone, collected while a month of history is evaluated and written in one
     * JDBC batch at the end of that month's transaction (the backfill writes hundreds per outfall-year).
     */
    private static final ThreadLocal<List<Findings.Draft>> DEFERRED = new ThreadLocal<>();

    /** Writes a finding and, when it is (still or again) open, raises its alert in the same transaction. */
    private void store(Findings.Draft d) {
        List<Findings.Draft> deferred = DEFERRED.get();
        if (deferred != null && !alerts.alertable(d, Instant.now())) {
            deferred.add(d);
            return;
        }
        findings.upsert(d).filter(s -> s.status() == Findings.Status.OPEN)
                .ifPresent(s -> alerts.raise(s.id(), d, Instant.now()));
    }

    private static Instant monthStart(YearMonth m) {
        return Evaluator.dayStart(m.atDay(1));
    }

    private Findings.Draft draft(long outfallId, String factor, String statistic, Instant start, Instant end, Kind kind,
                                 Evaluator.Selection sel, Outcome o, boolean keepWorst) {
        Limit l = sel.limit();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("validCount", o.validCount());
        values.put("required", o.required());
        values.put("used", o.used().stream().map(ComplianceEngine::sample).toList());
        values.put("excluded", o.excluded().stream().map(ComplianceEngine::sample).toList());
        values.put("excludedFlags", new TreeSet<>(rules.excludedFlags()));
        if (o.note() != null || sel.note() != null) {
            values.put("note", String.join("; ", java.util.stream.Stream.of(sel.note(), o.note())
                    .filter(java.util.Objects::nonNull).toList()));
        }
        return new Findings.Draft(outfallId, factor, statistic, start, end, kind, limitRef(l, sel.note()),
                l == null ? null : l.packCode(), l == null ? null : l.packVersion(), o.value(),
                l == null ? null : l.value(), l == null ? null : l.unit(), values, o.exceedancePercent(), o.ratio(), keepWorst);
    }

    private static Map<String, Object> sample(Sample s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", s.time().toString());
        m.put("v", s.value());
        m.put("flag", s.flag());
        return m;
    }

    static Map<String, Object> limitRef(Limit l, String note) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (l == null) {
            m.put("note", note);
            return m;
        }
        m.put("source", l.source());
        m.put("packCode", l.packCode());
        m.put("packVersion", l.packVersion());
        m.put("grade", l.grade());
        m.put("packLimitId", l.packLimitId());
        m.put("outfallLimitId", l.outfallLimitId());
        m.put("factor", l.factor());
        m.put("statistic", l.statistic());
        m.put("comparison", l.comparison());
        m.put("value", l.value());
        m.put("low", l.low());
        m.put("high", l.high());
        m.put("unit", l.unit());
        m.put("condition", l.condition());
        m.put("scope", l.scope());
        m.put("clause", l.clause());
        m.put("describe", l.describe());
        return m;
    }
}
