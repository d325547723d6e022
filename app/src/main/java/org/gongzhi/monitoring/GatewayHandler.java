package org.gongzhi.monitoring;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.gongzhi.hj212.Hj212Commands;
import org.gongzhi.hj212.Hj212Decoder;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.hj212.Hj212Packet;
import org.gongzhi.hj212.Hj212Reassembler;
import org.gongzhi.hj212.Hj212Rejection;
import org.gongzhi.hj212.Hj212Replies;
import org.gongzhi.hj212.Hj212Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logger connection. Everything here runs on the connection's event loop: decode, authenticate (MN and PW
 * against the in-memory registry), hand packets to the {@link BatchWriter}, and write the 9014 data answer only
 * when the writer's future says the batch holding the packet has committed. Nothing blocks, nothing is dropped:
 * when the writer's queue is full this connection stops reading (autoRead off) until the backlog is queued.
 */
final class GatewayHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[8192];
        }
    };

    private final Gateway.GatewaySettings settings;
    private final DataLoggerRegistry registry;
    private final BatchWriter writer;
    private final HostCommands commands;
    private final GatewayMetrics metrics;
    private final Hj212Reassembler reassembler = new Hj212Reassembler();
    private final ArrayDeque<WriteJob> backlog = new ArrayDeque<>();
    private Hj212Decoder decoder;
    private ChannelHandlerContext ctx;
    private String remote;
    /** The MN authenticated last on this connection, for host commands and logs. */
    private String mn;
    /** The device whose PW this connection last verified, and that PW's bytes (see {@link #authenticated}). */
    private DataLogger verifiedDevice;
    private byte[] verifiedPw;
    private boolean retryScheduled;

    GatewayHandler(Gateway.GatewaySettings settings, DataLoggerRegistry registry, BatchWriter writer,
                   HostCommands commands, GatewayMetrics metrics) {
        this.settings = settings;
        this.registry = registry;
        this.writer = writer;
        this.commands = commands;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        this.remote = address(ctx.channel().remoteAddress());
        this.decoder = new Hj212Decoder(settings.decoderConfig(), this::onResult);
        metrics.connections.incrementAndGet();
        log.debug("connection from {}", remote);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        metrics.connections.decrementAndGet();
        if (decoder != null) {
            decoder.finish(); // a frame cut off by the disconnect is reported as TRUNCATED
        }
        expire(Long.MAX_VALUE);
        flushBacklog();
        if (mn != null) {
            commands.disconnected(mn, ctx.channel());
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (buf.hasArray()) {
                decoder.feed(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
            } else {
                // epoll reads into direct memory: copy through this event loop's scratch array (the decoder keeps
                // its own copy of what it buffers), not a new array per read
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
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            log.info("closing idle connection from {} (MN {})", remote, mn);
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("connection {} (MN {}) failed: {}", remote, mn, cause.toString());
        ctx.close();
    }

    // ---- decoding and dispatch ---------------------------------------------------------------------------------

    private void onResult(Hj212Result result) {
        if (result instanceof Hj212Rejection r) {
            Hj212Packet u = r.unverified();
            reject(r.error().name(), u == null ? null : u.mn(), u == null ? null : u.cn(), r.detail(), r.sample());
        } else if (result instanceof Hj212Packet p) {
            onPacket(p);
        }
    }

    private void onPacket(Hj212Packet p) {
        metrics.packets.increment();
        Instant now = Instant.now();
        expire(System.currentTimeMillis());
        DataLogger d = registry.find(p.mn());
        if (d == null) {
            refuse(p, RejectedFrames.AUTH_UNKNOWN_MN, "MN not registered", Hj212Replies.QnRtn.BAD_MN);
            return;
        }
        if (!authenticated(d, p.pw())) {
            refuse(p, RejectedFrames.AUTH_BAD_PASSWORD, "PW does not match", Hj212Replies.QnRtn.BAD_PW);
            return;
        }
        if (!d.enabled()) {
            refuse(p, RejectedFrames.AUTH_DISABLED, "data logger disabled", Hj212Replies.QnRtn.REFUSED);
            return;
        }
        registry.touch(d.mn(), now, remote);
        boolean first = mn == null || !mn.equals(d.mn());
        mn = d.mn();
        commands.connected(mn, ctx.channel(), p);
        if (first && settings.calibrateOnConnect()) {
            calibrate();
        }
        switch (p.cn()) {
            case 9013, 9014 -> { } // answers to our commands / data we sent: nothing to do
            case 9015, 9021 -> log.debug("heartbeat CN={} from {} ({})", p.cn(), mn, remote); // vendor/2025 heartbeat
            case 1013 -> {
                write(Hj212Replies.notifyAck(p)); // 9013, then the time calibration the logger asked for
                calibrate();
            }
            default -> {
                if (p.isPart() && p.pnum() > 1) {
                    reassembler.offer(p, System.currentTimeMillis())
                            .ifPresent(a -> store(a.packet(), a.parts(), d, now));
                } else {
                    store(p, List.of(p), d, now);
                }
            }
        }
    }

    /**
     * PW check. A logger sends the same PW in every packet, so after one salted-hash match this connection keeps the
     * PW it verified and compares later packets' PW with it in constant time instead of hashing again (a SHA-256 and
     * a MessageDigest lookup per packet). A different PW, or a new registry entry for the MN (re-registered, changed
     * password, reload), goes through the hash again.
     */
    private boolean authenticated(DataLogger d, String pw) {
        if (pw == null) {
            return false;
        }
        byte[] given = pw.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (d == verifiedDevice && java.security.MessageDigest.isEqual(given, verifiedPw)) {
            return true;
        }
        if (!d.passwordMatches(pw)) {
            return false;
        }
        verifiedDevice = d;
        verifiedPw = given;
        return true;
    }

    /** Archives the packet (and its rows) and acknowledges each part that asked for it, after commit. */
    private void store(Hj212Packet packet, List<Hj212Packet> parts, DataLogger d, Instant now) {
        CompletableFuture<WriteJob.Stored> done = new CompletableFuture<>();
        enqueue(new WriteJob.Store(packet, parts, d.outfallId(), remote, now, done));
        done.whenComplete((stored, failure) -> ctx.executor().execute(() -> {
            if (failure != null || !ctx.channel().isActive()) {
                return; // not durable (or nobody to tell): no ack, the logger resends
            }
            for (Hj212Packet part : parts) {
                if (Hj212Replies.needsDataAck(part)) {
                    write(Hj212Replies.dataAck(part));
                    metrics.acks.increment();
                }
            }
        }));
    }

    private void refuse(Hj212Packet p, String reason, String detail, Hj212Replies.QnRtn answer) {
        reject(reason, p.mn(), p.cn(), detail, MeasurementStore.frame(p));
        // Not stored, so no 9014 (an ack is a promise). A logger that asked for an answer gets 9011 with the
        // reason (QnRtn 4 wrong MN, 3 wrong PW, 2 refused), as a host request would (hj212.md §5).
        if (p.ackRequested() && p.cn() != 9011 && p.cn() != 9012 && p.cn() != 9014 && p.cn() != 9013) {
            write(Hj212Replies.requestAnswer(p, answer));
        }
    }

    private void reject(String reason, String mn, Integer cn, String detail, byte[] raw) {
        metrics.rejected(reason);
        log.debug("rejected {} from {} (MN {}): {}", reason, remote, mn, detail);
        enqueue(new WriteJob.Reject(Instant.now(), remote, mn, cn, reason, detail, raw));
    }

    private void expire(long nowMillis) {
        if (reassembler.pending() == 0) {
            return;
        }
        for (Hj212Reassembler.Dropped dropped : reassembler.expire(nowMillis)) {
            for (Hj212Packet part : dropped.partsReceived()) {
                reject(RejectedFrames.SPLIT_INCOMPLETE, part.mn(), part.cn(),
                        "part " + part.pno() + "/" + part.pnum() + ": " + dropped.reason(), MeasurementStore.frame(part));
            }
        }
    }

    private void calibrate() {
        commands.send(mn, null, "gateway", (Hj212Commands.Target t, String qn) ->
                Hj212Commands.setFieldTime(t, qn, null, LocalDateTime.now(MeasurementStore.CHINA)));
    }

    private void write(Hj212Message m) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(Hj212Encoder.encode(m)));
    }

    // ---- backpressure ------------------------------------------------------------------------------------------

    private void enqueue(WriteJob job) {
        if (backlog.isEmpty() && writer.offer(job)) {
            return;
        }
        backlog.add(job);
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            log.debug("writer queue full: pausing reads from {}", remote);
        }
        scheduleRetry();
    }

    private void scheduleRetry() {
        if (!retryScheduled) {
            retryScheduled = true;
            ctx.executor().schedule(() -> {
                retryScheduled = false;
                flushBacklog();
            }, 5, TimeUnit.MILLISECONDS);
        }
    }

    private void flushBacklog() {
        while (!backlog.isEmpty() && writer.offer(backlog.peek())) {
            backlog.poll();
        }
        if (backlog.isEmpty()) {
            if (ctx.channel().isActive() && !ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
        } else if (ctx.channel().isActive() || writerRunning()) {
            scheduleRetry();
        }
    }

    private boolean writerRunning() {
        return writer.isRunning();
    }

    private static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            return i.getAddress() == null ? i.getHostString() + ":" + i.getPort()
                    : i.getAddress().getHostAddress() + ":" + i.getPort();
        }
        return String.valueOf(a);
    }
}
