package org.gongzhi.hj212;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the shared domain data beside the repository ({@code <repo>/../shared/data}). The location comes from the
 * {@code shared.dir} system property set by surefire (module basedir + ../../shared); running from an IDE falls
 * back to the same path relative to the module directory. Missing files FAIL the tests: they are the evidence.
 */
final class SharedData {

    /** One line of a packet file: PACKET, VERDICT, SOURCE, NOTE. */
    record Line(int lineNo, String packetText, byte[] packet, String verdict, String source, String note) {
        @Override
        public String toString() {
            return "line " + lineNo + " " + verdict + " (" + source + ")";
        }
    }

    private SharedData() {
    }

    static Path dataDir() {
        String prop = System.getProperty("shared.dir");
        Path dir = prop != null ? Paths.get(prop, "data") : Paths.get("..", "..", "shared", "data");
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("shared data directory not found: " + dir.toAbsolutePath()
                + " (expected <repo>/../shared/data; set -Dshared.dir)");
        }
        return dir;
    }

    static Path file(String name) {
        Path p = dataDir().resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("shared data file missing: " + p.toAbsolutePath());
        }
        return p;
    }

    static List<Line> packets(String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.startsWith("##")) {
                continue;
            }
            String[] f = l.split("\t", -1);
            out.add(new Line(i + 1, f[0], unescape(f[0]), f.length > 1 ? f[1] : "", f.length > 2 ? f[2] : "",
                f.length > 3 ? f[3] : ""));
        }
        if (out.isEmpty()) {
            throw new AssertionError("no packets in " + name);
        }
        return out;
    }

    /** The files write a CR LF tail as the 4 characters \r\n. */
    static byte[] unescape(String packet) {
        return packet.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] benchPacket() {
        try {
            for (String l : Files.readAllLines(file("hj212-bench-packet.txt"), StandardCharsets.UTF_8)) {
                if (l.startsWith("##")) {
                    return l.getBytes(StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no packet in hj212-bench-packet.txt");
    }
}
