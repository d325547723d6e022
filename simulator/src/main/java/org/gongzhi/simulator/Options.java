package org.gongzhi.simulator;

import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.gongzhi.hj212.Hj212Codes;
import org.gongzhi.hj212.ProtocolVersion;

/** Command-line options: {@code --key=value} (or {@code --flag} for booleans). Mutable so tests can set fields. */
final class Options {

    /** Bad command line; the message is printed above the usage text. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static final List<String> DEFAULT_FACTORS = List.of("w01018", "w21003", "w21011", "w21001", "w01001", "w00000");

    // connection
    String host = "127.0.0.1";
    int port = 9212;
    int threads = Runtime.getRuntime().availableProcessors();
    double connectRate = 500;
    long reconnectDelayMs = 1000;
    int connectRetries = 5;

    // devices
    int devices = 10;
    String mnPrefix = "8888888";
    int mnLength = 14;
    long mnStart = 1;
    String password = "123456";
    boolean passwordPerDevice;
    String st = "32";
    ProtocolVersion protocol = ProtocolVersion.V2017;
    List<String> factors = DEFAULT_FACTORS;
    int[] cns = {2011, 2051, 2061, 2031};

    // schedule and volume
    double intervalSeconds;
    double durationSeconds;
    long packetsPerDevice;
    long totalPackets;
    int rtdIntervalSeconds;
    int minIntervalMinutes = 10;
    LocalDateTime startTime;
    ZoneId zone = ZoneId.of("Asia/Shanghai");
    int window = 1;

    // acks
    boolean ack = true;
    long ackTimeoutMs = 5000;
    int retries = 3;

    // content
    double exceedanceRate = 0.01;
    double flagRate = 0.005;
    long seed = 212;
    boolean split;
    int splitCp = 120;

    // modes
    Path replay;
    boolean replayRaw;
    boolean replayRewrite;
    double chaos;
    Set<ChaosKind> chaosKinds = EnumSet.allOf(ChaosKind.class);
    double chaosRate = 0.2;
    int slowChunk = 32;
    long slowDelayMs = 20;

    // registration
    URI register;
    String token;
    List<Long> outfallIds = List.of();
    boolean printRegistrations;
    boolean registerOnly;

    // output
    boolean verbose;
    double progressSeconds = 5;
    /** Seconds of in-memory packet building and decoding before the devices connect (JitWarmup). */
    double jitWarmupSeconds;
    Path reportFile;
    Path ackedLog;

    // server mode (AckServer)
    boolean serve;
    double dropAckRate;

    boolean help;

    /** The factor codes as sent: for 2005, 2017 water codes are mapped back to their 2005 codes. */
    List<String> wireFactors() {
        if (protocol != ProtocolVersion.V2005) {
            return factors;
        }
        Map<String, String> back = new LinkedHashMap<>();
        Hj212Codes.water2005To2017().forEach((c2005, c2017) -> back.put(c2017, c2005));
        List<String> out = new ArrayList<>(factors.size());
        for (String f : factors) {
            out.add(back.getOrDefault(f, f));
        }
        return out;
    }

    /** Period of 2011 DataTime steps, seconds. */
    int rtdPeriodSeconds() {
        if (rtdIntervalSeconds > 0) {
            return rtdIntervalSeconds;
        }
        return intervalSeconds >= 1 ? (int) Math.round(intervalSeconds) : 30;
    }

    /** Period of the DataTime of an upload kind, seconds. */
    int periodSeconds(int cn) {
        return switch (cn) {
            case 2011 -> rtdPeriodSeconds();
            case 2051 -> minIntervalMinutes * 60;
            case 2061 -> 3600;
            case 2031 -> 86_400;
            default -> throw new IllegalArgumentException("CN " + cn);
        };
    }

    /** Upload interval a device is registered with: the interval, else the real-time period. */
    int registrationIntervalSeconds() {
        return intervalSeconds >= 1 ? (int) Math.round(intervalSeconds) : rtdPeriodSeconds();
    }

    /** MN of device {@code i} (0-based): prefix + zero-padded number to mnLength characters. */
    String mn(int i) {
        String n = Long.toString(mnStart + i);
        int pad = mnLength - mnPrefix.length() - n.length();
        if (pad < 0) {
            throw new UsageException("--mn-length=" + mnLength + " too short for prefix " + mnPrefix + " and device " + n);
        }
        return mnPrefix + "0".repeat(pad) + n;
    }

    /** PW of device {@code i}: the shared password, or a 6-digit one derived from the MN and seed. */
    String password(int i) {
        if (!passwordPerDevice) {
            return password;
        }
        long h = ValueModel.mix(seed, i, 1072, mn(i).hashCode());
        return String.format(Locale.ROOT, "%06d", Math.floorMod(h, 1_000_000L));
    }

    boolean chaosDevice(int i) {
        return chaos > 0 && Math.floor((i + 1) * chaos) > Math.floor(i * chaos);
    }

    static Options parse(String... args) {
        Options o = new Options();
        Map<String, String> seen = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "' (options are --key=value)");
            }
            int eq = a.indexOf('=');
            String key = eq < 0 ? a.substring(2) : a.substring(2, eq);
            String val = eq < 0 ? null : a.substring(eq + 1);
            if (seen.put(key, val == null ? "" : val) != null) {
                throw new UsageException("option --" + key + " given twice");
            }
            try {
                o.set(key, val);
            } catch (UsageException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new UsageException("bad value for --" + key + ": " + (val == null ? "(none)" : val)
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            }
        }
        o.validate(seen);
        return o;
    }

    private void set(String key, String v) {
        switch (key) {
            case "help", "h" -> help = bool(v);
            case "host" -> host = str(key, v);
            case "port" -> port = range(key, integer(key, v), 0, 65535);
            case "threads" -> threads = range(key, integer(key, v), 1, 256);
            case "connect-rate" -> connectRate = positive(key, number(key, v));
            case "reconnect-delay" -> reconnectDelayMs = range(key, integer(key, v), 0, 600_000);
            case "connect-retries" -> connectRetries = range(key, integer(key, v), 0, 1_000_000);
            case "devices" -> devices = range(key, integer(key, v), 1, 100_000);
            case "mn-prefix" -> mnPrefix = str(key, v);
            case "mn-length" -> mnLength = range(key, integer(key, v), 6, 24);
            case "mn-start" -> mnStart = longValue(key, v);
            case "password" -> password = str(key, v);
            case "password-per-device" -> passwordPerDevice = bool(v);
            case "st" -> st = str(key, v);
            case "protocol" -> protocol = switch (str(key, v)) {
                case "2017" -> ProtocolVersion.V2017;
                case "2005" -> ProtocolVersion.V2005;
                default -> throw new UsageException("--protocol must be 2017 or 2005");
            };
            case "factors" -> factors = List.of(str(key, v).split(","));
            case "cn" -> {
                String[] parts = str(key, v).split(",");
                cns = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    cns[i] = Integer.parseInt(parts[i].trim());
                    if (cns[i] != 2011 && cns[i] != 2051 && cns[i] != 2061 && cns[i] != 2031) {
                        throw new UsageException("--cn accepts 2011, 2051, 2061, 2031: " + parts[i]);
                    }
                }
            }
            case "interval" -> intervalSeconds = nonNegative(key, number(key, v));
            case "duration" -> durationSeconds = positive(key, number(key, v));
            case "packets" -> packetsPerDevice = range(key, longValue(key, v), 1, Long.MAX_VALUE);
            case "total-packets" -> totalPackets = range(key, longValue(key, v), 1, Long.MAX_VALUE);
            case "rtd-interval" -> rtdIntervalSeconds = range(key, integer(key, v), 1, 3600);
            case "min-interval" -> {
                minIntervalMinutes = integer(key, v);
                if (List.of(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30).indexOf(minIntervalMinutes) < 0) {
                    throw new UsageException("--min-interval must be one of 1,2,3,4,5,6,10,12,15,20,30 (minutes)");
                }
            }
            case "start-time" -> {
                startTime = Times.parse(str(key, v).replaceAll("[-:T ]", ""));
                if (startTime == null) {
                    throw new UsageException("--start-time must be yyyyMMddHHmmss or yyyy-MM-ddTHH:mm:ss");
                }
            }
            case "zone" -> zone = ZoneId.of(str(key, v));
            case "window" -> window = range(key, integer(key, v), 1, 10_000);
            case "no-ack" -> ack = !bool(v);
            case "ack-timeout" -> ackTimeoutMs = range(key, longValue(key, v), 1, 3_600_000);
            case "retries" -> retries = range(key, integer(key, v), 0, 99);
            case "exceedance-rate" -> exceedanceRate = fraction(key, number(key, v));
            case "flag-rate" -> flagRate = fraction(key, number(key, v));
            case "seed" -> seed = longValue(key, v);
            case "split" -> split = bool(v);
            case "split-cp" -> {
                splitCp = range(key, integer(key, v), 40, 950);
                split = true;
            }
            case "replay" -> replay = Path.of(str(key, v));
            case "replay-raw" -> replayRaw = bool(v);
            case "replay-rewrite" -> replayRewrite = bool(v);
            case "chaos" -> chaos = v == null ? 0.1 : fraction(key, number(key, v));
            case "chaos-kinds" -> {
                chaosKinds = EnumSet.noneOf(ChaosKind.class);
                for (String k : str(key, v).split(",")) {
                    chaosKinds.add(ChaosKind.parse(k));
                }
            }
            case "chaos-rate" -> chaosRate = fraction(key, number(key, v));
            case "slow-chunk" -> slowChunk = range(key, integer(key, v), 1, 1024);
            case "slow-delay" -> slowDelayMs = range(key, longValue(key, v), 0, 60_000);
            case "register" -> {
                register = URI.create(str(key, v));
                if (register.getScheme() == null || !register.getScheme().startsWith("http")) {
                    throw new UsageException("--register must be an http(s) base URL");
                }
            }
            case "token" -> token = str(key, v);
            case "outfall-ids" -> {
                List<Long> ids = new ArrayList<>();
                for (String s : str(key, v).split(",")) {
                    ids.add(Long.parseLong(s.trim()));
                }
                outfallIds = List.copyOf(ids);
            }
            case "print-registrations" -> printRegistrations = bool(v);
            case "register-only" -> registerOnly = bool(v);
            case "verbose" -> verbose = bool(v);
            case "progress" -> progressSeconds = nonNegative(key, number(key, v));
            case "jit-warmup" -> jitWarmupSeconds = nonNegative(key, number(key, v));
            case "report" -> reportFile = Path.of(str(key, v));
            case "acked-log" -> ackedLog = Path.of(str(key, v));
            case "serve" -> serve = bool(v);
            case "drop-ack-rate" -> dropAckRate = fraction(key, number(key, v));
            default -> throw new UsageException("unknown option --" + key);
        }
    }

    private void validate(Map<String, String> seen) {
        if (help) {
            return;
        }
        if (mnPrefix.length() >= mnLength) {
            throw new UsageException("--mn-prefix must be shorter than --mn-length (" + mnLength + ")");
        }
        mn(devices - 1); // throws when the numbers do not fit
        if (st.length() != 2) {
            throw new UsageException("--st must be 2 characters (32 = wastewater outlets, 21 = surface water)");
        }
        for (String f : factors) {
            if (f.isBlank() || !f.matches("[A-Za-z0-9]+")) {
                throw new UsageException("bad factor code '" + f + "'");
            }
        }
        if (seen.containsKey("password") && passwordPerDevice) {
            throw new UsageException("--password and --password-per-device exclude each other");
        }
        if (packetsPerDevice > 0 && totalPackets > 0) {
            throw new UsageException("--packets (per device) and --total-packets exclude each other");
        }
        if (!serve && !printRegistrations && !registerOnly && durationSeconds == 0 && packetsPerDevice == 0
            && totalPackets == 0 && replay == null) {
            packetsPerDevice = 100; // a bounded default run
        }
        if (register != null && token == null) {
            throw new UsageException("--register needs --token");
        }
        if (registerOnly && register == null) {
            throw new UsageException("--register-only needs --register");
        }
        if (replay != null && (split || protocol == ProtocolVersion.V2005 && seen.containsKey("protocol"))) {
            throw new UsageException("--replay sends the file's frames; --split and --protocol do not apply");
        }
        if (chaos == 0 && (seen.containsKey("chaos-kinds") || seen.containsKey("chaos-rate"))) {
            throw new UsageException("--chaos-kinds/--chaos-rate need --chaos[=fraction]");
        }
        if (chaosKinds.isEmpty()) {
            throw new UsageException("--chaos-kinds is empty");
        }
    }

    private static String str(String key, String v) {
        if (v == null || v.isEmpty()) {
            throw new UsageException("--" + key + " needs a value (--" + key + "=...)");
        }
        return v;
    }

    private static boolean bool(String v) {
        if (v == null || v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("true or false");
    }

    private static int integer(String key, String v) {
        return Integer.parseInt(str(key, v).replace("_", ""));
    }

    private static long longValue(String key, String v) {
        return Long.parseLong(str(key, v).replace("_", ""));
    }

    private static double number(String key, String v) {
        double d = Double.parseDouble(str(key, v));
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("not a finite number");
        }
        return d;
    }

    private static int range(String key, int v, int min, int max) {
        if (v < min || v > max) {
            throw new UsageException("--" + key + " must be " + min + ".." + max + ": " + v);
        }
        return v;
    }

    private static long range(String key, long v, long min, long max) {
        if (v < min || v > max) {
            throw new UsageException("--" + key + " must be " + min + ".." + max + ": " + v);
        }
        return v;
    }

    private static double positive(String key, double v) {
        if (v <= 0) {
            throw new UsageException("--" + key + " must be > 0");
        }
        return v;
    }

    private static double nonNegative(String key, double v) {
        if (v < 0) {
            throw new UsageException("--" + key + " must be >= 0");
        }
        return v;
    }

    private static double fraction(String key, double v) {
        if (v < 0 || v > 1) {
            throw new UsageException("--" + key + " must be between 0 and 1");
        }
        return v;
    }

    static final String USAGE = """
        Usage: java -jar simulator.jar [--key=value ...]
        HJ 212 data-logger simulator and load generator. Prints one JSON report to stdout at the end.

        Connection
          --host=127.0.0.1          server address             --port=9212
          --threads=N               event-loop threads (default: CPU count)
          --connect-rate=500        new connections per second (ramp-up)
          --reconnect-delay=1000    ms before reconnecting after a drop or failed connect
          --connect-retries=5       consecutive failed connects before a device gives up
        Devices
          --devices=10              number of data loggers (one TCP connection each)
          --mn-prefix=8888888 --mn-length=14 --mn-start=1   MN = prefix + zero-padded number (88888880000001…)
          --password=123456 | --password-per-device (6 digits derived from MN and seed)
          --st=32                   system code (32 = wastewater outlets; 21 = surface-water quality)
          --protocol=2017|2005      2005: 2005 factor codes (011, 060, …), Flag without version bits
          --factors=w01018,w21003,w21011,w21001,w01001,w00000   (COD, NH3-N, TP, TN, pH, flow; 2017 codes)
          --cn=2011,2051,2061,2031  upload kinds
        Schedule and volume
          --interval=S              seconds between uploads of each kind per device; 0 = as fast as acks allow
          --duration=S | --packets=N (per device) | --total-packets=N   (default --packets=100)
          --window=1                unacknowledged packets in flight per device
          --start-time=yyyyMMddHHmmss  DataTime of the first record (back-filling); DataTime steps one period
          --rtd-interval=S          2011 DataTime step (default: --interval, else 30)
          --min-interval=10         2051 period, minutes
          --zone=Asia/Shanghai      time zone of QN and DataTime
        Acknowledgement
          --ack-timeout=5000        ms to wait for 9014        --retries=3   resends of the same packet (same QN)
          --no-ack                  Flag without the A bit: fire and forget
        Content
          --exceedance-rate=0.01    --flag-rate=0.005 (D M C F T B)   --seed=212
          --split[=true]            send each record over PNUM/PNO parts   --split-cp=120  max CP chars per part
        Modes
          --replay=FILE             send the frames of a capture (hj212-field-packets.txt format: packet TAB …,
                                    \\r\\n written as text); --replay-raw: FILE is raw bytes; --replay-rewrite: use
                                    each device's MN/PW and fresh QNs; --packets = frames per device (default: file once)
          --chaos[=0.1]             fraction of devices that misbehave; --chaos-kinds=bad-crc,bad-length,garbage,
                                    slow,disconnect; --chaos-rate=0.2 per packet; --slow-chunk=32 --slow-delay=20
        Registration
          --register=URL --token=T  POST URL/api/v1/data-loggers for each device before sending (409 = exists)
          --outfall-ids=1,2,3       assigned round-robin      --register-only   register and exit
          --print-registrations     print CSV rows mn,password,outfallId,factors,intervalSeconds and exit
        Output
          --verbose                 per-device stats in the report     --report=FILE  also write the JSON there
          --progress=5              seconds between progress lines on stderr (0 = off)
          --jit-warmup=0            seconds of in-memory packet building/decoding before connecting, so that
                                    the simulator's own JIT warm-up does not count as ack latency
          --acked-log=FILE          one line per acknowledged packet: MN TAB CN TAB QN TAB DataTime (- if none)
        Test server
          --serve --port=9212 [--drop-ack-rate=0] [--duration=S]   run a minimal acking HJ 212 host
        """;
}
