package org.gongzhi.hj212.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.gongzhi.hj212.CpItem;
import org.gongzhi.hj212.Hj212Crc;
import org.gongzhi.hj212.Hj212Decoder;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.hj212.Hj212Packet;
import org.gongzhi.hj212.Hj212Rejection;
import org.gongzhi.hj212.Hj212Result;
import org.gongzhi.hj212.Hj212Warning;

/**
 * Command-line tool for field engineers: {@code java -jar hj212.jar decode < capture.bin}. See docs/hj212.md.
 *
 * <p>Exit codes: 0 success (decode: every frame accepted), 1 decode found rejected input, 2 usage error.
 */
public final class Hj212Cli {

    static final String USAGE = """
        Usage: java -jar hj212.jar <command> [options]

          decode [--lenient-crc] [--soft-max N] [--hard-max N] [--unescape]
              Reads a byte stream on stdin; prints one JSON object per line for each frame or rejected chunk.
              --lenient-crc  also accept CRC-16/MODBUS sent low byte first (flagged CRC_MODBUS)
              --soft-max N   warn (OVERSIZE) above N bytes of data segment (default 1024)
              --hard-max N   reject (TOO_LONG) declared lengths above N (default 4096, at most 9999)
              --unescape     treat the input as text with escapes: \\r \\n \\t \\\\ \\xNN (as in log files)
          crc [SEGMENT]
              Prints the Annex A CRC (4 hex digits) of SEGMENT, or of stdin without its trailing CR/LF.
          encode [SEGMENT]
              Frames SEGMENT (or stdin without its trailing CR/LF): ##dddd<segment>CRC followed by CR LF.
          encode --cn N [--qn Q] [--st S] [--pw P] [--mn M] [--flag F] [--pnum N --pno N] [--cp 'k=v,k=v;k=v']
              Builds the data segment from options, then frames it.
        Exit codes: 0 ok, 1 decode rejected some input, 2 usage error.
        """;

    private Hj212Cli() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
            StandardCharsets.UTF_8);
        int rc = run(args, System.in, out, System.err);
        out.flush();
        System.exit(rc);
    }

    /** Runs the tool; returns the exit code (testable without System.exit). */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        try {
            return switch (args[0]) {
                case "decode" -> decode(args, in, out);
                case "crc" -> crc(args, in, out);
                case "encode" -> encode(args, in, out);
                case "help", "-h", "--help" -> {
                    out.print(USAGE);
                    yield 0;
                }
                default -> throw new IllegalArgumentException("unknown command: " + args[0]);
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (IOException e) {
            err.println("I/O error: " + e.getMessage());
            return 2;
        }
    }

    // ------------------------------------------------------------------------------------------ decode

    private static int decode(String[] args, InputStream in, PrintStream out) throws IOException {
        Hj212Decoder.Config cfg = Hj212Decoder.Config.defaults();
        boolean unescape = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--lenient-crc" -> cfg = cfg.withLenientCrcForAll();
                case "--soft-max" -> cfg = cfg.withSoftMaxLength(intArg(args, ++i));
                case "--hard-max" -> cfg = cfg.withHardMaxLength(intArg(args, ++i));
                case "--unescape" -> unescape = true;
                default -> throw new IllegalArgumentException("unknown decode option: " + args[i]);
            }
        }
        int[] rejected = {0};
        StringBuilder line = new StringBuilder(1024);
        Hj212Decoder decoder = new Hj212Decoder(cfg, r -> {
            line.setLength(0);
            toJson(r, line);
            out.println(line);
            if (!r.ok()) {
                rejected[0]++;
            }
        });
        if (unescape) {
            byte[] all = unescape(in.readAllBytes());
            decoder.feedLast(all, 0, all.length);
        } else {
            // One chunk of look-ahead, so the last chunk is fed with feedLast (a final frame then has no tail
            // rather than an unseen one). Memory stays at two chunks whatever the capture size.
            byte[] cur = new byte[65536];
            byte[] next = new byte[65536];
            int curLen = in.readNBytes(cur, 0, cur.length);
            while (true) {
                int nextLen = curLen < cur.length ? 0 : in.readNBytes(next, 0, next.length);
                if (nextLen == 0) {
                    decoder.feedLast(cur, 0, curLen);
                    break;
                }
                decoder.feed(cur, 0, curLen);
                byte[] t = cur;
                cur = next;
                next = t;
                curLen = nextLen;
            }
        }
        out.flush();
        return rejected[0] == 0 ? 0 : 1;
    }

    /** One JSON object for a result; the keys are the same for packets and rejections (null when unknown). */
    static void toJson(Hj212Result r, StringBuilder sb) {
        Json j = new Json(sb);
        j.beginObject();
        j.name("offset").value(r.offset());
        j.name("length").value(r.length());
        j.name("ok").value(r.ok());
        Hj212Packet p;
        if (r instanceof Hj212Rejection rej) {
            j.name("error").value(rej.error().name());
            j.name("detail").value(rej.detail());
            j.name("crc").value(rej.crcGiven() < 0 ? null : Hj212Crc.toHex(rej.crcGiven()));
            j.name("crcExpected").value(rej.crcExpected() < 0 ? null : Hj212Crc.toHex(rej.crcExpected()));
            p = rej.unverified();
        } else {
            p = (Hj212Packet) r;
            j.name("error").nullValue();
            j.name("detail").nullValue();
            j.name("crc").value(Hj212Crc.toHex(p.crc()));
            j.name("crcExpected").value(Hj212Crc.toHex(p.crcExpected()));
            j.name("crcKind").value(p.crcKind().name());
            j.name("tail").value(p.tail().name());
        }
        if (p != null) {
            j.name("segmentLength").value(p.segmentLength());
            j.name("version").value(p.version().label());
            j.name("qn").value(p.qn());
            j.name("st").value(p.st());
            j.name("cn").value(p.cn() < 0 ? null : String.format("%04d", p.cn()));
            j.name("pw").value(p.pw());
            j.name("mn").value(p.mn());
            j.name("flag").optional(p.flag());
            j.name("ack").value(p.ackRequested());
            j.name("split").value(p.splitFlag());
            j.name("pnum").optional(p.pnum());
            j.name("pno").optional(p.pno());
            j.name("cp").beginArray();
            for (List<CpItem> g : p.cp().groups()) {
                j.beginArray();
                for (CpItem it : g) {
                    j.beginArray().value(it.key()).value(it.value()).endArray();
                }
                j.endArray();
            }
            j.endArray();
            j.name("warnings").beginArray();
            for (Hj212Warning w : p.warnings()) {
                j.beginObject().name("code").value(w.code().name()).name("detail").value(w.detail()).endObject();
            }
            j.endArray();
        } else {
            j.name("warnings").beginArray().endArray();
        }
        if (r instanceof Hj212Rejection rej) {
            j.name("raw").value(rej.sampleText());
        }
        j.endObject();
    }

    /** Turns the escapes used in logs and in shared/data (\r \n \t \\ \xNN) into bytes; other text is kept. */
    static byte[] unescape(byte[] text) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(text.length);
        for (int i = 0; i < text.length; i++) {
            byte c = text[i];
            if (c == '\\' && i + 1 < text.length) {
                byte n = text[i + 1];
                switch (n) {
                    case 'r' -> { o.write('\r'); i++; continue; }
                    case 'n' -> { o.write('\n'); i++; continue; }
                    case 't' -> { o.write('\t'); i++; continue; }
                    case '\\' -> { o.write('\\'); i++; continue; }
                    case 'x' -> {
                        if (i + 3 < text.length) {
                            int hi = Character.digit(text[i + 2], 16);
                            int lo = Character.digit(text[i + 3], 16);
                            if (hi >= 0 && lo >= 0) {
                                o.write(hi * 16 + lo);
                                i += 3;
                                continue;
                            }
                        }
                    }
                    default -> { }
                }
            }
            o.write(c);
        }
        return o.toByteArray();
    }

    // ------------------------------------------------------------------------------------------ crc / encode

    private static int crc(String[] args, InputStream in, PrintStream out) throws IOException {
        if (args.length > 2) {
            throw new IllegalArgumentException("crc takes at most one argument (quote the segment)");
        }
        byte[] seg = args.length == 2 ? args[1].getBytes(StandardCharsets.UTF_8) : stripNewline(in.readAllBytes());
        out.println(Hj212Crc.toHex(Hj212Crc.compute(seg)));
        return 0;
    }

    private static int encode(String[] args, InputStream in, PrintStream out) throws IOException {
        byte[] frame;
        if (args.length >= 2 && args[1].startsWith("--")) {
            frame = Hj212Encoder.encode(messageFromOptions(args));
        } else if (args.length == 2) {
            frame = Hj212Encoder.frame(args[1]);
        } else if (args.length == 1) {
            frame = Hj212Encoder.frame(stripNewline(in.readAllBytes()));
        } else {
            throw new IllegalArgumentException("encode takes one SEGMENT argument or options (quote the segment)");
        }
        ((OutputStream) out).write(frame);
        out.flush();
        return 0;
    }

    private static Hj212Message messageFromOptions(String[] args) {
        Hj212Message.Builder b = Hj212Message.builder();
        int pnum = -1, pno = -1;
        String cp = null;
        for (int i = 1; i < args.length; i++) {
            String opt = args[i];
            String v = i + 1 < args.length ? args[++i] : null;
            if (v == null) {
                throw new IllegalArgumentException(opt + " needs a value");
            }
            switch (opt) {
                case "--qn" -> b.qn(v);
                case "--st" -> b.st(v);
                case "--cn" -> b.cn(parseInt(opt, v));
                case "--pw" -> b.pw(v);
                case "--mn" -> b.mn(v);
                case "--flag" -> b.flag(parseInt(opt, v));
                case "--pnum" -> pnum = parseInt(opt, v);
                case "--pno" -> pno = parseInt(opt, v);
                case "--cp" -> cp = v;
                default -> throw new IllegalArgumentException("unknown encode option: " + opt);
            }
        }
        if (pnum >= 0 || pno >= 0) {
            b.parts(pnum, pno);
        }
        if (cp != null && !cp.isEmpty()) {
            for (String group : cp.split(";", -1)) { // CLI only, not the hot path
                List<CpItem> items = new ArrayList<>();
                for (String kv : group.split(",", -1)) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--cp item without key=value: '" + kv + "'");
                    }
                    items.add(CpItem.of(kv.substring(0, eq), kv.substring(eq + 1)));
                }
                b.group(items);
            }
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static byte[] stripNewline(byte[] b) {
        int n = b.length;
        while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r')) {
            n--;
        }
        return java.util.Arrays.copyOf(b, n);
    }

    private static int intArg(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a number");
        }
        return parseInt(args[i - 1], args[i]);
    }

    private static int parseInt(String opt, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs a number: " + v);
        }
    }
}
