package org.gongzhi.hj212;

import java.math.BigDecimal;
import java.time.LocalDateTime;

/** Allocation-free number and time parsing over byte ranges (package-private helper). */
final class Num {

    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private Num() {
    }

    /**
     * Parses an HJ 212 number ({@code Nx.y}: optional sign, digits, optional point and digits; hj212.md §3) in
     * s[a, b). Returns NaN if it is not one. With at most 15 significant digits the result is the correctly
     * rounded double (an exact long divided by an exact power of ten); longer ones go through Double.parseDouble.
     */
    static double parseDouble(byte[] s, int a, int b) {
        if (a >= b) {
            return Double.NaN;
        }
        int i = a;
        boolean neg = false;
        if (s[i] == '-' || s[i] == '+') {
            neg = s[i] == '-';
            i++;
        }
        long mant = 0;
        int digits = 0;
        int scale = 0;
        boolean point = false;
        for (; i < b; i++) {
            byte c = s[i];
            if (c >= '0' && c <= '9') {
                mant = mant * 10 + (c - '0');
                digits++;
                if (point) {
                    scale++;
                }
                if (digits > 15) {
                    return slowParse(s, a, b);
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        double v = scale == 0 ? (double) mant : mant / POW10[scale];
        return neg ? -v : v;
    }

    private static double slowParse(byte[] s, int a, int b) {
        for (int i = a; i < b; i++) {
            byte c = s[i];
            if (!(c >= '0' && c <= '9' || c == '.' || (i == a && (c == '-' || c == '+')))) {
                return Double.NaN;
            }
        }
        try {
            return Double.parseDouble(Hj212Packet.text(s, a, b));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Exact decimal of s[a, b), or null if it is not an HJ 212 number. */
    static BigDecimal parseDecimal(byte[] s, int a, int b) {
        if (Double.isNaN(parseDouble(s, a, b))) {
            return null;
        }
        return new BigDecimal(Hj212Packet.text(s, a, b));
    }

    /**
     * Parses {@code YYYYMMDDhhmmss} (N14), also accepting 17 digits with milliseconds as sent by some loggers
     * (hj212-field-packets: "DataTime has 17 digits"). Null if malformed or not a real date.
     */
    static LocalDateTime parseTime(byte[] s, int a, int b) {
        int n = b - a;
        if (n != 14 && n != 17) {
            return null;
        }
        for (int i = a; i < b; i++) {
            if (s[i] < '0' || s[i] > '9') {
                return null;
            }
        }
        try {
            int nanos = n == 17 ? Hj212Packet.parseUint(s, a + 14, a + 17, 3) * 1_000_000 : 0;
            return LocalDateTime.of(Hj212Packet.parseUint(s, a, a + 4, 4), Hj212Packet.parseUint(s, a + 4, a + 6, 2),
                Hj212Packet.parseUint(s, a + 6, a + 8, 2), Hj212Packet.parseUint(s, a + 8, a + 10, 2),
                Hj212Packet.parseUint(s, a + 10, a + 12, 2), Hj212Packet.parseUint(s, a + 12, a + 14, 2), nanos);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    static LocalDateTime parseTime(String text) {
        if (text == null) {
            return null;
        }
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parseTime(b, 0, b.length);
    }
}
