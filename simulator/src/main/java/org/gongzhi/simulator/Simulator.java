package org.gongzhi.simulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.HdrHistogram.Histogram;

/**
 * Runs N devices on one event-loop group until their packets, or the duration, are used up, and builds the JSON
 * report. Devices connect at {@code --connect-rate} per second; each lives on one event loop.
 */
final class Simulator {

    private final Options o;
    private final Stats normal = new Stats();
    private final Stats chaos = new Stats();
    private final List<Device> devices = new ArrayList<>();
    private final EnumMap<ChaosKind, Integer> chaosKinds = new EnumMap<>(ChaosKind.class);
    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicLong lastDoneNanos = new AtomicLong();
    private final PrintStream log;
    private CountDownLatch done;
    private Bootstrap template;
    private List<Replay.Frame> replayFrames;
    private long startNanos;
    /** {@code --acked-log}: written by the event loops, hence the lock; closed (flushed) when the run ends. */
    private BufferedWriter ackedLog;

    Simulator(Options o, PrintStream log) {
        this.o = o;
        this.log = log;
    }

    Options options() {
        return o;
    }

    Stats normalStats() {
        return normal;
    }

    Stats chaosStats() {
        return chaos;
    }

    Bootstrap bootstrap(EventLoop loop, ChannelHandler handler) {
        return template.clone(loop).handler(handler);
    }

    /** Records an acknowledged packet in {@code --acked-log}: MN, CN, QN and DataTime (- when it has none). */
    void acked(String mn, Device.Upload u) {
        if (ackedLog == null) {
            return;
        }
        String dataTime = u.msg == null ? null : u.msg.get("DataTime");
        String line = mn + '\t' + u.cn + '\t' + u.qn + '\t' + (dataTime == null ? "-" : dataTime) + '\n';
        synchronized (this) {
            try {
                if (ackedLog != null) {
                    ackedLog.write(line);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    void deviceDone(Device d) {
        lastDoneNanos.accumulateAndGet(System.nanoTime(), Math::max);
        remaining.decrementAndGet();
        done.countDown();
    }

    /** Runs the simulation and returns the report (see docs/simulator.md). */
    Map<String, Object> run() throws IOException, InterruptedException {
        if (o.replay != null) {
            replayFrames = Replay.load(o.replay, o.replayRaw);
        }
        if (o.ackedLog != null) {
            ackedLog = Files.newBufferedWriter(o.ackedLog, StandardCharsets.UTF_8);
        }
        if (o.jitWarmupSeconds > 0 && o.replay == null) {
            long n = JitWarmup.run(o, o.jitWarmupSeconds);
            if (log != null) {
                log.printf("JIT warm-up: %d uploads built and decoded in memory in %.1f s%n", n, o.jitWarmupSeconds);
            }
        }
        // epoll where available: thousands of loggers on one machine spend most of their CPU in system calls
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(o.threads,
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            template = new Bootstrap()
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .remoteAddress(new InetSocketAddress(o.host, o.port))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(16 * 1024, 64 * 1024));
            List<ChaosKind> kinds = new ArrayList<>(o.chaosKinds);
            int nChaos = 0;
            for (int i = 0; i < o.devices; i++) {
                ChaosKind kind = o.chaosDevice(i) ? kinds.get(nChaos++ % kinds.size()) : null;
                if (kind != null) {
                    chaosKinds.merge(kind, 1, Integer::sum);
                }
                devices.add(new Device(this, i, kind, kind == null ? normal : chaos, group.next(),
                    replayFrames, quota(i)));
            }
            done = new CountDownLatch(devices.size());
            remaining.set(devices.size());
            startNanos = System.nanoTime();
            lastDoneNanos.set(startNanos);
            long deadline = o.durationSeconds > 0 ? startNanos + (long) (o.durationSeconds * 1e9) : Long.MAX_VALUE;
            for (int i = 0; i < devices.size(); i++) {
                Device d = devices.get(i);
                long delay = (long) (i * 1e9 / o.connectRate);
                d.loop.schedule(() -> d.start(deadline), delay, TimeUnit.NANOSECONDS);
            }
            Thread progress = null;
            if (o.progressSeconds > 0 && log != null) {
                progress = new Thread(this::progressLoop, "simulator-progress");
                progress.setDaemon(true);
                progress.start();
            }
            if (deadline == Long.MAX_VALUE) {
                done.await();
            } else {
                long rampNanos = (long) (devices.size() * 1e9 / o.connectRate);
                long drainNanos = TimeUnit.MILLISECONDS.toNanos(o.ackTimeoutMs * (o.retries + 1L) + 2000);
                long wait = deadline + rampNanos + drainNanos - System.nanoTime();
                if (!done.await(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
                    for (Device d : devices) {
                        d.loop.execute(d::forceStop);
                    }
                    done.await(10, TimeUnit.SECONDS);
                }
            }
            if (progress != null) {
                progress.interrupt();
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            if (ackedLog != null) {
                synchronized (this) {
                    ackedLog.close();
                    ackedLog = null;
                }
            }
        }
        return report();
    }

    private long quota(int i) {
        if (o.totalPackets > 0) {
            long base = o.totalPackets / o.devices;
            return base + (i < o.totalPackets % o.devices ? 1 : 0);
        }
        if (o.packetsPerDevice > 0) {
            return o.packetsPerDevice;
        }
        if (replayFrames != null && o.durationSeconds == 0) {
            return replayFrames.size();
        }
        return Long.MAX_VALUE;
    }

    private void progressLoop() {
        long every = (long) (o.progressSeconds * 1000);
        try {
            while (true) {
                Thread.sleep(every);
                double t = (System.nanoTime() - startNanos) / 1e9;
                Histogram h = normal.intervalLatencies();
                log.printf("[%6.1fs] devices running %d, sent %d, acked %d, resent %d, failed %d, connects %d;"
                        + " since the last line: %d acks, latency ms p50 %.1f p99 %.1f max %.1f%n", t,
                    remaining.get(), normal.get(Stats.C.SENT) + chaos.get(Stats.C.SENT),
                    normal.get(Stats.C.ACKED) + chaos.get(Stats.C.ACKED),
                    normal.get(Stats.C.RESENT) + chaos.get(Stats.C.RESENT),
                    normal.get(Stats.C.FAILED) + chaos.get(Stats.C.FAILED),
                    normal.get(Stats.C.CONNECTS) + chaos.get(Stats.C.CONNECTS), h.getTotalCount(),
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
            }
        } catch (InterruptedException e) {
            // done
        }
    }

    private Map<String, Object> report() {
        double seconds = Math.max(1e-9, (lastDoneNanos.get() - startNanos) / 1e9);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", o.replay != null ? "replay" : o.intervalSeconds == 0 ? "fast" : "scheduled");
        r.put("protocol", o.replay != null ? "replay" : o.protocol.label());
        r.put("devices", devices.size());
        int chaosDevices = chaosKinds.values().stream().mapToInt(Integer::intValue).sum();
        r.put("wellBehavedDevices", devices.size() - chaosDevices);
        counts(r, normal);
        r.put("ackLatencyMs", Stats.percentiles(normal.latencies()));
        long frames = normal.get(Stats.C.SENT) + normal.get(Stats.C.RESENT) + chaos.get(Stats.C.SENT)
            + chaos.get(Stats.C.RESENT);
        r.put("packetsPerSecond", round1(frames / seconds));
        r.put("ackedPerSecond", round1((normal.get(Stats.C.ACKED) + chaos.get(Stats.C.ACKED)) / seconds));
        r.put("durationSeconds", Math.round(seconds * 1000) / 1000.0);
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("records", normal.get(Stats.C.RECORDS) + chaos.get(Stats.C.RECORDS));
        rec.put("splitParts", normal.get(Stats.C.SPLIT_PARTS) + chaos.get(Stats.C.SPLIT_PARTS));
        rec.put("historyRecords", normal.get(Stats.C.HISTORY_RECORDS) + chaos.get(Stats.C.HISTORY_RECORDS));
        rec.put("exceedances", normal.get(Stats.C.EXCEEDANCES) + chaos.get(Stats.C.EXCEEDANCES));
        rec.put("nonNormalFlags", normal.get(Stats.C.NON_N_FLAGS) + chaos.get(Stats.C.NON_N_FLAGS));
        r.put("data", rec);
        Map<String, Object> conn = new LinkedHashMap<>();
        conn.put("connects", sum(Stats.C.CONNECTS));
        conn.put("connectFailures", sum(Stats.C.CONNECT_FAILURES));
        conn.put("disconnects", sum(Stats.C.DISCONNECTS));
        conn.put("devicesGaveUp", sum(Stats.C.GAVE_UP));
        conn.put("bytesWritten", sum(Stats.C.BYTES_WRITTEN));
        conn.put("framesWritten", sum(Stats.C.FRAMES_WRITTEN));
        r.put("connections", conn);
        Map<String, Object> host = new LinkedHashMap<>();
        Map<String, Object> cmds = new LinkedHashMap<>(normal.hostCommands());
        chaos.hostCommands().forEach((k, v) -> cmds.merge(k, v, (a, b) -> (Long) a + (Long) b));
        host.put("commands", cmds);
        host.put("repliesSent", sum(Stats.C.REPLIES_SENT));
        host.put("notifyAcks", sum(Stats.C.NOTIFY_ACKS));
        host.put("framesRejected", sum(Stats.C.SERVER_FRAMES_REJECTED));
        r.put("host", host);
        if (chaosDevices > 0) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("devices", chaosDevices);
            Map<String, Object> k = new LinkedHashMap<>();
            chaosKinds.forEach((kind, n) -> k.put(kind.label(), n));
            c.put("kinds", k);
            counts(c, chaos);
            c.put("ackLatencyMs", Stats.percentiles(chaos.latencies()));
            c.put("badCrcFrames", chaos.get(Stats.C.BAD_CRC_FRAMES));
            c.put("badLengthFrames", chaos.get(Stats.C.BAD_LENGTH_FRAMES));
            c.put("badFramesAcked", chaos.get(Stats.C.BAD_FRAMES_ACKED));
            c.put("garbageChunks", chaos.get(Stats.C.GARBAGE_CHUNKS));
            c.put("garbageBytes", chaos.get(Stats.C.GARBAGE_BYTES));
            c.put("slowFrames", chaos.get(Stats.C.SLOW_FRAMES));
            c.put("abruptDisconnects", chaos.get(Stats.C.ABRUPT_DISCONNECTS));
            r.put("chaos", c);
        }
        if (o.replay != null) {
            Map<String, Object> rp = new LinkedHashMap<>();
            rp.put("file", o.replay.toString());
            rp.put("framesInFile", replayFrames.size());
            long valid = replayFrames.stream().filter(f -> f.packet() != null).count();
            rp.put("validFramesInFile", valid);
            rp.put("ackExpectedInFile", replayFrames.stream().filter(Replay.Frame::expectAck).count());
            rp.put("invalidFramesSent", sum(Stats.C.REPLAY_INVALID_FRAMES));
            rp.put("noAckFramesSent", sum(Stats.C.REPLAY_NO_ACK_FRAMES));
            rp.put("invalidFramesAcked", sum(Stats.C.BAD_FRAMES_ACKED));
            r.put("replay", rp);
        }
        if (o.verbose) {
            List<Object> by = new ArrayList<>(devices.size());
            for (Device d : devices) {
                by.add(d.summary());
            }
            r.put("byDevice", by);
        }
        return r;
    }

    private long sum(Stats.C c) {
        return normal.get(c) + chaos.get(c);
    }

    private static void counts(Map<String, Object> m, Stats s) {
        m.put("sent", s.get(Stats.C.SENT));
        m.put("acked", s.get(Stats.C.ACKED));
        m.put("resent", s.get(Stats.C.RESENT));
        m.put("failed", s.get(Stats.C.FAILED));
        m.put("unsent", s.get(Stats.C.UNSENT));
        m.put("duplicatesAcked", s.get(Stats.C.DUPLICATES_ACKED));
        m.put("lateAcks", s.get(Stats.C.LATE_ACKS));
        m.put("unknownAcks", s.get(Stats.C.UNKNOWN_ACKS));
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Histogram of the well-behaved devices' ack latencies (tests). */
    Histogram latencies() {
        return normal.latencies();
    }
}
