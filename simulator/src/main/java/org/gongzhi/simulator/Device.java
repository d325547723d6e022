package org.gongzhi.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import org.gongzhi.hj212.CpItem;
import org.gongzhi.hj212.Hj212Crc;
import org.gongzhi.hj212.Hj212Decoder;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.hj212.Hj212Packet;
import org.gongzhi.hj212.Hj212Rejection;
import org.gongzhi.hj212.Hj212Replies;
import org.gongzhi.hj212.Hj212Replies.ExeRtn;
import org.gongzhi.hj212.Hj212Replies.QnRtn;
import org.gongzhi.hj212.Hj212Result;

/**
 * One simulated data logger: a state machine that lives entirely on one Netty event loop (no locks). It keeps one
 * TCP connection (reconnecting after drops), generates records on schedule or as fast as acks allow, sends them
 * with Flag A=1 and waits for the 9014 carrying the same QN, resending the same bytes on timeout up to the retry
 * count, and answers the host's commands (9011/9012, 1011 time, 1061/1063 intervals, history 2031/2051/2061).
 */
final class Device {

    private static final byte ACKED = 1;
    private static final byte FAILED = 2;
    private static final int REMEMBER_QNS = 4096;
    private static final io.netty.util.concurrent.FastThreadLocal<byte[]> SCRATCH =
        new io.netty.util.concurrent.FastThreadLocal<>() {
            @Override
            protected byte[] initialValue() {
                return new byte[8192];
            }
        };

    /** A packet to send and, with Flag A, to see acknowledged. */
    static final class Upload {
        final String qn;
        final int cn;
        final Hj212Message msg; // null for replayed frames
        final boolean expectAck;
        byte[] frame;
        int attempts;
        long firstSentNanos;
        ScheduledFuture<?> timer;
        Runnable onSettled;
        boolean history;

        Upload(String qn, int cn, Hj212Message msg, byte[] frame, boolean expectAck) {
            this.qn = qn;
            this.cn = cn;
            this.msg = msg;
            this.frame = frame;
            this.expectAck = expectAck && qn != null;
        }
    }

    private final Simulator sim;
    private final Options o;
    final int index;
    final String mn;
    String pw;
    final ChaosKind chaos;
    final Stats stats;
    final EventLoop loop;
    private final SplittableRandom rnd;
    private final QnSource qns;
    private final ValueModel model;
    private final PacketFactory factory;
    private final List<Replay.Frame> replay;
    private final long quota;

    // per-device figures for --verbose (written on the loop, read after it has stopped)
    long sent;
    long acked;
    long resent;
    long failed;
    long latencyMaxNanos;
    long latencySumNanos;

    private Conn conn;
    private boolean started;
    private boolean finished;
    private boolean deadlinePassed;
    private boolean gaveUp;
    private int connectFailuresInRow;
    private long records;
    private int cnCursor;
    private final LocalDateTime[] lastDataTime = new LocalDateTime[4];
    private final List<ScheduledFuture<?>> tickers = new ArrayList<>();
    private ScheduledFuture<?> deadlineTask;
    private final ArrayDeque<Upload> priority = new ArrayDeque<>();
    private final ArrayDeque<Upload> queue = new ArrayDeque<>();
    private final LinkedHashMap<String, Upload> inflight = new LinkedHashMap<>();
    private final Map<String, Byte> settled = lru(REMEMBER_QNS);
    private final Map<String, Boolean> badQns = lru(1024);
    private boolean pumping;
    private boolean pumpAgain;
    private int historyPending;

    // host-settable parameters
    private long ackTimeoutMs;
    private int retries;
    private boolean realtimeOn = true;
    private int rtdPeriod;
    private int minIntervalMinutes;
    private long clockOffsetMillis;

    // slow writer
    private final ArrayDeque<Object[]> slowQueue = new ArrayDeque<>();
    private int slowPos;
    private boolean trickling;

    Device(Simulator sim, int index, ChaosKind chaos, Stats stats, EventLoop loop, List<Replay.Frame> replay,
           long quota) {
        this.sim = sim;
        this.o = sim.options();
        this.index = index;
        this.mn = o.mn(index);
        this.pw = o.password(index);
        this.chaos = chaos;
        this.stats = stats;
        this.loop = loop;
        this.rnd = new SplittableRandom(ValueModel.mix(o.seed, index, 7, 7));
        this.qns = new QnSource(o.zone);
        this.replay = replay;
        this.quota = quota;
        this.model = replay != null ? null : new ValueModel(o.seed, index, o.factors, o.exceedanceRate, o.flagRate,
            o.protocol == org.gongzhi.hj212.ProtocolVersion.V2005);
        this.factory = new PacketFactory(o.protocol, o.st, mn, o.wireFactors(), o.split ? o.splitCp : 0);
        this.ackTimeoutMs = o.ackTimeoutMs;
        this.retries = o.retries;
        this.rtdPeriod = o.rtdPeriodSeconds();
        this.minIntervalMinutes = o.minIntervalMinutes;
    }

    private static <V> Map<String, V> lru(int max) {
        return new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    boolean finished() {
        return finished;
    }

    boolean gaveUp() {
        return gaveUp;
    }

    int inflight() {
        return inflight.size();
    }

    private boolean fastMode() {
        return o.intervalSeconds == 0 || replay != null;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Called on the loop after the ramp-up delay. */
    void start(long deadlineNanos) {
        if (deadlineNanos != Long.MAX_VALUE) {
            deadlineTask = loop.schedule(() -> {
                deadlinePassed = true;
                stopTickers();
                maybeFinish();
            }, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        connect();
    }

    private void connect() {
        if (finished) {
            return;
        }
        Conn c = new Conn();
        conn = c;
        sim.bootstrap(loop, c).connect().addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                onConnectFailed(c);
            }
        });
    }

    private void onConnectFailed(Conn c) {
        if (c != conn || finished) {
            return;
        }
        conn = null;
        stats.inc(Stats.C.CONNECT_FAILURES);
        if (++connectFailuresInRow > o.connectRetries) {
            gaveUp = true;
            stats.inc(Stats.C.GAVE_UP);
            finish(true);
            return;
        }
        loop.schedule(this::connect, o.reconnectDelayMs, TimeUnit.MILLISECONDS);
    }

    private void onConnected(Conn c) {
        if (c != conn) {
            c.ch.close();
            return;
        }
        connectFailuresInRow = 0;
        stats.inc(Stats.C.CONNECTS);
        if (finished) {
            c.ch.close();
            return;
        }
        if (!started) {
            started = true;
            startTickers();
        }
        pump();
    }

    private void onDisconnected(Conn c) {
        if (c != conn) {
            return;
        }
        conn = null;
        if (!c.chaosClose && !finished) {
            stats.inc(Stats.C.DISCONNECTS);
        }
        // what was in flight goes out again, first and in order, after the reconnect (same QN: a resend)
        List<Upload> back = new ArrayList<>(inflight.values());
        inflight.clear();
        for (int i = back.size() - 1; i >= 0; i--) {
            Upload u = back.get(i);
            cancel(u);
            priority.addFirst(u);
        }
        slowQueue.clear();
        slowPos = 0;
        trickling = false;
        if (finished) {
            return;
        }
        loop.schedule(this::connect, c.chaosClose ? Math.min(o.reconnectDelayMs, 200) : o.reconnectDelayMs,
            TimeUnit.MILLISECONDS);
    }

    /** Ends the run for this device now: unacknowledged packets count failed, never-sent ones unsent. */
    void forceStop() {
        finish(true);
    }

    private void maybeFinish() {
        if (!finished && !generating() && priority.isEmpty() && queue.isEmpty() && inflight.isEmpty()
            && slowQueue.isEmpty() && historyPending == 0) {
            finish(false);
        }
    }

    private void finish(boolean force) {
        if (finished) {
            return;
        }
        finished = true;
        stopTickers();
        if (deadlineTask != null) {
            deadlineTask.cancel(false);
        }
        for (Upload u : inflight.values()) {
            cancel(u);
            count(Stats.C.FAILED);
        }
        inflight.clear();
        for (ArrayDeque<Upload> q : List.of(priority, queue)) {
            for (Upload u : q) {
                count(u.attempts > 0 ? Stats.C.FAILED : Stats.C.UNSENT);
            }
            q.clear();
        }
        Conn c = conn;
        if (c != null && c.ch != null) {
            // flush what was written (e.g. a last 9012), then close
            c.ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (c != null) {
            conn = null;
        }
        sim.deviceDone(this);
    }

    // ---------------------------------------------------------------- generation

    private boolean generating() {
        return !finished && !deadlinePassed && records < quota;
    }

    private void startTickers() {
        if (fastMode()) {
            return;
        }
        long period = (long) (o.intervalSeconds * 1e9);
        for (int cn : o.cns) {
            long first = rnd.nextLong(period);
            tickers.add(loop.scheduleAtFixedRate(() -> tick(cn), first, period, TimeUnit.NANOSECONDS));
        }
    }

    private void stopTickers() {
        for (ScheduledFuture<?> t : tickers) {
            t.cancel(false);
        }
        tickers.clear();
    }

    private void tick(int cn) {
        if (!generating()) {
            stopTickers();
            maybeFinish();
            return;
        }
        if (cn == 2011 && !realtimeOn) {
            return;
        }
        generate(cn);
        pump();
    }

    /** Fast mode: the next record in CN rotation (or the next replay frame). */
    private boolean generateNext() {
        if (!generating()) {
            return false;
        }
        if (replay != null) {
            generateReplay();
            return true;
        }
        for (int k = 0; k < o.cns.length; k++) {
            int cn = o.cns[cnCursor++ % o.cns.length];
            if (cn != 2011 || realtimeOn) {
                generate(cn);
                return true;
            }
        }
        return false;
    }

    private void generate(int cn) {
        LocalDateTime dt = nextDataTime(cn);
        List<ValueModel.FactorValue> values = cn == 2011 ? model.realtime(dt) : model.aggregate(cn, dt, period(cn));
        enqueue(cn, dt, values, o.ack, queue, null);
        records++;
    }

    /** Builds the record's packet(s) and appends them; returns the number of packets. */
    private int enqueue(int cn, LocalDateTime dt, List<ValueModel.FactorValue> values, boolean ack,
                        ArrayDeque<Upload> to, Runnable onSettled) {
        for (ValueModel.FactorValue v : values) {
            if (v.exceeded()) {
                stats.inc(Stats.C.EXCEEDANCES);
            }
            if (!v.flag().equals("N")) {
                stats.inc(Stats.C.NON_N_FLAGS);
            }
        }
        List<Hj212Message> msgs = factory.upload(cn, dt, values, pw, ack, qns::next);
        stats.inc(Stats.C.RECORDS);
        if (msgs.size() > 1) {
            stats.add(Stats.C.SPLIT_PARTS, msgs.size());
        }
        for (Hj212Message m : msgs) {
            Upload u = new Upload(m.qn(), cn, m, Hj212Encoder.encode(m), ack);
            u.onSettled = onSettled;
            to.addLast(u);
        }
        return msgs.size();
    }

    private void generateReplay() {
        Replay.Frame f = replay.get((int) (records % replay.size()));
        records++;
        stats.inc(Stats.C.RECORDS);
        Upload u;
        if (f.packet() == null) {
            stats.inc(Stats.C.REPLAY_INVALID_FRAMES);
            u = new Upload(null, -1, null, f.bytes(), false);
        } else {
            String qn = f.packet().qn();
            byte[] bytes = f.bytes();
            if (o.replayRewrite) {
                qn = qn == null ? null : qns.next();
                bytes = Replay.rewrite(f.packet(), mn, pw, qn == null ? "" : qn);
            }
            if (!f.expectAck()) {
                stats.inc(Stats.C.REPLAY_NO_ACK_FRAMES);
            }
            u = new Upload(qn, f.packet().cn(), null, bytes, f.expectAck() && o.ack);
        }
        queue.addLast(u);
    }

    private int period(int cn) {
        return switch (cn) {
            case 2011 -> rtdPeriod;
            case 2051 -> minIntervalMinutes * 60;
            default -> o.periodSeconds(cn);
        };
    }

    private static int kind(int cn) {
        return switch (cn) {
            case 2011 -> 0;
            case 2051 -> 1;
            case 2061 -> 2;
            default -> 3;
        };
    }

    /**
     * DataTime of the next record of a kind: one period after the previous one. The first one is --start-time
     * aligned to the period, or (live) the current period for 2011 and the last complete period for 2051/2061/2031
     * (DataTime is the start of the interval). In scheduled mode without --start-time it never lags the clock.
     */
    private LocalDateTime nextDataTime(int cn) {
        int k = kind(cn);
        int p = period(cn);
        LocalDateTime next;
        if (lastDataTime[k] == null) {
            LocalDateTime base = o.startTime != null ? o.startTime : now();
            next = Times.align(base, p);
            if (o.startTime == null && cn != 2011) {
                next = next.minusSeconds(p);
            }
        } else {
            next = lastDataTime[k].plusSeconds(p);
        }
        if (o.startTime == null && o.intervalSeconds > 0) {
            LocalDateTime live = Times.align(now(), p);
            if (cn != 2011) {
                live = live.minusSeconds(p);
            }
            if (live.isAfter(next)) {
                next = live;
            }
        }
        lastDataTime[k] = next;
        return next;
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(System.currentTimeMillis() + clockOffsetMillis), o.zone);
    }

    // ---------------------------------------------------------------- sending

    /** Sends what the window and the socket allow; generates records in fast mode. */
    void pump() {
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                pumpOnce();
            } while (pumpAgain && !finished);
        } finally {
            pumping = false;
        }
        maybeFinish();
    }

    private void pumpOnce() {
        int budget = 256;
        while (budget-- > 0) {
            Conn c = conn;
            if (c == null || c.ch == null || !c.ch.isActive() || finished) {
                return;
            }
            if (inflight.size() >= o.window || !c.ch.isWritable() || !slowQueue.isEmpty()) {
                return;
            }
            Upload u = priority.pollFirst();
            if (u == null) {
                u = queue.pollFirst();
            }
            if (u == null) {
                if (fastMode() && generateNext()) {
                    continue;
                }
                return;
            }
            if (u.attempts == 0 && chaos != null && !u.history && misbehave(c, u)) {
                return;
            }
            transmit(u);
        }
        loop.execute(this::pump); // yield the loop to other devices, then go on
    }

    private void transmit(Upload u) {
        if (u.attempts == 0) {
            u.firstSentNanos = System.nanoTime();
            count(Stats.C.SENT);
        } else {
            count(Stats.C.RESENT);
        }
        u.attempts++;
        if (u.expectAck) {
            inflight.put(u.qn, u);
            write(u.frame, true, () -> armTimer(u));
        } else {
            write(u.frame, true, () -> settle(u));
        }
    }

    private void armTimer(Upload u) {
        if (inflight.get(u.qn) != u || finished) {
            return;
        }
        u.timer = loop.schedule(() -> onTimeout(u), ackTimeoutMs, TimeUnit.MILLISECONDS);
    }

    private void onTimeout(Upload u) {
        u.timer = null;
        if (inflight.get(u.qn) != u || finished) {
            return;
        }
        if (u.attempts <= retries) {
            transmit(u); // the same bytes, the same QN
            return;
        }
        inflight.remove(u.qn);
        count(Stats.C.FAILED);
        settled.put(u.qn, FAILED);
        settle(u);
        pump();
    }

    private void onAck(String qn) {
        if (qn == null) {
            stats.inc(Stats.C.UNKNOWN_ACKS);
            return;
        }
        Upload u = inflight.remove(qn);
        if (u != null) {
            cancel(u);
            long lat = System.nanoTime() - u.firstSentNanos;
            count(Stats.C.ACKED);
            sim.acked(mn, u);
            stats.latency(lat);
            latencySumNanos += lat;
            latencyMaxNanos = Math.max(latencyMaxNanos, lat);
            settled.put(qn, ACKED);
            settle(u);
            pump();
            return;
        }
        Byte s = settled.get(qn);
        if (s != null) {
            stats.inc(s == ACKED ? Stats.C.DUPLICATES_ACKED : Stats.C.LATE_ACKS);
        } else if (badQns.containsKey(qn)) {
            stats.inc(Stats.C.BAD_FRAMES_ACKED);
        } else {
            stats.inc(Stats.C.UNKNOWN_ACKS);
        }
    }

    private void settle(Upload u) {
        if (u.onSettled != null) {
            Runnable r = u.onSettled;
            u.onSettled = null;
            r.run();
        }
    }

    private static void cancel(Upload u) {
        if (u.timer != null) {
            u.timer.cancel(false);
            u.timer = null;
        }
    }

    private void count(Stats.C c) {
        stats.inc(c);
        switch (c) {
            case SENT -> sent++;
            case ACKED -> acked++;
            case RESENT -> resent++;
            case FAILED -> failed++;
            default -> { }
        }
    }

    /** Writes bytes (trickled for a slow device); {@code onWritten} runs once the last byte is handed to the socket. */
    private void write(byte[] bytes, boolean frame, Runnable onWritten) {
        Conn c = conn;
        if (c == null || c.ch == null) {
            return;
        }
        if (frame) {
            stats.inc(Stats.C.FRAMES_WRITTEN);
        }
        stats.add(Stats.C.BYTES_WRITTEN, bytes.length);
        if (chaos == ChaosKind.SLOW) {
            slowQueue.addLast(new Object[] {bytes, onWritten});
            if (!trickling) {
                trickle();
            }
            return;
        }
        c.ch.writeAndFlush(Unpooled.wrappedBuffer(bytes), c.ch.voidPromise());
        if (onWritten != null) {
            onWritten.run();
        }
    }

    private void trickle() {
        Conn c = conn;
        Object[] item = slowQueue.peekFirst();
        if (item == null || c == null || c.ch == null || !c.ch.isActive()) {
            trickling = false;
            return;
        }
        trickling = true;
        byte[] bytes = (byte[]) item[0];
        int n = Math.min(1 + rnd.nextInt(o.slowChunk), bytes.length - slowPos);
        c.ch.writeAndFlush(Unpooled.wrappedBuffer(bytes, slowPos, n), c.ch.voidPromise());
        slowPos += n;
        if (slowPos >= bytes.length) {
            slowQueue.pollFirst();
            slowPos = 0;
            stats.inc(Stats.C.SLOW_FRAMES);
            Runnable r = (Runnable) item[1];
            if (r != null) {
                r.run();
            }
        }
        if (slowQueue.isEmpty()) {
            trickling = false;
            pump();
        } else {
            loop.schedule(this::trickle, o.slowDelayMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Chaos before a first transmission; returns true when the upload was put back and pumping must stop. */
    private boolean misbehave(Conn c, Upload u) {
        if (chaos == ChaosKind.SLOW || rnd.nextDouble() >= o.chaosRate) {
            return false;
        }
        switch (chaos) {
            case BAD_CRC -> {
                byte[] bad = badTwin(u);
                int at = bad.length - 6; // CRC hex before CR LF
                int crc = Integer.parseInt(new String(bad, at, 4, StandardCharsets.US_ASCII), 16);
                byte[] hex = Hj212Crc.toHex(crc ^ (1 + rnd.nextInt(0xFFFF))).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(hex, 0, bad, at, 4);
                stats.inc(Stats.C.BAD_CRC_FRAMES);
                write(bad, true, null);
            }
            case BAD_LENGTH -> {
                byte[] bad = badTwin(u);
                int n = bad.length - 12;
                int delta = (1 + rnd.nextInt(9)) * (rnd.nextBoolean() ? 1 : -1);
                int wrong = Math.max(0, Math.min(9999, n + delta));
                if (wrong == n) {
                    wrong = n + 1;
                }
                byte[] digits = String.format("%04d", wrong).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(digits, 0, bad, 2, 4);
                stats.inc(Stats.C.BAD_LENGTH_FRAMES);
                write(bad, true, null);
            }
            case GARBAGE -> {
                byte[] g = new byte[1 + rnd.nextInt(64)];
                for (int i = 0; i < g.length; i++) {
                    int b;
                    do {
                        b = rnd.nextInt(256);
                    } while (b == '#');
                    g[i] = (byte) b;
                }
                stats.inc(Stats.C.GARBAGE_CHUNKS);
                stats.add(Stats.C.GARBAGE_BYTES, g.length);
                write(g, false, null);
            }
            case DISCONNECT -> {
                byte[] half = java.util.Arrays.copyOf(u.frame, Math.max(1, u.frame.length / 2));
                stats.inc(Stats.C.ABRUPT_DISCONNECTS);
                stats.add(Stats.C.BYTES_WRITTEN, half.length);
                priority.addFirst(u);
                c.chaosClose = true;
                Channel ch = c.ch;
                ch.writeAndFlush(Unpooled.wrappedBuffer(half)).addListener(f -> {
                    ch.config().setOption(ChannelOption.SO_LINGER, 0); // RST, not FIN
                    ch.close();
                });
                return true;
            }
            default -> { }
        }
        return false;
    }

    /** A copy of the upload as a frame with its own fresh QN (so an ack for it can be told apart). */
    private byte[] badTwin(Upload u) {
        if (u.msg == null || u.msg.qn() == null) {
            return u.frame.clone();
        }
        Hj212Message m = u.msg;
        String qn = qns.next();
        badQns.put(qn, Boolean.TRUE);
        return Hj212Encoder.encode(new Hj212Message(qn, m.st(), m.cn(), m.pw(), m.mn(), m.flag(), m.pnum(), m.pno(),
            m.cp()));
    }

    // ---------------------------------------------------------------- receiving

    private void onResult(Hj212Result r) {
        if (r instanceof Hj212Packet p) {
            onPacket(p);
            return;
        }
        Hj212Rejection rej = (Hj212Rejection) r;
        stats.inc(Stats.C.SERVER_FRAMES_REJECTED);
        Hj212Packet u = rej.unverified();
        if (u != null && u.cn() < 9000 && u.ackRequested() && u.qn() != null) {
            reply(Hj212Replies.requestAnswer(u, QnRtn.BAD_CRC)); // hj212.md §1
        }
    }

    private void onPacket(Hj212Packet p) {
        switch (p.cn()) {
            case 9014 -> onAck(p.qn() != null ? p.qn() : p.cp().get("QN"));
            case 9013 -> stats.inc(Stats.C.NOTIFY_ACKS);
            case 9011, 9012 -> { }
            default -> {
                if (p.cn() < 9000) {
                    onRequest(p);
                }
            }
        }
    }

    private void reply(Hj212Message m) {
        stats.inc(Stats.C.REPLIES_SENT);
        write(Hj212Encoder.encode(m), true, null);
    }

    private void onRequest(Hj212Packet p) {
        stats.hostCommand(p.cn());
        if (p.mn() != null && !p.mnEquals(mn)) {
            reply(Hj212Replies.requestAnswer(p, QnRtn.BAD_MN));
            return;
        }
        if (p.pw() != null && !p.pw().equals(pw)) {
            reply(Hj212Replies.requestAnswer(p, QnRtn.BAD_PW));
            return;
        }
        switch (p.cn()) {
            case 1000 -> {
                double over = p.cp().getDouble("OverTime");
                double re = p.cp().getDouble("ReCount");
                reply(Hj212Replies.requestAnswer(p, QnRtn.READY));
                if (!Double.isNaN(over) && over >= 1) {
                    ackTimeoutMs = (long) (over * 1000);
                }
                if (!Double.isNaN(re) && re >= 0) {
                    retries = (int) re;
                }
                reply(Hj212Replies.executionResult(p, ExeRtn.SUCCESS));
            }
            case 1011 -> {
                reply(Hj212Replies.requestAnswer(p, QnRtn.READY));
                List<CpItem> cp = new ArrayList<>(2);
                String pol = p.cp().get("PolId");
                if (pol != null) {
                    cp.add(CpItem.of("PolId", pol));
                }
                cp.add(CpItem.of("SystemTime", Times.time(now())));
                answer(p, 1011, cp);
                reply(Hj212Replies.executionResult(p, ExeRtn.SUCCESS));
            }
            case 1012 -> {
                reply(Hj212Replies.requestAnswer(p, QnRtn.READY));
                LocalDateTime t = Times.parse(p.cp().get("SystemTime"));
                if (t == null) {
                    reply(Hj212Replies.executionResult(p, ExeRtn.BAD_CONDITIONS));
                } else {
                    LocalDateTime real = LocalDateTime.ofInstant(Instant.now(), o.zone);
                    clockOffsetMillis = Duration.between(real, t).toMillis();
                    reply(Hj212Replies.executionResult(p, ExeRtn.SUCCESS));
                }
            }
            case 1061, 1063 -> {
                reply(Hj212Replies.requestAnswer(p, QnRtn.READY));
                answer(p, p.cn(), List.of(p.cn() == 1061 ? CpItem.of("RtdInterval", Integer.toString(rtdPeriod))
                    : CpItem.of("MinInterval", Integer.toString(minIntervalMinutes))));
                reply(Hj212Replies.executionResult(p, ExeRtn.SUCCESS));
            }
            case 1062, 1064, 1072 -> {
                reply(Hj212Replies.requestAnswer(p, QnRtn.READY));
                boolean ok = true;
                try {
                    if (p.cn() == 1062) {
                        rtdPeriod = Integer.parseInt(p.cp().get("RtdInterval"));
                    } else if (p.cn() == 1064) {
                        minIntervalMinutes = Integer.parseInt(p.cp().get("MinInterval"));
                    } else {
                        String np = p.cp().get("NewPW");
                        ok = np != null && !np.isEmpty();
                        if (ok) {
                            pw = np;
                        }
                    }
                } catch (RuntimeException e) {
                    ok = false;
                }
                reply(Hj212Replies.executionResult(p, ok ? ExeRtn.SUCCESS : ExeRtn.BAD_CONDITIONS));
            }
            case 2011 -> {
                realtimeOn = true;
                reply(Hj212Replies.requestAnswer(p, QnRtn.READY));
            }
            case 2012 -> {
                realtimeOn = false;
                reply(Hj212Replies.notifyAck(p));
            }
            case 2021 -> reply(Hj212Replies.requestAnswer(p, QnRtn.READY));
            case 2022 -> reply(Hj212Replies.notifyAck(p));
            case 2031, 2041, 2051, 2061 -> history(p);
            default -> {
                if (p.cn() >= 3011 && p.cn() <= 3024) {
                    reply(Hj212Replies.requestAnswer(p, QnRtn.READY));
                    reply(Hj212Replies.executionResult(p, ExeRtn.SUCCESS));
                } else {
                    reply(Hj212Replies.requestAnswer(p, QnRtn.BAD_CN));
                }
            }
        }
    }

    /** An upload answering a request: the request's QN, this device's ST/PW/MN, Flag without A. */
    private void answer(Hj212Packet p, int cn, List<CpItem> items) {
        List<List<CpItem>> cp = new ArrayList<>();
        for (CpItem it : items) {
            cp.add(List.of(it));
        }
        reply(new Hj212Message(p.qn(), o.st, cn, pw, mn, factory.flag(false, false), -1, -1, cp));
    }

    /**
     * History request (hj212.md §5.1/§5.4): 9011, then one upload per period in [BeginTime, EndTime] with new QNs
     * (Flag A as the request asked; with A each waits for its 9014 before the next goes, window permitting),
     * then 9012 once all are settled. At most 1000 records.
     */
    private void history(Hj212Packet p) {
        LocalDateTime begin = Times.parse(p.cp().get("BeginTime"));
        LocalDateTime end = Times.parse(p.cp().get("EndTime"));
        reply(Hj212Replies.requestAnswer(p, QnRtn.READY));
        if (begin == null || end == null || end.isBefore(begin)) {
            reply(Hj212Replies.executionResult(p, ExeRtn.BAD_CONDITIONS));
            return;
        }
        if (p.cn() == 2041 || model == null) {
            reply(Hj212Replies.executionResult(p, ExeRtn.NO_DATA));
            return;
        }
        int period = period(p.cn());
        LocalDateTime t = Times.align(begin, period);
        if (t.isBefore(begin)) {
            t = t.plusSeconds(period);
        }
        List<LocalDateTime> times = new ArrayList<>();
        for (; !t.isAfter(end) && times.size() < 1000; t = t.plusSeconds(period)) {
            times.add(t);
        }
        if (times.isEmpty()) {
            reply(Hj212Replies.executionResult(p, ExeRtn.NO_DATA));
            return;
        }
        boolean ack = p.ackRequested();
        int[] remaining = {0};
        historyPending++;
        Runnable done = () -> {
            if (--remaining[0] == 0) {
                historyPending--;
                reply(Hj212Replies.executionResult(p, ExeRtn.SUCCESS));
                maybeFinish();
            }
        };
        ArrayDeque<Upload> batch = new ArrayDeque<>();
        for (LocalDateTime dt : times) {
            remaining[0] += enqueue(p.cn(), dt, model.aggregate(p.cn(), dt, period), ack, batch, done);
            stats.inc(Stats.C.HISTORY_RECORDS);
        }
        for (Upload u : batch) {
            u.history = true;
            priority.addLast(u);
        }
        pump();
    }

    // ---------------------------------------------------------------- connection handler

    /** Handler of one connection attempt; events from a connection that is no longer current are ignored. */
    private final class Conn extends ChannelInboundHandlerAdapter {
        Channel ch;
        boolean chaosClose;
        final Hj212Decoder decoder = new Hj212Decoder(Device.this::onResult);

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ch = ctx.channel();
            onConnected(this);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (this != conn) {
                    return;
                }
                if (buf.hasArray()) {
                    decoder.feed(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
                } else {
                    // through the loop's scratch array (the decoder copies what it keeps): no array per read
                    byte[] scratch = SCRATCH.get();
                    while (buf.isReadable()) {
                        int n = Math.min(buf.readableBytes(), scratch.length);
                        buf.readBytes(scratch, 0, n);
                        decoder.feed(scratch, 0, n);
                    }
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onDisconnected(this);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && this == conn) {
                pump();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // e.g. connection reset by the server; channelInactive reconnects
        }
    }

    Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mn", mn);
        m.put("chaos", chaos == null ? null : chaos.label());
        m.put("sent", sent);
        m.put("acked", acked);
        m.put("resent", resent);
        m.put("failed", failed);
        m.put("ackLatencyMeanMs", acked == 0 ? 0.0 : Math.round(latencySumNanos / (double) acked / 1000) / 1000.0);
        m.put("ackLatencyMaxMs", Math.round(latencyMaxNanos / 1000.0) / 1000.0);
        if (gaveUp) {
            m.put("gaveUp", true);
        }
        return m;
    }
}
