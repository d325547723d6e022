package org.gongzhi.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.gongzhi.hj212.Hj212Decoder;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.hj212.Hj212Packet;
import org.springframework.context.ApplicationContext;

/** Sends HJ 212 packets to the real gateway of the test application, as a data logger would. */
final class TestGateway {

    static final DateTimeFormatter T = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private TestGateway() {
    }

    /** The gateway's port: the gateway is internal to monitoring, so ask the bean reflectively (tests only). */
    static int gatewayPort(ApplicationContext context) throws Exception {
        Class<?> type = Class.forName("org.gongzhi.monitoring.Gateway");
        Object gateway = context.getBean(type);
        var m = type.getDeclaredMethod("port");
        m.setAccessible(true);
        return (int) m.invoke(gateway);
    }

    /** An hourly (2061) packet with COD, NH3-N and water temperature. */
    static Hj212Message hour(String mn, String pw, LocalDateTime t, double cod, String codFlag, double nh3, double temp) {
        return Hj212Message.builder().qn(t.format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "000").st("32").cn(2061)
                .pw(pw).mn(mn).flag(5)
                .group("DataTime", t.format(T))
                .group("w01018-Avg", Double.toString(cod), "w01018-Flag", codFlag)
                .group("w21003-Avg", Double.toString(nh3), "w21003-Flag", "N")
                .group("w01010-Avg", Double.toString(temp), "w01010-Flag", "N")
                .build();
    }

    /** Sends each message and waits for its 9014 (so the rows are committed when this returns). */
    static void sendAll(ApplicationContext context, List<Hj212Message> messages) throws Exception {
        BlockingQueue<Hj212Packet> replies = new LinkedBlockingQueue<>();
        try (Socket socket = new Socket("127.0.0.1", gatewayPort(context))) {
            Hj212Decoder decoder = new Hj212Decoder(r -> {
                if (r instanceof Hj212Packet p) {
                    replies.add(p);
                }
            });
            InputStream in = socket.getInputStream();
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[4096];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        decoder.feed(buf, 0, n);
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            reader.setDaemon(true);
            reader.start();
            OutputStream out = socket.getOutputStream();
            for (Hj212Message m : messages) {
                out.write(Hj212Encoder.encode(m));
                out.flush();
                Hj212Packet ack = replies.poll(5, TimeUnit.SECONDS);
                assertThat(ack).as("9014 for %s", m.get("DataTime")).isNotNull();
                assertThat(ack.cn()).isEqualTo(9014);
            }
        }
    }

}
