package org.gongzhi.simulator;

/** Fixed-decimal number text without String.format: {@code fmt(12.345, 1)} = "12.3". */
final class Num {

    private static final long[] POW10 = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000};

    private Num() {
    }

    static String fmt(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("not a number: " + v);
        }
        long scaled = Math.round(Math.abs(v) * POW10[decimals]);
        boolean neg = v < 0 && scaled != 0;
        // written right to left into a char array: no StringBuilder and no Long.toString per value
        char[] c = new char[21 + decimals];
        int i = c.length;
        for (int d = 0; d < decimals; d++) {
            c[--i] = (char) ('0' + scaled % 10);
            scaled /= 10;
        }
        if (decimals > 0) {
            c[--i] = '.';
        }
        do {
            c[--i] = (char) ('0' + scaled % 10);
            scaled /= 10;
        } while (scaled != 0);
        if (neg) {
            c[--i] = '-';
        }
        return new String(c, i, c.length - i);
    }
}
