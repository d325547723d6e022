package org.gongzhi.monitoring;

/** What a measurement row aggregates: 实时 2011, 分钟 2051, 小时 2061, 日 2031 (hj212.md §4). */
public enum MeasurementKind {
    REALTIME(2011), MINUTE(2051), HOUR(2061), DAY(2031);

    private final int cn;

    MeasurementKind(int cn) {
        this.cn = cn;
    }

    public int cn() {
        return cn;
    }

    /** The kind an upload CN carries, or null for uploads without measurement values (2021, 2081, 3020, …). */
    public static MeasurementKind ofCn(int cn) {
        for (MeasurementKind k : values()) {
            if (k.cn == cn) {
                return k;
            }
        }
        return null;
    }
}
