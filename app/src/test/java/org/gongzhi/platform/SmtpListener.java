package org.gongzhi.platform;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Just enough SMTP (RFC 5321) to take messages on a local port — greeting, EHLO, MAIL, RCPT, DATA, QUIT — so that a
 * test sends mail over a socket exactly as to a real relay (RequesterMailTest, NoticesMailTest).
 */
public final class SmtpListener implements AutoCloseable {
    public final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> recipients = new LinkedBlockingQueue<>();
    private final ServerSocket server;

    public SmtpListener() {
        try {
            server = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    converse(s);
                } catch (java.io.IOException e) {
                    // closed, or the client hung up: wait for the next one
                }
            }
        }, "test-smtp");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void converse(Socket s) throws java.io.IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = s.getOutputStream();
        reply(out, "220 test ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
            String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (cmd) {
                case "EHLO" -> reply(out, "250-test\r\n250 8BITMIME");
                case "HELO", "MAIL", "RSET", "NOOP" -> reply(out, "250 OK");
                case "RCPT" -> {
                    recipients.add(line.substring(line.indexOf(':') + 1).trim());
                    reply(out, "250 OK");
                }
                case "DATA" -> {
                    reply(out, "354 end with .");
                    StringBuilder data = new StringBuilder();
                    String d;
                    while ((d = in.readLine()) != null && !d.equals(".")) {
                        data.append(d.startsWith("..") ? d.substring(1) : d).append("\r\n");
                    }
                    messages.add(data.toString());
                    reply(out, "250 queued");
                }
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "502 not implemented");
            }
        }
    }

    private static void reply(OutputStream out, String text) throws java.io.IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws java.io.IOException {
        server.close();
    }
}
