package org.gongzhi.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code java -jar simulator.jar --devices=2000 --interval=0 --duration=60 …}: see {@link Options#USAGE} and
 * docs/simulator.md. Exit status: 0 when the run completed (whatever it measured), 2 for a bad command line,
 * 1 for an error (e.g. unreadable replay file), 3 when registration failed for some device.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (Options.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.print(Options.USAGE);
            return 2;
        }
        if (o.help) {
            out.print(Options.USAGE);
            return 0;
        }
        try {
            if (o.serve) {
                return serve(o, out, err);
            }
            if (o.printRegistrations) {
                out.print(Registrar.csv(Registrar.rows(o)));
                return 0;
            }
            Map<String, Object> registration = null;
            if (o.register != null) {
                registration = Registrar.register(o.register, o.token, Registrar.rows(o));
                err.println("registration: " + Json.write(registration));
                if (o.registerOnly) {
                    out.println(Json.write(registration));
                    return ((Long) registration.get("failed")) > 0 ? 3 : 0;
                }
            }
            Map<String, Object> report = new Simulator(o, err).run();
            if (registration != null) {
                report.put("registration", registration);
            }
            String json = Json.write(report);
            out.println(json);
            if (o.reportFile != null) {
                Files.writeString(o.reportFile, json + "\n", StandardCharsets.UTF_8);
            }
            return 0;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        }
    }

    /** {@code --serve}: a minimal acking host (AckServer) until --duration elapses or the process is stopped. */
    private static int serve(Options o, PrintStream out, PrintStream err) throws InterruptedException {
        SplittableRandom rnd = new SplittableRandom(o.seed);
        double rate = o.dropAckRate;
        AckServer.AckPolicy policy = rate == 0 ? AckServer.AckPolicy.never() : (p, attempt) -> {
            synchronized (rnd) {
                return rnd.nextDouble() < rate;
            }
        };
        try (AckServer s = AckServer.start(o.port, o.threads, policy, false)) {
            err.println("HJ 212 ack server on 127.0.0.1:" + s.port() + (rate > 0 ? ", dropping " + rate + " of acks" : ""));
            long end = o.durationSeconds > 0 ? System.nanoTime() + (long) (o.durationSeconds * 1e9) : Long.MAX_VALUE;
            long every = (long) (Math.max(o.progressSeconds, 1) * 1000);
            long last = 0;
            long t0 = System.nanoTime();
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(every, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                long p = s.packets();
                if (o.progressSeconds > 0) {
                    err.printf("[%6.1fs] packets %d (+%d), acks %d, connections %d%n", (System.nanoTime() - t0) / 1e9, p,
                        p - last, s.acksSent(), s.connections());
                }
                last = p;
            }
            Map<String, Object> m = new LinkedHashMap<>(s.summary());
            out.println(Json.write(m));
        }
        return 0;
    }
}
