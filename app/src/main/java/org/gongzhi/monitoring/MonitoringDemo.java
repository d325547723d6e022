package org.gongzhi.monitoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.CurrentUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Demo monitoring data, sent the way a real data logger sends it: six loggers on 苏州 WWTP and industrial outfalls
 * connect to this server's HJ 212 gateway over TCP and upload 30 days of hourly data (2061), the last day of 10-minute
 * data (2051) and one real-time packet (2011), each asking for a 9014. Values follow a daily pattern with noise, a
 * few hours of maintenance (M) and fault (D) flags and two COD episodes above 50 mg/L (GB 18918 一级A: a whole day
 * on the first logger, three hours on the second), so the charts, the completeness figures and the compliance engine
 * (ComplianceDemo assigns the standards) have something to show. One unknown MN and one frame
 * with a broken CRC show up in the unregistered-devices view and the rejected-frame log.
 *
 * <p>Runs after the ledger demo ({@code DemoData}, order 10), in the background, once: a restart finds the loggers
 * registered and sends nothing.
 */
@Component
@Order(30)
@ConditionalOnProperty(name = "gongzhi.demo.enabled", havingValue = "true")
class MonitoringDemo implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(MonitoringDemo.class);
    static final String MN_PREFIX = "SZDEMO";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final List<String> FACTORS = List.of("w01018", "w21003", "w21011", "w21001", "w01001", "w00000");

    private final Ledger ledger;
    private final Monitoring monitoring;
    private final DataLoggerRegistry registry;
    private final Gateway gateway;

    MonitoringDemo(Ledger ledger, Monitoring monitoring, DataLoggerRegistry registry, Gateway gateway) {
        this.ledger = ledger;
        this.monitoring = monitoring;
        this.registry = registry;
        this.gateway = gateway;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (registry.exists(MN_PREFIX + "001")) {
            return;
        }
        CurrentUser system = CurrentUser.system();
        List<Outfall> outfalls = new ArrayList<>();
        for (String type : List.of("URBAN_WWTP", "PARK_WWTP", "IND_ENT")) {
            outfalls.addAll(ledger.search(new LedgerQuery("320500", type, null, null, null, null, null, null, null,
                    false, 0, 2), system).items());
        }
        if (outfalls.isEmpty() || gateway.port() <= 0) {
            log.info("Demo monitoring data skipped: no demo outfalls or no gateway");
            return;
        }
        List<String> mns = new ArrayList<>();
        for (int i = 0; i < outfalls.size(); i++) {
            String mn = MN_PREFIX + "%03d".formatted(i + 1);
            monitoring.register(new Monitoring.DeviceInput(mn, password(mn), outfalls.get(i).id(), FACTORS, 600, false),
                    system);
            mns.add(mn);
        }
        Thread t = new Thread(() -> send(mns), "demo-monitoring");
        t.setDaemon(true);
        t.start();
    }

    static String password(String mn) {
        return "demo-" + mn.substring(mn.length() - 3);
    }

    private void send(List<String> mns) {
        long start = System.nanoTime();
        LocalDateTime now = LocalDateTime.now(MeasurementStore.CHINA).truncatedTo(ChronoUnit.MINUTES);
        int total = 0;
        try {
            for (int d = 0; d < mns.size(); d++) {
                total += upload(mns.get(d), packets(mns.get(d), d, now));
            }
            try (Socket s = connect()) {
                byte[] unknown = Hj212Encoder.frame(segment("SZUNKNOWN0001", "unknown", 2011, now, 0, new Random(1), false));
                byte[] bad = Hj212Encoder.frame(segment(mns.get(0), password(mns.get(0)), 2011, now, 0, new Random(2), false));
                bad[bad.length - 3] = (byte) (bad[bad.length - 3] == '0' ? '1' : '0'); // one CRC digit off
                s.getOutputStream().write(unknown);
                s.getOutputStream().write(bad);
                s.getOutputStream().flush();
                Thread.sleep(500); // let the gateway read both before the connection closes
            }
            log.info("Demo monitoring data: {} packets from {} data loggers acknowledged in {} ms", total, mns.size(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            log.warn("Demo monitoring data incomplete after {} packets: {}", total, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** 30 days of hourly data, the last day of 10-minute data, one real-time packet. */
    private static List<String> packets(String mn, int device, LocalDateTime now) {
        Random random = new Random(mn.hashCode());
        String pw = password(mn);
        List<String> out = new ArrayList<>();
        LocalDateTime firstHour = now.truncatedTo(ChronoUnit.HOURS).minusDays(30);
        for (LocalDateTime t = firstHour; t.isBefore(now.truncatedTo(ChronoUnit.HOURS)); t = t.plusHours(1)) {
            out.add(segment(mn, pw, 2061, t, device, random, true));
        }
        for (LocalDateTime t = now.minusDays(1).truncatedTo(ChronoUnit.HOURS); t.isBefore(now); t = t.plusMinutes(10)) {
            out.add(segment(mn, pw, 2051, t, device, random, true));
        }
        out.add(segment(mn, pw, 2011, now, device, random, true));
        return out;
    }

    /** One upload segment with plausible values for a WWTP effluent (mg/L; pH; flow m³ per period). */
    static String segment(String mn, String pw, int cn, LocalDateTime t, int device, Random r, boolean ack) {
        double hour = t.getHour() + t.getMinute() / 60.0;
        double daily = Math.sin(2 * Math.PI * (hour - 8) / 24); // peak in the afternoon
        long day = ChronoUnit.DAYS.between(t.toLocalDate(), LocalDateTime.now(MeasurementStore.CHINA).toLocalDate());
        boolean episode = (device == 0 && day == 12) // a whole day: the daily mean breaks 一级A's 50 mg/L
                || (device == 1 && day == 4 && t.getHour() >= 13 && t.getHour() <= 15);
        String flag = device == 2 && day == 9 && t.getHour() >= 9 && t.getHour() <= 11 ? "M"
                : device == 3 && day == 20 && t.getHour() >= 1 && t.getHour() <= 4 ? "D" : "N";
        double cod = episode ? 58 + 10 * r.nextDouble() : 24 + 6 * daily + r.nextGaussian() * 2;
        double nh3 = Math.max(0.05, 1.2 + 0.5 * daily + r.nextGaussian() * 0.2);
        double tp = Math.max(0.01, 0.22 + 0.05 * daily + r.nextGaussian() * 0.03);
        double tn = Math.max(1, 9 + 1.5 * daily + r.nextGaussian() * 0.6);
        double ph = 7.2 + 0.15 * daily + r.nextGaussian() * 0.05;
        double flow = (cn == 2061 ? 1000 : cn == 2051 ? 170 : 0) * (1 + 0.3 * daily) * (1 + device * 0.4);
        String kind = cn == 2011 ? "Rtd" : "Avg";
        StringBuilder cp = new StringBuilder("DataTime=").append(TIME.format(t));
        double[] values = {cod, nh3, tp, tn, ph};
        for (int i = 0; i < values.length; i++) {
            String f = FACTORS.get(i);
            cp.append(';');
            if (cn != 2011) {
                cp.append(f).append("-Min=").append(fmt(values[i] * 0.9)).append(',');
            }
            cp.append(f).append('-').append(kind).append('=').append(fmt(values[i]));
            if (cn != 2011) {
                cp.append(',').append(f).append("-Max=").append(fmt(values[i] * 1.1));
            }
            cp.append(',').append(f).append("-Flag=").append(flag);
        }
        if (cn != 2011) {
            cp.append(";w00000-Cou=").append(fmt(flow)).append(",w00000-Flag=").append(flag);
        }
        String qn = TIME.format(t) + "000";
        return "QN=" + qn + ";ST=32;CN=" + cn + ";PW=" + pw + ";MN=" + mn + ";Flag=" + (ack ? 5 : 4) + ";CP=&&" + cp + "&&";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5000);
        s.setSoTimeout(60_000);
        return s;
    }

    /** Writes the packets and waits for a 9014 per packet (the gateway answers after commit). */
    private int upload(String mn, List<String> segments) throws IOException, InterruptedException {
        try (Socket s = connect()) {
            AtomicInteger acks = new AtomicInteger();
            Thread reader = new Thread(() -> countAcks(s, acks, segments.size()), "demo-acks-" + mn);
            reader.setDaemon(true);
            reader.start();
            OutputStream out = s.getOutputStream();
            for (String seg : segments) {
                out.write(Hj212Encoder.frame(seg));
            }
            out.flush();
            reader.join(120_000);
            if (acks.get() < segments.size()) {
                log.warn("Demo logger {}: {} of {} packets acknowledged", mn, acks.get(), segments.size());
            }
            return acks.get();
        }
    }

    private static void countAcks(Socket s, AtomicInteger acks, int expected) {
        byte[] needle = "CN=9014;".getBytes(StandardCharsets.US_ASCII);
        byte[] buf = new byte[8192];
        int matched = 0;
        try {
            InputStream in = s.getInputStream();
            for (int n; acks.get() < expected && (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    matched = buf[i] == needle[matched] ? matched + 1 : buf[i] == needle[0] ? 1 : 0;
                    if (matched == needle.length) {
                        acks.incrementAndGet();
                        matched = 0;
                    }
                }
            }
        } catch (IOException e) {
            // an unknown MN gets no 9014 and the read times out or the connection closes: nothing to count
        }
    }
}
