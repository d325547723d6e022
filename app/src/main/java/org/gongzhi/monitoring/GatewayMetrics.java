package org.gongzhi.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The gateway's Micrometer meters: gongzhi.gateway.packets, .acks, .duplicates, .rejected{reason},
 * .connections (gauge), .store.failures, .rows (new rows), and the writer's batch timer gongzhi.writer.batch.
 */
@Component
class GatewayMetrics {

    private final MeterRegistry registry;
    final AtomicInteger connections = new AtomicInteger();
    final Counter packets;
    final Counter acks;
    final Counter duplicates;
    final Counter rows;
    final Counter storeFailures;
    final Timer batch;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("gongzhi.gateway.connections", connections);
        packets = registry.counter("gongzhi.gateway.packets");
        acks = registry.counter("gongzhi.gateway.acks");
        duplicates = registry.counter("gongzhi.gateway.duplicates");
        rows = registry.counter("gongzhi.gateway.rows");
        storeFailures = registry.counter("gongzhi.gateway.store.failures");
        batch = Timer.builder("gongzhi.writer.batch").publishPercentiles(0.5, 0.99).register(registry);
    }

    void rejected(String reason) {
        rejected.computeIfAbsent(reason, r -> registry.counter("gongzhi.gateway.rejected", "reason", r)).increment();
    }

    double rejectedCount(String reason) {
        Counter c = rejected.get(reason);
        return c == null ? 0 : c.count();
    }
}
