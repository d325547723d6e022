package org.gongzhi.requests;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times on pages, in China time (put into page models as {@code t}). */
final class ChinaTime {

    static final ChinaTime INSTANCE = new ChinaTime();
    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

    public String full(Instant i) {
        return i == null ? "" : FULL.format(i);
    }

    public String brief(Instant i) {
        return i == null ? "" : SHORT.format(i);
    }
}
