package org.gongzhi.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** Devices registered at the same moment are all known to the gateway at once, none lost to a race. */
@SpringBootTest
@ActiveProfiles("test")
class DataLoggerRegistryConcurrencyTest {

    @Autowired DataLoggerRegistry registry;

    @Test
    void concurrentRegistrationsAreAllVisibleToTheGatewayImmediately() throws Exception {
        String prefix = "RACE" + Long.toString(System.nanoTime() % 1_000_000_000L, 36).toUpperCase();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String mn = prefix + String.format("%05d", i);
                done.add(pool.submit(() -> registry.register(mn, "123456", 1, List.of("w01018"), 60, false, "test")));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int i = 0; i < 400; i++) {
            assertThat(registry.find(prefix + String.format("%05d", i))).as("device %d", i).isNotNull();
        }
    }
}
