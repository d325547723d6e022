package org.gongzhi.simulator;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

/** Allocation-light HJ 212 time formatting and period alignment (times are local, hj212.md §3). */
final class Times {

    private Times() {
    }

    /** {@code yyyyMMddHHmmss} (N14). */
    static String time(LocalDateTime t) {
        char[] c = new char[14];
        fill(c, t);
        return new String(c);
    }

    /** {@code yyyyMMddHHmmssSSS}: a QN. */
    static String qn(LocalDateTime t) {
        char[] c = new char[17];
        fill(c, t);
        int ms = t.getNano() / 1_000_000;
        c[14] = (char) ('0' + ms / 100);
        c[15] = (char) ('0' + ms / 10 % 10);
        c[16] = (char) ('0' + ms % 10);
        return new String(c);
    }

    private static void fill(char[] c, LocalDateTime t) {
        int y = t.getYear();
        c[0] = (char) ('0' + y / 1000 % 10);
        c[1] = (char) ('0' + y / 100 % 10);
        c[2] = (char) ('0' + y / 10 % 10);
        c[3] = (char) ('0' + y % 10);
        two(c, 4, t.getMonthValue());
        two(c, 6, t.getDayOfMonth());
        two(c, 8, t.getHour());
        two(c, 10, t.getMinute());
        two(c, 12, t.getSecond());
    }

    private static void two(char[] c, int at, int v) {
        c[at] = (char) ('0' + v / 10);
        c[at + 1] = (char) ('0' + v % 10);
    }

    /** Parses {@code yyyyMMddHHmmss} (extra digits such as milliseconds ignored); null if malformed. */
    static LocalDateTime parse(String s) {
        if (s == null || s.length() < 14) {
            return null;
        }
        for (int i = 0; i < 14; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return LocalDateTime.of(Integer.parseInt(s, 0, 4, 10), Integer.parseInt(s, 4, 6, 10),
                Integer.parseInt(s, 6, 8, 10), Integer.parseInt(s, 8, 10, 10), Integer.parseInt(s, 10, 12, 10),
                Integer.parseInt(s, 12, 14, 10));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Start of the period of {@code seconds} (counted from local midnight) that contains {@code t}. */
    static LocalDateTime align(LocalDateTime t, int seconds) {
        LocalDateTime day = t.truncatedTo(ChronoUnit.DAYS);
        if (seconds >= 86_400) {
            return day;
        }
        int sod = t.toLocalTime().toSecondOfDay();
        return day.plusSeconds(sod - sod % seconds);
    }
}
