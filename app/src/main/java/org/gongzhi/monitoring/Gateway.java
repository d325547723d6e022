package org.gongzhi.monitoring;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.gongzhi.hj212.Hj212Decoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The HJ 212 TCP gateway (Netty): data loggers dial in and keep the connection; each connection gets its own
 * decoder and {@link GatewayHandler}. Started after the {@link BatchWriter} and stopped before it, so that what
 * was read is still written. Settings (all {@code gongzhi.gateway.*}): enabled, port (0 = any free port), bind,
 * max-connections, idle-timeout-seconds, hard-max-length, read-limit-bytes-per-second, calibrate-on-connect,
 * native-transport (default true: Linux epoll when available, else Java NIO; epoll costs fewer system calls and
 * wake-ups per packet, which is most of the gateway's CPU with thousands of small connections).
 */
@Component
class Gateway implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final boolean enabled;
    private final int configuredPort;
    private final String bind;
    final GatewaySettings settings;
    private final DataLoggerRegistry registry;
    private final BatchWriter writer;
    private final HostCommands commands;
    private final GatewayMetrics metrics;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ChannelGroup channels;
    private Channel server;
    private volatile int port = -1;
    private volatile boolean running;
    private final boolean nativeTransport;

    /** Per-connection settings handed to each handler. */
    record GatewaySettings(int maxConnections, int idleSeconds, Hj212Decoder.Config decoderConfig, long readLimit,
                           boolean calibrateOnConnect) {
    }

    Gateway(@Value("${gongzhi.gateway.enabled:true}") boolean enabled,
            @Value("${gongzhi.gateway.port:9212}") int port,
            @Value("${gongzhi.gateway.bind:0.0.0.0}") String bind,
            @Value("${gongzhi.gateway.max-connections:20000}") int maxConnections,
            @Value("${gongzhi.gateway.idle-timeout-seconds:600}") int idleSeconds,
            @Value("${gongzhi.gateway.hard-max-length:4096}") int hardMax,
            @Value("${gongzhi.gateway.read-limit-bytes-per-second:65536}") long readLimit,
            @Value("${gongzhi.gateway.calibrate-on-connect:false}") boolean calibrateOnConnect,
            @Value("${gongzhi.gateway.native-transport:true}") boolean nativeTransport,
            DataLoggerRegistry registry, BatchWriter writer, HostCommands commands, GatewayMetrics metrics) {
        this.enabled = enabled;
        this.nativeTransport = nativeTransport;
        this.configuredPort = port;
        this.bind = bind;
        this.registry = registry;
        this.writer = writer;
        this.commands = commands;
        this.metrics = metrics;
        this.settings = new GatewaySettings(maxConnections, idleSeconds,
                Hj212Decoder.Config.defaults().withHardMaxLength(hardMax).withLenientCrc(registry::lenientCrc),
                readLimit, calibrateOnConnect);
    }

    /** The port listened on (useful with port 0), or -1 when not listening. */
    int port() {
        return port;
    }

    @Override
    public void start() {
        if (!enabled) {
            log.info("HJ 212 gateway disabled (gongzhi.gateway.enabled=false)");
            return;
        }
        registry.reload();
        boolean epoll = nativeTransport && Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        log.info("HJ 212 gateway transport: {}", epoll ? "epoll" : "NIO");
        boss = new MultiThreadIoEventLoopGroup(1, io);
        workers = new MultiThreadIoEventLoopGroup(io);
        channels = new DefaultChannelGroup("hj212", GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (metrics.connections.get() >= settings.maxConnections()) {
                            metrics.rejected("TOO_MANY_CONNECTIONS");
                            log.warn("refused connection from {}: {} connections open", ch.remoteAddress(),
                                    settings.maxConnections());
                            ch.close();
                            return;
                        }
                        channels.add(ch);
                        if (settings.readLimit() > 0) {
                            ch.pipeline().addLast("shaping", new ChannelTrafficShapingHandler(0, settings.readLimit(), 1000));
                        }
                        ch.pipeline().addLast("idle", new IdleStateHandler(settings.idleSeconds(), 0, 0, TimeUnit.SECONDS));
                        ch.pipeline().addLast("hj212", new GatewayHandler(settings, registry, writer, commands, metrics));
                    }
                });
        running = true;
        bind(b);
    }

    /**
     * Binds the listening port. If it is taken (the previous instance during a rolling restart, a second test
     * context), the web application keeps running: the gateway logs an error and retries every 30 s.
     */
    private void bind(ServerBootstrap b) {
        b.bind(bind, configuredPort).addListener(f -> {
            io.netty.channel.ChannelFuture cf = (io.netty.channel.ChannelFuture) f;
            if (cf.isSuccess()) {
                server = cf.channel();
                port = ((InetSocketAddress) server.localAddress()).getPort();
                log.info("HJ 212 gateway listening on {}:{}", bind, port);
                if (!running) {
                    server.close();
                }
            } else if (running) {
                log.error("HJ 212 gateway cannot listen on {}:{} ({}); retrying in 30 s", bind, configuredPort,
                        cf.cause().toString());
                boss.schedule(() -> bind(b), 30, TimeUnit.SECONDS);
            }
        }).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        if (server != null) {
            server.close().syncUninterruptibly(); // no new connections
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        stopGroups();
        port = -1;
        log.info("HJ 212 gateway stopped");
    }

    private void stopGroups() {
        if (boss != null) {
            boss.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return BatchWriter.PHASE + 1024; // starts after the writer, stops before it
    }
}
