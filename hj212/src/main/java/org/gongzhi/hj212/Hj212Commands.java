package org.gongzhi.hj212;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Host → field commands of HJ 212-2017 (hj212.md §4), as {@link Hj212Message}s ready for
 * {@link Hj212Encoder#encode}. Requests carry Flag = version bits | A (5 for 2017, 9 for 2025, 1 for 2005): the
 * field answers 9011 and, for requests, 9012 (§5). QNs are passed in so callers control uniqueness and tests are
 * deterministic; {@link #qn(LocalDateTime)} formats one.
 */
public final class Hj212Commands {

    private static final DateTimeFormatter QN_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");
    private static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HHmmss");
    private static final int[] MIN_INTERVALS = {1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30};

    /** Whom a command is for: the station's ST, PW and MN, and the protocol version it speaks. */
    public record Target(String st, String pw, String mn, ProtocolVersion version) {
        public Target {
            Objects.requireNonNull(st, "st");
            Objects.requireNonNull(mn, "mn");
            Objects.requireNonNull(version, "version");
        }

        /** The target that sent {@code p} (its ST, PW, MN and version). */
        public static Target of(Hj212Packet p) {
            return new Target(p.st() == null ? "32" : p.st(), p.pw(), p.mn(),
                p.version() == ProtocolVersion.UNKNOWN ? ProtocolVersion.V2017 : p.version());
        }
    }

    private Hj212Commands() {
    }

    /** QN for a moment: YYYYMMDDhhmmsszzz. */
    public static String qn(LocalDateTime t) {
        return QN_FORMAT.format(t);
    }

    /** HJ 212 time: YYYYMMDDhhmmss. */
    public static String time(LocalDateTime t) {
        return TIME_FORMAT.format(t);
    }

    /** 1000 set timeout (OverTime 1–99 s) and retries (ReCount 1–99). */
    public static Hj212Message setTimeoutAndRetries(Target t, String qn, int overTimeSeconds, int reCount) {
        range("OverTime", overTimeSeconds, 1, 99);
        range("ReCount", reCount, 1, 99);
        return request(t, qn, 1000, "OverTime", Integer.toString(overTimeSeconds), "ReCount", Integer.toString(reCount));
    }

    /** 1011 get field time; polId null for the data logger's own clock. */
    public static Hj212Message getFieldTime(Target t, String qn, String polId) {
        return polId == null ? request(t, qn, 1011) : request(t, qn, 1011, "PolId", polId);
    }

    /** 1012 set field time. */
    public static Hj212Message setFieldTime(Target t, String qn, String polId, LocalDateTime systemTime) {
        return polId == null ? request(t, qn, 1012, "SystemTime", time(systemTime))
            : request(t, qn, 1012, "PolId", polId, "SystemTime", time(systemTime));
    }

    /** 1061 get real-time data interval. */
    public static Hj212Message getRtdInterval(Target t, String qn) {
        return request(t, qn, 1061);
    }

    /** 1062 set real-time data interval (RtdInterval 30–3600 s). */
    public static Hj212Message setRtdInterval(Target t, String qn, int seconds) {
        range("RtdInterval", seconds, 30, 3600);
        return request(t, qn, 1062, "RtdInterval", Integer.toString(seconds));
    }

    /** 1063 get minute data interval. */
    public static Hj212Message getMinInterval(Target t, String qn) {
        return request(t, qn, 1063);
    }

    /** 1064 set minute data interval (MinInterval one of 1,2,3,4,5,6,10,12,15,20,30 min). */
    public static Hj212Message setMinInterval(Target t, String qn, int minutes) {
        boolean ok = false;
        for (int m : MIN_INTERVALS) {
            ok |= m == minutes;
        }
        if (!ok) {
            throw new IllegalArgumentException("MinInterval must be one of 1,2,3,4,5,6,10,12,15,20,30: " + minutes);
        }
        return request(t, qn, 1064, "MinInterval", Integer.toString(minutes));
    }

    /** 1072 set access password (NewPW). */
    public static Hj212Message setPassword(Target t, String qn, String newPw) {
        return request(t, qn, 1072, "NewPW", newPw);
    }

    /** 2011 start real-time data upload. */
    public static Hj212Message startRealtimeData(Target t, String qn) {
        return request(t, qn, 2011);
    }

    /** 2012 stop real-time data upload (notify: the field answers 9013). */
    public static Hj212Message stopRealtimeData(Target t, String qn) {
        return request(t, qn, 2012);
    }

    /** 2021 start equipment running-state upload. */
    public static Hj212Message startRunState(Target t, String qn) {
        return request(t, qn, 2021);
    }

    /** 2022 stop equipment running-state upload (notify). */
    public static Hj212Message stopRunState(Target t, String qn) {
        return request(t, qn, 2022);
    }

    /**
     * History request: 2031 daily data, 2041 daily equipment run time, 2051 minute data, 2061 hourly data, over
     * [BeginTime, EndTime]; for 2025 targets also 2013 raw monitoring data and 2062 automatic standard-sample check
     * data (hj212.md §14, [I]: as the caoyiliang/HJ212 library reads the 2025 text, with BeginTime/EndTime).
     */
    public static Hj212Message history(Target t, String qn, int cn, LocalDateTime begin, LocalDateTime end) {
        boolean v2025 = (cn == 2013 || cn == 2062) && t.version() == ProtocolVersion.V2025;
        if (cn != 2031 && cn != 2041 && cn != 2051 && cn != 2061 && !v2025) {
            throw new IllegalArgumentException("history CN must be 2031, 2041, 2051 or 2061 (2013, 2062 for 2025 "
                + "loggers): " + cn);
        }
        if (end.isBefore(begin)) {
            throw new IllegalArgumentException("EndTime before BeginTime");
        }
        return request(t, qn, cn, "BeginTime", time(begin), "EndTime", time(end));
    }

    /** 3011 zero/span calibration of the instrument for polId. */
    public static Hj212Message calibrate(Target t, String qn, String polId) {
        return request(t, qn, 3011, "PolId", polId);
    }

    /** 3012 take a sample now. */
    public static Hj212Message sampleNow(Target t, String qn, String polId) {
        return request(t, qn, 3012, "PolId", polId);
    }

    /** 3013 cleaning (water) / blowback (gas). */
    public static Hj212Message clean(Target t, String qn, String polId) {
        return request(t, qn, 3013, "PolId", polId);
    }

    /** 3014 comparison sampling. */
    public static Hj212Message comparisonSample(Target t, String qn, String polId) {
        return request(t, qn, 3014, "PolId", polId);
    }

    /** 3015 keep an over-limit sample. */
    public static Hj212Message retainSample(Target t, String qn, String polId) {
        return request(t, qn, 3015, "PolId", polId);
    }

    /**
     * 3016 set sampling period: start time of day (CstartTime hhmmss) and period (1–24 h). The key is written
     * {@code CTime} as in the standard's example C.35 (its field table says {@code Ctime}).
     */
    public static Hj212Message setSamplingPeriod(Target t, String qn, String polId, LocalTime start, int hours) {
        range("CTime", hours, 1, 24);
        return request(t, qn, 3016, "PolId", polId, "CstartTime", HHMMSS.format(start), "CTime", Integer.toString(hours));
    }

    /** 3017 get sampling period. */
    public static Hj212Message getSamplingPeriod(Target t, String qn, String polId) {
        return request(t, qn, 3017, "PolId", polId);
    }

    /** 3018 get time from sampling to result (answered with Stime). */
    public static Hj212Message getSampleTime(Target t, String qn, String polId) {
        return request(t, qn, 3018, "PolId", polId);
    }

    /** 3019 get instrument id (answered with {@code <polId>-SN}). */
    public static Hj212Message getInstrumentSn(Target t, String qn, String polId) {
        return request(t, qn, 3019, "PolId", polId);
    }

    /**
     * 3020 get field information: InfoId is an i-code (i11001 log, i12xxx state, i13xxx parameter); begin/end
     * (may be null) bound a log query.
     */
    public static Hj212Message getFieldInfo(Target t, String qn, String polId, String infoId,
                                            LocalDateTime begin, LocalDateTime end) {
        List<String> kv = new ArrayList<>(List.of("PolId", polId, "InfoId", infoId));
        if (begin != null) {
            kv.add("BeginTime");
            kv.add(time(begin));
        }
        if (end != null) {
            kv.add("EndTime");
            kv.add(time(end));
        }
        return request(t, qn, 3020, kv.toArray(new String[0]));
    }

    /** 3021 set a field parameter: {@code <infoId>-Info=value} (e.g. i13004 digestion temperature). */
    public static Hj212Message setFieldParameter(Target t, String qn, String polId, String infoId, String value) {
        return request(t, qn, 3021, "PolId", polId, "InfoId", infoId, infoId + "-Info", value);
    }

    // ---- HJ 212-2025 host commands (hj212.md §14, [I]: the 2025 text could not be read; field names as the
    // caoyiliang/HJ212 library uses them, Jan 2026). Each refuses a target that does not speak 2025, so that a 2017
    // logger is never sent a CN it cannot know.

    /** 1002 (2025) set the data logger's MN: the new MN in {@code i23005-Info}. */
    public static Hj212Message setMn(Target t, String qn, String newMn) {
        require2025(t, 1002);
        if (newMn == null || newMn.isEmpty() || newMn.length() > 24) {
            throw new IllegalArgumentException("new MN must be 1..24 characters");
        }
        return request(t, qn, 1002, "i23005-Info", newMn);
    }

    /**
     * 1014 (2025) host sends a new key (SK), as the answer to a logger's 1014 request or on its own: SKCreateTime
     * (YYYYMMDDhhmmss) and NewSK. The key is a secret: callers must not log the message.
     */
    public static Hj212Message newKey(Target t, String qn, LocalDateTime skCreateTime, String newSk) {
        require2025(t, 1014);
        if (newSk == null || newSk.isEmpty()) {
            throw new IllegalArgumentException("NewSK must not be empty");
        }
        return request(t, qn, 1014, "SKCreateTime", time(skCreateTime), "NewSK", newSk);
    }

    /** 3022 (2025) start an immediate sample-retention task for polId. */
    public static Hj212Message retainSampleNow(Target t, String qn, String polId) {
        require2025(t, 3022);
        return request(t, qn, 3022, "PolId", polId);
    }

    /** 3024 (2025) start a standard-sample check of the instrument for polId. */
    public static Hj212Message startStandardCheck(Target t, String qn, String polId) {
        require2025(t, 3024);
        return request(t, qn, 3024, "PolId", polId);
    }

    private static void require2025(Target t, int cn) {
        if (t.version() != ProtocolVersion.V2025) {
            throw new IllegalArgumentException("CN " + cn + " exists only in HJ 212-2025; the logger speaks " + t.version());
        }
    }

    /**
     * Any request: header from the target, Flag = version bits | A, CP as one ';'-separated list of the given
     * key/value pairs (each pair its own group, as in the standard's examples).
     */
    public static Hj212Message request(Target t, String qn, int cn, String... keysAndValues) {
        Objects.requireNonNull(qn, "qn");
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must alternate");
        }
        List<List<CpItem>> cp = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            cp.add(List.of(CpItem.of(keysAndValues[i], Objects.requireNonNull(keysAndValues[i + 1], keysAndValues[i]))));
        }
        return new Hj212Message(qn, t.st(), cn, t.pw(), t.mn(), t.version().flagBits() | 1, -1, -1, cp);
    }

    private static void range(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + v);
        }
    }
}
