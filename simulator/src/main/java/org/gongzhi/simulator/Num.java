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
        StringBuilder sb = new StringBuilder(16);
        if (neg) {
            sb.append('-');
        }
        long ip = scaled / POW10[decimals];
        sb.append(ip);
        if (decimals > 0) {
            sb.append('.');
            String frac = Long.toString(scaled % POW10[decimals]);
            for (int i = frac.length(); i < decimals; i++) {
                sb.append('0');
            }
            sb.append(frac);
        }
        return sb.toString();
    }
}
