package org.gongzhi.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Packet;
import org.gongzhi.hj212.Hj212Replies;

/**
 * Frames of a capture file, for {@code --replay}.
 *
 * <p>Text format (default), as {@code shared/data/hj212-field-packets.txt} and {@code hj212-samples.txt}: one
 * packet per line, {@code PACKET <TAB> anything…}; lines starting with {@code //} and blank lines are skipped; a
 * tail is written as the characters {@code \r\n} (also {@code \n}, {@code \r}); the packet is sent as its UTF-8
 * bytes, malformed or not. Raw format ({@code --replay-raw}): the file is the byte stream itself, cut before each
 * {@code ##} followed by 4 digits.
 */
final class Replay {

    /**
     * One frame to send. {@code packet} is the frame decoded strictly (null when it is malformed: it is sent as is
     * and no answer is expected); {@code expectAck} when it is an upload with Flag bit A (the host must send 9014).
     */
    record Frame(byte[] bytes, Hj212Packet packet, boolean expectAck) {
    }

    private Replay() {
    }

    static List<Frame> load(Path file, boolean raw) throws IOException {
        byte[] all = Files.readAllBytes(file);
        List<byte[]> chunks = raw ? cutRaw(all) : parseText(new String(all, StandardCharsets.UTF_8));
        List<Frame> frames = new ArrayList<>(chunks.size());
        for (byte[] c : chunks) {
            frames.add(classify(c));
        }
        if (frames.isEmpty()) {
            throw new IOException("no frames in " + file);
        }
        return frames;
    }

    static Frame classify(byte[] bytes) {
        try {
            Hj212Packet p = Hj212Packet.decodeFrame(bytes);
            return new Frame(bytes, p, Hj212Replies.needsDataAck(p));
        } catch (RuntimeException e) { // Hj212DecodeException for a malformed frame
            return new Frame(bytes, null, false);
        }
    }

    static List<byte[]> parseText(String text) {
        List<byte[]> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank() || line.startsWith("//")) {
                continue;
            }
            int tab = line.indexOf('\t');
            String packet = tab < 0 ? line : line.substring(0, tab);
            out.add(unescape(packet).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (n == 'r' || n == 'n') {
                    sb.append(n == 'r' ? '\r' : '\n');
                    i++;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    static List<byte[]> cutRaw(byte[] all) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i + 5 < all.length; i++) {
            if (all[i] == '#' && all[i + 1] == '#' && digits(all, i + 2) && i > start) {
                out.add(java.util.Arrays.copyOfRange(all, start, i));
                start = i;
                i++;
            }
        }
        if (start < all.length) {
            out.add(java.util.Arrays.copyOfRange(all, start, all.length));
        }
        return out;
    }

    private static boolean digits(byte[] b, int at) {
        for (int k = at; k < at + 4; k++) {
            if (b[k] < '0' || b[k] > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The frame with this device's MN and PW and a fresh QN (only header fields present in the frame are replaced),
     * re-framed with a correct length and CRC and a CR LF tail. Only for frames that decoded.
     */
    static byte[] rewrite(Hj212Packet p, String mn, String pw, String qn) {
        String seg = p.segment();
        int cp = seg.indexOf("CP=&&");
        String head = cp < 0 ? seg : seg.substring(0, cp);
        String rest = cp < 0 ? "" : seg.substring(cp);
        head = replaceField(head, "QN=", qn);
        head = replaceField(head, "MN=", mn);
        head = replaceField(head, "PW=", pw);
        return Hj212Encoder.frame(head + rest);
    }

    private static String replaceField(String head, String name, String value) {
        int at = head.startsWith(name) ? 0 : indexAfterSeparator(head, name);
        if (at < 0) {
            return head;
        }
        int vs = at + name.length();
        int ve = vs;
        while (ve < head.length() && head.charAt(ve) != ';' && head.charAt(ve) != ',') {
            ve++;
        }
        return head.substring(0, vs) + value + head.substring(ve);
    }

    private static int indexAfterSeparator(String head, String name) {
        for (String sep : new String[] {";", ","}) {
            int i = head.indexOf(sep + name);
            if (i >= 0) {
                return i + 1;
            }
        }
        return -1;
    }
}
