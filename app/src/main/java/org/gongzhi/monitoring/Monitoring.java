package org.gongzhi.monitoring;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.gongzhi.hj212.Hj212Commands;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerLookup;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Role;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What the API and the pages do with monitoring, always through the caller's jurisdiction: a device is visible
 * when its outfall is (asked of the ledger's API), a measurement when its outfall is.
 */
@Service
class Monitoring {

    private static final Pattern MN = Pattern.compile("[0-9A-Za-z_\\-]{1,64}");
    private static final Pattern FACTOR = Pattern.compile("[0-9A-Za-z]{1,16}");

    private final DataLoggerRegistry registry;
    private final RejectedFrames rejected;
    private final HostCommands commands;
    private final Ledger ledger;
    private final LedgerLookup lookup;
    private final JdbcClient jdbc;
    private final int offlineAfterIntervals;

    Monitoring(DataLoggerRegistry registry, RejectedFrames rejected, HostCommands commands, Ledger ledger,
               LedgerLookup lookup, JdbcClient jdbc,
               @Value("${gongzhi.monitoring.offline-after-intervals:3}") int offlineAfterIntervals) {
        this.registry = registry;
        this.rejected = rejected;
        this.commands = commands;
        this.ledger = ledger;
        this.lookup = lookup;
        this.jdbc = jdbc;
        this.offlineAfterIntervals = offlineAfterIntervals;
    }

    /** Registration input (API body and form). */
    record DeviceInput(String mn, String password, Long outfallId, List<String> factors, Integer intervalSeconds,
                       Boolean lenientCrc) {
    }

    /** A device as the API and pages show it (never the password hash). */
    record Device(String mn, long outfallId, String outfallCode, String outfallName, List<String> factors,
                  int intervalSeconds, boolean lenientCrc, boolean enabled, Instant registeredAt, Instant lastSeenAt,
                  String lastRemoteAddress, boolean online, boolean connected) {
    }

    /** The MN is taken: 409. */
    static final class DuplicateMn extends RuntimeException {
        DuplicateMn(String mn) {
            super(mn);
        }
    }

    /** The device is not connected to this gateway: 409. */
    static final class NotConnected extends RuntimeException {
        NotConnected(String mn) {
            super(mn);
        }
    }

    // ---- devices -----------------------------------------------------------------------------------------------

    Device register(DeviceInput in, CurrentUser user) {
        if (!user.canEditLedger()) {
            throw new ForbiddenException("registering data loggers needs a regulator or administrator");
        }
        List<FieldProblem> problems = new ArrayList<>();
        String mn = in.mn() == null ? null : in.mn().trim();
        if (mn == null || mn.isEmpty()) {
            problems.add(FieldProblem.of("mn", in.mn(), "设备唯一标识（MN）必填", "MN (device id) is required"));
        } else if (!MN.matcher(mn).matches()) {
            problems.add(FieldProblem.of("mn", in.mn(), "MN 只能包含字母、数字、下划线和连字符，最长 64 位",
                    "MN may contain only letters, digits, '_' and '-', at most 64 characters"));
        }
        if (in.password() == null || in.password().isEmpty()) {
            problems.add(FieldProblem.of("password", null, "访问密码（PW）必填", "password (PW) is required"));
        } else if (in.password().length() > 64 || in.password().contains(";") || in.password().contains("=")) {
            problems.add(FieldProblem.of("password", null, "访问密码最长 64 位，且不能含有 ; 或 =",
                    "password is at most 64 characters and cannot contain ';' or '='"));
        }
        if (in.outfallId() == null) {
            problems.add(FieldProblem.of("outfallId", null, "须选择排污口", "an outfall is required"));
        } else {
            try {
                ledger.find(in.outfallId(), user);
            } catch (NotFoundException e) {
                problems.add(FieldProblem.of("outfallId", in.outfallId(), "排污口不存在或不在您的辖区",
                        "no such outfall in your jurisdiction"));
            }
        }
        List<String> factors = in.factors() == null ? List.of()
                : in.factors().stream().map(String::trim).filter(f -> !f.isEmpty()).distinct().toList();
        for (String f : factors) {
            if (!FACTOR.matcher(f).matches()) {
                problems.add(FieldProblem.of("factors", f, "监测因子编码格式不正确（如 w01018）",
                        "not a factor code (e.g. w01018)"));
            }
        }
        int interval = in.intervalSeconds() == null ? 600 : in.intervalSeconds();
        if (interval < 30 || interval > 86400) {
            problems.add(FieldProblem.of("intervalSeconds", in.intervalSeconds(), "上报间隔须在 30 秒至 86400 秒之间",
                    "interval must be between 30 and 86400 seconds"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        if (registry.exists(mn)) {
            throw new DuplicateMn(mn);
        }
        try {
            registry.register(mn, in.password(), in.outfallId(), factors, interval, Boolean.TRUE.equals(in.lenientCrc()),
                    user.username());
        } catch (org.springframework.dao.DuplicateKeyException e) {
            throw new DuplicateMn(mn);
        }
        return device(mn, user);
    }

    List<Device> devices(CurrentUser user) {
        List<DataLogger> all = new ArrayList<>(registry.all());
        Map<Long, LedgerLookup.OutfallRef> visible = lookup.visible(
                all.stream().map(DataLogger::outfallId).collect(Collectors.toSet()), user);
        List<Device> out = new ArrayList<>();
        for (DataLogger d : all) {
            LedgerLookup.OutfallRef o = visible.get(d.outfallId());
            if (o != null) {
                out.add(toDevice(d, o));
            }
        }
        return out;
    }

    Device device(String mn, CurrentUser user) {
        DataLogger d = visibleLogger(mn, user);
        Outfall o = ledger.find(d.outfallId(), user);
        return toDevice(d, new LedgerLookup.OutfallRef(o.id(), o.nationalCode(), o.name(), o.regionCode()));
    }

    private DataLogger visibleLogger(String mn, CurrentUser user) {
        DataLogger d = registry.current(mn).orElseThrow(() -> new NotFoundException("data logger " + mn));
        if (lookup.visible(List.of(d.outfallId()), user).isEmpty()) {
            throw new NotFoundException("data logger " + mn);
        }
        return d;
    }

    private Device toDevice(DataLogger d, LedgerLookup.OutfallRef o) {
        return new Device(d.mn(), d.outfallId(), o.nationalCode(), o.name(), d.expectedFactors(), d.intervalSeconds(),
                d.lenientCrc(), d.enabled(), d.registeredAt(), d.lastSeenAt(), d.lastRemoteAddress(), online(d),
                commands.isConnected(d.mn()));
    }

    boolean online(DataLogger d) {
        return d.lastSeenAt() != null && d.lastSeenAt().isAfter(
                Instant.now().minusSeconds((long) d.intervalSeconds() * offlineAfterIntervals));
    }

    /** Unknown MNs seen lately: for regulators and administrators, who can bind them. */
    List<RejectedFrames.Unregistered> unregistered(CurrentUser user) {
        if (!user.canEditLedger()) {
            throw new ForbiddenException("needs a regulator or administrator");
        }
        return rejected.unregistered(Duration.ofDays(30), 200);
    }

    // ---- status and completeness -------------------------------------------------------------------------------

    record FactorCompleteness(String factor, long received, long expected, double ratio) {
    }

    record Status(String mn, boolean online, boolean connected, Instant lastSeenAt, String lastRemoteAddress,
                  int intervalSeconds, int offlineAfterIntervals, LocalDate day, MeasurementKind kind,
                  List<FactorCompleteness> completeness, List<HostCommands.Command> commands) {
    }

    /**
     * Online/offline from the last contact; daily completeness = rows received ÷ rows expected per factor, for the
     * kind the interval implies (≥ 1 day: DAY, ≥ 1 h: HOUR, else MINUTE), over the day so far (China time).
     */
    Status status(String mn, LocalDate day, CurrentUser user) {
        DataLogger d = visibleLogger(mn, user);
        LocalDate date = day == null ? LocalDate.now(MeasurementStore.CHINA) : day;
        Instant from = date.atStartOfDay(MeasurementStore.CHINA).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(MeasurementStore.CHINA).toInstant();
        Instant end = to.isAfter(Instant.now()) ? Instant.now() : to;
        MeasurementKind kind = d.intervalSeconds() >= 86400 ? MeasurementKind.DAY
                : d.intervalSeconds() >= 3600 ? MeasurementKind.HOUR : MeasurementKind.MINUTE;
        long expected = Math.max(0, Duration.between(from, end).getSeconds() / d.intervalSeconds());
        if (kind == MeasurementKind.DAY) {
            expected = end.equals(to) ? 1 : 0;
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        d.expectedFactors().forEach(f -> counts.put(f, 0L));
        jdbc.sql("""
                SELECT factor, count(*) FROM measurement WHERE outfall_id = ? AND kind = ? AND source = 'HJ212'
                  AND data_time >= ? AND data_time < ? GROUP BY factor ORDER BY factor""")
                .params(d.outfallId(), kind.name(), Timestamp.from(from), Timestamp.from(to))
                .query((rs, i) -> Map.entry(rs.getString(1), rs.getLong(2))).list()
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        List<FactorCompleteness> c = new ArrayList<>();
        for (var e : counts.entrySet()) {
            c.add(new FactorCompleteness(e.getKey(), e.getValue(), expected,
                    expected == 0 ? 1.0 : Math.min(1.0, (double) e.getValue() / expected)));
        }
        return new Status(d.mn(), online(d), commands.isConnected(d.mn()), d.lastSeenAt(), d.lastRemoteAddress(),
                d.intervalSeconds(), offlineAfterIntervals, date, kind, c, commands.recent(d.mn(), 20));
    }

    /** Overall completeness of today for the device list: the mean over its factors, or null with none. */
    Double completenessToday(String mn, CurrentUser user) {
        List<FactorCompleteness> c = status(mn, null, user).completeness();
        return c.isEmpty() ? null : c.stream().mapToDouble(FactorCompleteness::ratio).average().orElse(0);
    }

    // ---- measurements ------------------------------------------------------------------------------------------

    record Latest(String factor, MeasurementKind kind, Instant dataTime, Double rtd, Double min, Double avg, Double max,
                  Double cou, String flag, String source) {
    }

    List<Latest> latest(long outfallId, CurrentUser user) {
        ledger.find(outfallId, user);
        return jdbc.sql("""
                SELECT DISTINCT ON (factor) factor, kind, data_time, rtd, min, avg, max, cou, flag, source
                FROM measurement WHERE outfall_id = ?
                ORDER BY factor, data_time DESC, CASE kind WHEN 'REALTIME' THEN 0 WHEN 'MINUTE' THEN 1 WHEN 'HOUR' THEN 2 ELSE 3 END""")
                .param(outfallId)
                .query((rs, i) -> new Latest(rs.getString(1), MeasurementKind.valueOf(rs.getString(2)),
                        rs.getTimestamp(3).toInstant(), (Double) rs.getObject(4), (Double) rs.getObject(5),
                        (Double) rs.getObject(6), (Double) rs.getObject(7), (Double) rs.getObject(8), rs.getString(9),
                        rs.getString(10)))
                .list();
    }

    record Point(Instant t, double avg, double min, double max, long n) {
    }

    record Series(long outfallId, String factor, MeasurementKind kind, String source, Instant from, Instant to,
                  long bucketSeconds, List<Point> points) {
    }

    /** HJ 212 online data, manual and laboratory results (监督监测), and the party's own results (自行监测). */
    private static final java.util.Set<String> SOURCES = java.util.Set.of("HJ212", "MANUAL", "LAB", "SELF");

    Series series(long outfallId, String factor, MeasurementKind kind, Instant from, Instant to, int points,
                  CurrentUser user) {
        return series(outfallId, factor, kind, from, to, points, null, user);
    }

    /**
     * A time series cut into at most {@code points} buckets of equal width (date_bin), each with the mean, least
     * and greatest value (the value is Rtd for real-time rows, else Avg; min/max use Min/Max when given).
     */
    Series series(long outfallId, String factor, MeasurementKind kind, Instant from, Instant to, int points,
                  String source, CurrentUser user) {
        ledger.find(outfallId, user);
        List<FieldProblem> problems = new ArrayList<>();
        String src = source == null || source.isBlank() ? null : source.strip().toUpperCase(java.util.Locale.ROOT);
        if (src != null && !SOURCES.contains(src)) {
            problems.add(FieldProblem.of("source", source, "数据来源须为 HJ212、MANUAL、LAB 或 SELF", "source must be HJ212, MANUAL, LAB or SELF"));
        }
        if (factor == null || !FACTOR.matcher(factor).matches()) {
            problems.add(FieldProblem.of("factor", factor, "须指定监测因子编码（如 w01018）", "a factor code is required (e.g. w01018)"));
        }
        Instant t1 = to == null ? Instant.now() : to;
        Instant t0 = from == null ? t1.minus(Duration.ofDays(1)) : from;
        if (!t0.isBefore(t1)) {
            problems.add(FieldProblem.of("from", from, "开始时间须早于结束时间", "from must be before to"));
        }
        if (points < 1 || points > 5000) {
            problems.add(FieldProblem.of("points", points, "点数须在 1 到 5000 之间", "points must be between 1 and 5000"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        MeasurementKind k = kind != null ? kind
                : src != null && !"HJ212".equals(src) ? MeasurementKind.REALTIME : MeasurementKind.MINUTE;
        long span = Duration.between(t0, t1).getSeconds();
        long bucket = Math.max(1, (span + points - 1) / points);
        List<Point> pts = jdbc.sql("""
                SELECT date_bin(make_interval(secs => ?), data_time, ?) AS b,
                       avg(coalesce(rtd, avg)), min(coalesce(min, rtd, avg)), max(coalesce(max, rtd, avg)), count(*)
                FROM measurement
                WHERE outfall_id = ? AND factor = ? AND kind = ? AND data_time >= ? AND data_time < ?
                  AND coalesce(rtd, avg) IS NOT NULL AND (?::text IS NULL OR source = ?::text)
                GROUP BY b ORDER BY b""")
                .params(bucket, Timestamp.from(t0), outfallId, factor, k.name(), Timestamp.from(t0), Timestamp.from(t1),
                        src, src)
                .query((rs, i) -> new Point(rs.getTimestamp(1).toInstant(), rs.getDouble(2), rs.getDouble(3),
                        rs.getDouble(4), rs.getLong(5)))
                .list();
        return new Series(outfallId, factor, k, src, t0, t1, bucket, pts);
    }

    // ---- rejected frames ---------------------------------------------------------------------------------------

    RejectedFrames.Page rejectedFrames(String reason, int page, int size, CurrentUser user) {
        if (user.role() != Role.ADMIN && user.role() != Role.REGULATOR) {
            throw new ForbiddenException("the rejected-frame log is for regulators and administrators");
        }
        List<String> mns = user.jurisdiction().scope() == org.gongzhi.platform.Jurisdiction.Scope.NATIONAL ? null
                : devices(user).stream().map(Device::mn).toList();
        return rejected.list(mns, reason == null || reason.isBlank() ? null : reason.trim(), Math.max(0, page),
                Math.min(Math.max(size, 1), 500));
    }

    // ---- host commands -----------------------------------------------------------------------------------------

    /** A host command to send: cn, and what that command needs (interval in s or min, history window, PolId). */
    record CommandInput(String cn, Integer rtdInterval, Integer minInterval, LocalDateTime begin, LocalDateTime end,
                        String polId) {
    }

    /** A stand-in logger for checking a command's arguments before its real target is known. */
    private static final Hj212Commands.Target CHECK_TARGET = new Hj212Commands.Target("32", "x", "x",
            org.gongzhi.hj212.ProtocolVersion.V2017);

    HostCommands.Command command(String mn, CommandInput in, CurrentUser user) {
        if (!user.canEditLedger()) {
            throw new ForbiddenException("sending commands needs a regulator or administrator");
        }
        visibleLogger(mn, user);
        String cn = in.cn() == null ? "" : in.cn().trim();
        java.util.function.BiFunction<Hj212Commands.Target, String, Hj212Message> build;
        String params;
        try {
            switch (cn) {
                case "1011" -> {
                    build = (t, qn) -> Hj212Commands.getFieldTime(t, qn, in.polId());
                    params = in.polId() == null ? null : "PolId=" + in.polId();
                }
                case "1012" -> {
                    LocalDateTime now = LocalDateTime.now(MeasurementStore.CHINA);
                    build = (t, qn) -> Hj212Commands.setFieldTime(t, qn, in.polId(), now);
                    params = "SystemTime=" + Hj212Commands.time(now);
                }
                case "1062" -> {
                    int s = in.rtdInterval() == null ? -1 : in.rtdInterval();
                    build = (t, qn) -> Hj212Commands.setRtdInterval(t, qn, s);
                    params = "RtdInterval=" + s;
                }
                case "1064" -> {
                    int m = in.minInterval() == null ? -1 : in.minInterval();
                    build = (t, qn) -> Hj212Commands.setMinInterval(t, qn, m);
                    params = "MinInterval=" + m;
                }
                case "2031", "2041", "2051", "2061" -> {
                    if (in.begin() == null || in.end() == null || in.end().isBefore(in.begin())) {
                        throw new IllegalArgumentException("begin/end");
                    }
                    int c = Integer.parseInt(cn);
                    build = (t, qn) -> Hj212Commands.history(t, qn, c, in.begin(), in.end());
                    params = "BeginTime=" + Hj212Commands.time(in.begin()) + ";EndTime=" + Hj212Commands.time(in.end());
                }
                default -> throw new InvalidInputException(FieldProblem.of("cn", in.cn(),
                        "支持的命令：1011 取现场时间、1012 校时、1062 设置实时数据间隔、1064 设置分钟数据间隔、"
                                + "2031/2041/2051/2061 补传历史数据",
                        "supported: 1011 get time, 1012 set time, 1062 set real-time interval, 1064 set minute interval, "
                                + "2031/2041/2051/2061 history"));
            }
            build.apply(CHECK_TARGET, "0"); // the codec checks the arguments (ranges, allowed intervals) before sending
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(switch (cn) {
                case "1062" -> FieldProblem.of("rtdInterval", in.rtdInterval(), "实时数据间隔须在 30 到 3600 秒之间",
                        "RtdInterval must be 30–3600 s");
                case "1064" -> FieldProblem.of("minInterval", in.minInterval(),
                        "分钟数据间隔须为 1、2、3、4、5、6、10、12、15、20 或 30 分钟",
                        "MinInterval must be 1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30 minutes");
                default -> FieldProblem.of("begin", in.begin(), "须给出开始与结束时间，且开始不晚于结束",
                        "begin and end are required, begin not after end");
            });
        }
        Optional<HostCommands.Command> sent = commands.send(mn, params, user.username(), build);
        return sent.orElseThrow(() -> new NotConnected(mn));
    }
}
