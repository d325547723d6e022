package org.gongzhi.monitoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.gongzhi.hj212.Hj212Decoder;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.hj212.Hj212Packet;

/** A data logger for tests: a real TCP socket to the gateway, frames out, decoded replies in. */
final class Hj212Client implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Hj212Packet> replies = new LinkedBlockingQueue<>();
    private final Thread reader;

    Hj212Client(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        Hj212Decoder decoder = new Hj212Decoder(r -> {
            if (r instanceof Hj212Packet p) {
                replies.add(p);
            }
        });
        InputStream in = socket.getInputStream();
        reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    decoder.feed(buf, 0, n);
                }
            } catch (IOException e) {
                // closed
            }
        }, "test-logger-reader");
        reader.setDaemon(true);
        reader.start();
    }

    void send(Hj212Message m) throws IOException {
        send(Hj212Encoder.encode(m));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next reply, or null after the timeout. */
    Hj212Packet reply(long millis) throws InterruptedException {
        return replies.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
