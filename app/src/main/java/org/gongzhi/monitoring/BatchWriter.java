package org.gongzhi.monitoring;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit between the gateway and PostgreSQL. The gateway {@link #offer}s jobs into a bounded queue (and
 * stops reading its socket when the queue is full); writer threads take up to {@code max-rows} rows or wait up
 * to {@code max-wait-ms} for more, write the batch in ONE transaction ({@link MeasurementStore}) that publishes
 * {@link MeasurementsStored}, commit (the event's listeners run after it), and only then complete each packet's
 * future, on which the gateway sends 9014.
 * If the transaction fails the packets are retried one per transaction, so that one poisonous packet cannot
 * hold back the others; what still fails is completed exceptionally and not acknowledged (the logger resends).
 *
 * <p>Two writer threads by default: while one waits for its commit to reach the disk (fsync), the other writes the
 * next batch (docs/benchmarks.md: 95,000 → 110,000 rows/s; three were slower on two cores). Batches of different
 * threads may commit in either order; each packet is acknowledged when its own batch commits, and a resend racing its
 * original meets the primary key and is counted as a duplicate.
 *
 * <p>Up to 4,000 rows per batch by default (about 670 six-factor packets): at the end-to-end benchmark's rate a batch
 * fills in ≈ 30 ms either way, and half as many commits and round trips per row cut the CPU per stored row by ≈ 8 %
 * against 2,000 (docs/benchmarks.md, session 3).
 */
@Component
class BatchWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final DataSource dataSource;
    private final TransactionTemplate tx;
    private final RejectedFrames rejected;
    private final ApplicationEventPublisher events;
    private final GatewayMetrics metrics;
    private final StoragePartitions partitions;
    private final BlockingQueue<WriteJob> queue;
    private final int maxRows;
    private final long maxWaitMillis;
    private final int threads;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;
    /** Batches still to write by the staged path after a batch met existing rows (see MeasurementStore). */
    private volatile int stagedBatchesLeft;
    private final int stagedAfterConflict;

    BatchWriter(DataSource dataSource, TransactionTemplate tx, RejectedFrames rejected, ApplicationEventPublisher events,
                GatewayMetrics metrics, StoragePartitions partitions,
                @Value("${gongzhi.writer.queue-capacity:20000}") int capacity,
                @Value("${gongzhi.writer.max-rows:4000}") int maxRows,
                @Value("${gongzhi.writer.max-wait-ms:20}") long maxWaitMillis,
                @Value("${gongzhi.writer.threads:2}") int threads,
                @Value("${gongzhi.writer.staged-batches-after-conflict:50}") int stagedAfterConflict) {
        this.dataSource = dataSource;
        this.tx = tx;
        this.rejected = rejected;
        this.events = events;
        this.metrics = metrics;
        this.partitions = partitions;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxRows = maxRows;
        this.maxWaitMillis = maxWaitMillis;
        this.threads = threads;
        this.stagedAfterConflict = stagedAfterConflict;
    }

    /** Never blocks: false when the queue is full (the caller pauses reading and retries). */
    boolean offer(WriteJob job) {
        return running && queue.offer(job);
    }

    int queued() {
        return queue.size();
    }

    @Override
    public void start() {
        partitions.ensure();
        running = true;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::run, "hj212-writer-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    @Override
    public void stop() {
        running = false; // no new jobs; the workers drain what is queued, then end
        for (Thread t : workers) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void run() {
        List<WriteJob> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                WriteJob first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                long polled = System.nanoTime();
                batch.add(first);
                int rows = rows(first);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
                while (rows < maxRows) {
                    WriteJob next = queue.poll();
                    if (next == null) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0 || !running) {
                            break;
                        }
                        next = queue.poll(left, TimeUnit.NANOSECONDS);
                        if (next == null) {
                            break;
                        }
                    }
                    batch.add(next);
                    rows += rows(next);
                }
                process(batch, polled);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("writer failed on a batch of {}", batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }

    private static int rows(WriteJob j) {
        return j instanceof WriteJob.Store s ? s.estimatedRows() : 1;
    }

    void process(List<WriteJob> batch) {
        process(batch, System.nanoTime());
    }

    private void process(List<WriteJob> batch, long polled) {
        List<WriteJob.Store> stores = new ArrayList<>(batch.size());
        List<WriteJob.Reject> rejects = new ArrayList<>();
        for (WriteJob j : batch) {
            if (j instanceof WriteJob.Store s) {
                stores.add(s);
            } else if (j instanceof WriteJob.Reject r) {
                rejects.add(r);
            }
        }
        if (!stores.isEmpty()) {
            long t0 = System.nanoTime();
            Timing timing = timings.get();
            timing.reset();
            try {
                store(stores);
            } catch (RuntimeException e) {
                if (stores.size() == 1) {
                    fail(stores.get(0), e);
                } else {
                    log.warn("batch of {} packets failed ({}); retrying one by one", stores.size(), e.toString());
                    for (WriteJob.Store s : stores) {
                        try {
                            store(List.of(s));
                        } catch (RuntimeException e1) {
                            fail(s, e1);
                        }
                    }
                }
            }
            long t1 = System.nanoTime();
            metrics.batch.record(t1 - t0, TimeUnit.NANOSECONDS);
            if (log.isDebugEnabled()) {
                // where an ack's time goes (docs/monitoring.md "Ack latency"): waiting in the queue for a writer,
                // filling the batch, writing it, the commit (WAL flush) with its after-commit listeners
                long oldest = java.time.Duration.between(stores.get(0).receivedAt(), now()).toNanos() - (t1 - polled);
                log.debug("batch packets={} queued_ms={} fill_ms={} write_ms={} commit_ms={} queue={}",
                        stores.size(), ms(oldest), ms(t0 - polled), ms(timing.written - t0),
                        ms(timing.committed - timing.written), queue.size());
            }
        }
        if (!rejects.isEmpty()) {
            try {
                tx.executeWithoutResult(s -> rejected.insertAll(rejects));
            } catch (RuntimeException e) {
                log.error("could not record {} rejected frames: {}", rejects.size(), e.toString());
            }
        }
    }

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /** Per-thread instants of the batch being stored, for the debug line above. */
    private static final class Timing {
        long written;
        long committed;

        void reset() {
            written = committed = System.nanoTime();
        }
    }

    private final ThreadLocal<Timing> timings = ThreadLocal.withInitial(Timing::new);

    private void fail(WriteJob.Store s, RuntimeException e) {
        metrics.storeFailures.increment();
        log.warn("not stored, not acknowledged: {} CN={} QN={}: {}", s.packet().mn(), s.packet().cn(), s.packet().qn(),
                e.toString());
        s.done().completeExceptionally(e);
    }

    private void store(List<WriteJob.Store> stores) {
        Timing timing = timings.get();
        MeasurementStore.Result r = tx.execute(status -> {
            Connection conn = DataSourceUtils.getConnection(dataSource);
            MeasurementStore.Result res;
            try {
                boolean direct = stagedBatchesLeft <= 0;
                res = MeasurementStore.write(conn, stores, direct);
                stagedBatchesLeft = res.conflict() ? stagedAfterConflict : Math.max(0, stagedBatchesLeft - 1);
                HostCommands.recordAnswers(conn, stores);
                timing.written = System.nanoTime();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            } finally {
                DataSourceUtils.releaseConnection(conn, dataSource);
            }
            // Published inside the transaction: @TransactionalEventListener / @ApplicationModuleListener run after
            // commit (and a Modulith event registry would store the publication in this same transaction).
            // one span per packet with new rows (a packet has one DataTime): listeners read exactly the new rows
            long inserted = 0;
            List<MeasurementsStored.Span> spans = new ArrayList<>(stores.size());
            for (int i = 0; i < stores.size(); i++) {
                inserted += res.inserted()[i];
                var p = stores.get(i).packet();
                if (res.inserted()[i] > 0 && p.cp().dataTime() != null) {
                    Instant t = p.cp().dataTime().atZone(MeasurementStore.CHINA).toInstant();
                    spans.add(new MeasurementsStored.Span(stores.get(i).outfallId(), MeasurementKind.ofCn(p.cn()), t, t));
                }
            }
            if (inserted > 0) {
                events.publishEvent(MeasurementsStored.of(spans, inserted));
            }
            return res;
        });
        // Committed (the data is durable) and handed to the after-commit listeners of MeasurementsStored, which only
        // queue work (compliance) or ignore the gateway's batches (supervision's sampling results): the packets may be
        // acknowledged, and whoever waits for a 9014 finds the listeners' hand-off done.
        timing.committed = System.nanoTime();
        for (int i = 0; i < stores.size(); i++) {
            metrics.rows.increment(r.inserted()[i]);
            metrics.duplicates.increment(r.staged()[i] - r.inserted()[i]);
            stores.get(i).done().complete(new WriteJob.Stored(r.inserted()[i], r.staged()[i] - r.inserted()[i]));
        }
    }

    static Instant now() {
        return Instant.now();
    }
}
