package org.gongzhi.hj212;

/**
 * Suffixes of factor keys ({@code <code>-<Suffix>}, hj212.md §3). Unlisted suffixes are still reachable by text
 * through {@link Factor#get(String)}.
 */
public enum FactorField {
    /** Real-time value. */
    RTD("Rtd"),
    MIN("Min"),
    AVG("Avg"),
    MAX("Max"),
    /** Cumulative over the interval (water: m³ for w00000, kg for pollutants). */
    COU("Cou"),
    /** Data flag, 1 char (N F M S D C T B; 2005 also P). */
    FLAG("Flag"),
    /** Instrument-specific flag, up to 4 chars. */
    EFLAG("EFlag"),
    /** When a batch analyser took the sample (N14 time). */
    SAMPLE_TIME("SampleTime"),
    ZS_RTD("ZsRtd"),
    ZS_MIN("ZsMin"),
    ZS_AVG("ZsAvg"),
    ZS_MAX("ZsMax"),
    /** Instrument id. */
    SN("SN"),
    /** Field-side information (i-codes). */
    INFO("Info"),
    /** Treatment equipment running state (SBxxx-RS): 0 off, 1 running, 2 calibrating, 3 maintenance, 4 alarm, 5 blowback. */
    RS("RS"),
    /** Treatment equipment hours run per day (SBxxx-RT). */
    RT("RT"),
    DATA("Data"),
    DAY_DATA("DayData"),
    NIGHT_DATA("NightData"),
    /** 2005 only: alarm value. */
    ALA("Ala"),
    UP_VALUE("UpValue"),
    LOW_VALUE("LowValue");

    private final String suffix;

    FactorField(String suffix) {
        this.suffix = suffix;
    }

    /** The suffix as written after the '-', e.g. "Rtd". */
    public String suffix() {
        return suffix;
    }

    /** The field for a suffix text, or null. */
    public static FactorField ofSuffix(String s) {
        for (FactorField f : values()) {
            if (f.suffix.equals(s)) {
                return f;
            }
        }
        return null;
    }
}
