package org.gongzhi.simulator;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.gongzhi.hj212.Hj212Decoder;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Error;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.hj212.Hj212Packet;
import org.gongzhi.hj212.Hj212Reassembler;
import org.gongzhi.hj212.Hj212Rejection;
import org.gongzhi.hj212.Hj212Replies;

/**
 * A minimal HJ 212 host for tests and for measuring the simulator: decodes with the hj212 library, answers uploads
 * that ask for it with 9014 and 1013 with 9013, reassembles split uploads, counts everything, and can drop acks
 * by policy or push host commands to a device. Not the platform's gateway (nothing is stored).
 */
public final class AckServer implements AutoCloseable {

    /** Whether to withhold the 9014 for this packet; {@code attempt} is 1 for the first copy of a QN seen. */
    @FunctionalInterface
    public interface AckPolicy {
        boolean drop(Hj212Packet packet, int attempt);

        static AckPolicy never() {
            return (p, a) -> false;
        }
    }

    private final EventLoopGroup group;
    private final Channel server;
    private final boolean record;
    private volatile AckPolicy policy;
    private volatile long ackDelayMs;

    private final LongAdder packets = new LongAdder();
    private final LongAdder acksSent = new LongAdder();
    private final LongAdder acksDropped = new LongAdder();
    private final LongAdder connections = new LongAdder();
    private final LongAdder assembledCount = new LongAdder();
    private final Map<Hj212Error, LongAdder> rejections = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> byCn = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> qnSeen = new ConcurrentHashMap<>();
    private final Queue<Hj212Packet> received = new ConcurrentLinkedQueue<>();
    private final Queue<Hj212Rejection> rejected = new ConcurrentLinkedQueue<>();
    private final Queue<Hj212Packet> assembled = new ConcurrentLinkedQueue<>();
    private final Map<String, Channel> byMn = new ConcurrentHashMap<>();

    private AckServer(int port, int threads, AckPolicy policy, boolean record) {
        this.policy = policy;
        this.record = record;
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new Handler());
                }
            });
        this.server = b.bind(new InetSocketAddress("127.0.0.1", port)).syncUninterruptibly().channel();
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param port   0 for any free port
     * @param record keep every packet, rejection and reassembled upload, and QN counts (tests); off for load runs
     */
    public static AckServer start(int port, int threads, AckPolicy policy, boolean record) {
        return new AckServer(port, threads, policy, record);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public void policy(AckPolicy p) {
        this.policy = p;
    }

    public void ackDelayMs(long ms) {
        this.ackDelayMs = ms;
    }

    public long packets() {
        return packets.sum();
    }

    public long acksSent() {
        return acksSent.sum();
    }

    public long acksDropped() {
        return acksDropped.sum();
    }

    public long connections() {
        return connections.sum();
    }

    public long rejections(Hj212Error e) {
        LongAdder a = rejections.get(e);
        return a == null ? 0 : a.sum();
    }

    public long packets(int cn) {
        LongAdder a = byCn.get(cn);
        return a == null ? 0 : a.sum();
    }

    /** How often the server saw (MN, QN); only when recording. */
    public int seen(String mn, String qn) {
        AtomicInteger n = qnSeen.get(mn + '/' + qn);
        return n == null ? 0 : n.get();
    }

    public Map<String, Integer> qnCounts() {
        Map<String, Integer> m = new TreeMap<>();
        qnSeen.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public List<Hj212Packet> received() {
        return List.copyOf(received);
    }

    /**
     * The packets received once there are at least {@code count}, or whatever arrived within the timeout. A sender
     * that does not wait for acknowledgements may finish before this server has read the last bytes it wrote.
     */
    public List<Hj212Packet> received(int count, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return received();
    }

    public List<Hj212Rejection> rejected() {
        return List.copyOf(rejected);
    }

    public List<Hj212Packet> assembled() {
        return List.copyOf(assembled);
    }

    public long assembledCount() {
        return assembledCount.sum();
    }

    /** Sends a host command to the device with this MN (known once it has sent a packet). */
    public boolean send(String mn, Hj212Message m) {
        Channel ch = byMn.get(mn);
        if (ch == null || !ch.isActive()) {
            return false;
        }
        ch.writeAndFlush(Unpooled.wrappedBuffer(Hj212Encoder.encode(m)));
        return true;
    }

    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connections", connections());
        m.put("packets", packets());
        m.put("acksSent", acksSent());
        m.put("acksDropped", acksDropped());
        m.put("assembledSplitUploads", assembledCount());
        Map<String, Object> rej = new LinkedHashMap<>();
        for (Hj212Error e : Hj212Error.values()) {
            if (rejections(e) > 0) {
                rej.put(e.name(), rejections(e));
            }
        }
        m.put("rejections", rej);
        Map<String, Object> cns = new LinkedHashMap<>();
        new TreeMap<>(byCn).forEach((k, v) -> cns.put(Integer.toString(k), v.sum()));
        m.put("byCn", cns);
        return m;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private Hj212Decoder decoder;
        private final Hj212Reassembler reassembler = new Hj212Reassembler();
        private final Map<String, Integer> local = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> e) {
                return size() > 8192;
            }
        };

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connections.increment();
            decoder = new Hj212Decoder(r -> {
                if (r instanceof Hj212Packet p) {
                    onPacket(ctx, p);
                } else {
                    Hj212Rejection rej = (Hj212Rejection) r;
                    rejections.computeIfAbsent(rej.error(), k -> new LongAdder()).increment();
                    if (record) {
                        rejected.add(rej);
                    }
                }
            });
        }

        private void onPacket(ChannelHandlerContext ctx, Hj212Packet p) {
            packets.increment();
            byCn.computeIfAbsent(p.cn(), k -> new LongAdder()).increment();
            if (p.mn() != null) {
                byMn.put(p.mn(), ctx.channel());
            }
            int attempt = 1;
            if (p.qn() != null) {
                String key = p.mn() + '/' + p.qn();
                attempt = local.merge(key, 1, Integer::sum);
                if (record) {
                    qnSeen.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                }
            }
            if (record) {
                received.add(p);
            }
            if (p.isPart()) {
                reassembler.offer(p, System.currentTimeMillis()).ifPresent(a -> {
                    assembledCount.increment();
                    if (record) {
                        assembled.add(a.packet());
                    }
                });
            }
            Hj212Message reply = null;
            if (Hj212Replies.needsDataAck(p)) {
                if (policy.drop(p, attempt)) {
                    acksDropped.increment();
                } else {
                    reply = Hj212Replies.dataAck(p);
                    acksSent.increment();
                }
            } else if (p.cn() == 1013) {
                reply = Hj212Replies.notifyAck(p);
            }
            if (reply != null) {
                byte[] bytes = Hj212Encoder.encode(reply);
                long delay = ackDelayMs;
                if (delay > 0) {
                    ctx.executor().schedule(() -> ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes)), delay,
                        TimeUnit.MILLISECONDS);
                } else {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes), ctx.voidPromise());
                }
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                int n = buf.readableBytes();
                if (buf.hasArray()) {
                    decoder.feed(buf.array(), buf.arrayOffset() + buf.readerIndex(), n);
                } else {
                    byte[] tmp = new byte[n];
                    buf.readBytes(tmp);
                    decoder.feed(tmp, 0, n);
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (decoder != null) {
                decoder.finish();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
