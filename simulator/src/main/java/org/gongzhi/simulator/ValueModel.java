package org.gongzhi.simulator;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.gongzhi.hj212.Hj212Codes;

/**
 * Realistic effluent values for one device: per factor a base level (scaled per device), a daily pattern (cosine
 * peaking at 09:00), Gaussian noise, occasional exceedances and non-N data flags.
 *
 * <p>Deterministic: the values of a record depend only on (seed, device, CN, DataTime), so a history request
 * (2051/2061/2031 with BeginTime/EndTime) returns the same numbers the device uploaded live.
 *
 * <p>Units follow hj212.md §8: flow w00000 in L/s (111 L/s ≈ 400 m³/h), Cou of flow in m³, Cou of pollutants in
 * kg (G = D·C·10⁻³, App. D). Exceedance limits are GB 18918-2002 class 1A (COD 50, NH3-N 5, TP 0.5, TN 15 mg/L,
 * pH 6–9).
 */
final class ValueModel {

    /** One factor's behaviour. {@code absolute}: amplitude and noise in units (pH), else relative to the base. */
    record Profile(String code, double base, double amplitude, double noise, boolean absolute, double low, double high,
                   int decimals, boolean cou) {
    }

    static final Map<String, Profile> PROFILES = Map.of(
        "w01018", new Profile("w01018", 30, 0.25, 0.08, false, Double.NaN, 50, 1, true),     // COD mg/L
        "w21003", new Profile("w21003", 1.5, 0.40, 0.15, false, Double.NaN, 5, 2, true),     // NH3-N mg/L
        "w21011", new Profile("w21011", 0.3, 0.25, 0.12, false, Double.NaN, 0.5, 2, true),   // TP mg/L
        "w21001", new Profile("w21001", 10, 0.20, 0.08, false, Double.NaN, 15, 2, true),     // TN mg/L
        "w01001", new Profile("w01001", 7.2, 0.15, 0.05, true, 6, 9, 2, false),              // pH
        "w00000", new Profile("w00000", 111, 0.35, 0.05, false, Double.NaN, Double.NaN, 2, true), // flow L/s
        "w01010", new Profile("w01010", 18, 1.5, 0.2, true, Double.NaN, Double.NaN, 1, false),    // water temp °C
        "w01012", new Profile("w01012", 8, 0.3, 0.15, false, Double.NaN, 10, 0, true)        // SS mg/L
    );

    /** Flags other than N (2017, hj212.md §7); S (manual set value) is left out on purpose. */
    static final String[] FLAGS_2017 = {"D", "M", "C", "F", "T", "B"};
    /** 2005 flags other than N. */
    static final String[] FLAGS_2005 = {"P", "F", "C", "M", "T", "D"};

    private static final double FLOW_BASE = 111;
    /** Sub-samples per aggregate period: min/avg/max come from these. */
    private static final int SAMPLES = 12;

    /** A factor's value in one record: rtd (2011) or min/avg/max/cou (2051/2061/2031); cou NaN when not applicable. */
    record FactorValue(String code, double rtd, double min, double avg, double max, double cou, String flag,
                       boolean exceeded) {
    }

    private final long seed;
    private final int device;
    private final List<Profile> profiles;
    private final double[] scale;
    private final double exceedanceRate;
    private final double flagRate;
    private final String[] flags;

    /**
     * @param factors 2017 (or 2005 water) codes; the profile is looked up by the 2017 code, unknown codes get a
     *                generic profile (base 10, limit 20)
     */
    ValueModel(long seed, int device, List<String> factors, double exceedanceRate, double flagRate, boolean v2005) {
        this.seed = seed;
        this.device = device;
        this.exceedanceRate = exceedanceRate;
        this.flagRate = flagRate;
        this.flags = v2005 ? FLAGS_2005 : FLAGS_2017;
        this.profiles = new ArrayList<>(factors.size());
        this.scale = new double[factors.size()];
        SplittableRandom r = new SplittableRandom(mix(seed, device, 0, 0));
        for (int i = 0; i < factors.size(); i++) {
            Profile p = profile(factors.get(i));
            profiles.add(p);
            // plants differ: flow 0.3–3x, concentrations 0.7–1.3x, pH ±0.3
            scale[i] = p.code().equals("w00000") ? 0.3 + 2.7 * r.nextDouble() : p.absolute() ? r.nextDouble(-0.3, 0.3)
                : 0.7 + 0.6 * r.nextDouble();
        }
    }

    static Profile profile(String code) {
        String std = code.length() == 3 ? nullToSelf(Hj212Codes.water2017Code(code), code) : code;
        Profile p = PROFILES.get(std);
        return p != null ? p : new Profile(std, 10, 0.2, 0.1, false, Double.NaN, 20, 2, true);
    }

    private static String nullToSelf(String v, String self) {
        return v == null ? self : v;
    }

    List<Profile> profiles() {
        return profiles;
    }

    /** Real-time values at {@code t} (CN 2011). */
    List<FactorValue> realtime(LocalDateTime t) {
        SplittableRandom r = new SplittableRandom(mix(seed, device, 2011, t.toEpochSecond(ZoneOffset.UTC)));
        List<FactorValue> out = new ArrayList<>(profiles.size());
        double daily = daily(t);
        for (int i = 0; i < profiles.size(); i++) {
            Profile p = profiles.get(i);
            boolean exceed = canExceed(p) && r.nextDouble() < exceedanceRate;
            double v = exceed ? exceedValue(p, r) : sample(p, i, daily, r);
            String flag = r.nextDouble() < flagRate ? flags[r.nextInt(flags.length)] : "N";
            out.add(new FactorValue(p.code(), round(v, p), Double.NaN, Double.NaN, Double.NaN, Double.NaN, flag, exceed));
        }
        return out;
    }

    /** Min/Avg/Max/Cou over [start, start+seconds) (CN 2051/2061/2031); Cou per hj212.md §8 units. */
    List<FactorValue> aggregate(int cn, LocalDateTime start, int seconds) {
        SplittableRandom r = new SplittableRandom(mix(seed, device, cn, start.toEpochSecond(ZoneOffset.UTC)));
        double[][] samples = new double[profiles.size()][SAMPLES];
        // the daily pattern at each sub-sample time, shared by the factors (the same numbers as per factor)
        double[] daily = new double[SAMPLES];
        for (int k = 0; k < SAMPLES; k++) {
            daily[k] = daily(start.plusSeconds((long) ((k + 0.5) * seconds / SAMPLES)));
        }
        double flowAvg = Double.NaN;
        for (int i = 0; i < profiles.size(); i++) {
            Profile p = profiles.get(i);
            for (int k = 0; k < SAMPLES; k++) {
                samples[i][k] = sample(p, i, daily[k], r);
            }
            if (p.code().equals("w00000")) {
                flowAvg = mean(samples[i]);
            }
        }
        if (Double.isNaN(flowAvg)) {
            flowAvg = FLOW_BASE;
        }
        double volumeM3 = flowAvg * seconds / 1000.0;
        List<FactorValue> out = new ArrayList<>(profiles.size());
        for (int i = 0; i < profiles.size(); i++) {
            Profile p = profiles.get(i);
            double[] s = samples[i];
            boolean exceed = canExceed(p) && r.nextDouble() < exceedanceRate;
            if (exceed) {
                // an episode covering a third of the period: max over the limit, the average usually too
                for (int k = 0; k < SAMPLES / 3; k++) {
                    s[r.nextInt(SAMPLES)] = exceedValue(p, r);
                }
                s[0] = exceedValue(p, r);
            }
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (double v : s) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double avg = mean(s);
            double cou = !p.cou() ? Double.NaN : p.code().equals("w00000") ? volumeM3 : avg * volumeM3 / 1000.0;
            // roll-up (App. C, wastewater): abnormal if any value inside was abnormal
            String flag = r.nextDouble() < flagRate ? flags[r.nextInt(flags.length)] : "N";
            out.add(new FactorValue(p.code(), Double.NaN, round(min, p), round(avg, p), round(max, p),
                Double.isNaN(cou) ? cou : Math.round(cou * 1000) / 1000.0, flag, exceed));
        }
        return out;
    }

    /** The daily pattern at {@code t}: a cosine peaking at 09:00, with its trough at 21:00. */
    private static double daily(LocalDateTime t) {
        double hours = t.getHour() + t.getMinute() / 60.0 + t.getSecond() / 3600.0;
        return Math.cos(2 * Math.PI * (hours - 9) / 24);
    }

    private double sample(Profile p, int i, double daily, SplittableRandom r) {
        double v;
        if (p.absolute()) {
            v = p.base() + scale[i] + p.amplitude() * daily + p.noise() * r.nextGaussian();
        } else {
            double base = p.base() * scale[i];
            v = base * (1 + p.amplitude() * daily) * (1 + p.noise() * r.nextGaussian());
        }
        // keep normal values inside the limits (an exceedance is decided separately) and non-negative
        if (!Double.isNaN(p.high())) {
            v = Math.min(v, p.high() * 0.97);
        }
        if (!Double.isNaN(p.low())) {
            v = Math.max(v, p.low() * 1.03);
        }
        return Math.max(v, 0);
    }

    private static boolean canExceed(Profile p) {
        return !Double.isNaN(p.high());
    }

    private static double exceedValue(Profile p, SplittableRandom r) {
        if (!Double.isNaN(p.low()) && r.nextBoolean()) {
            return p.low() - (0.2 + r.nextDouble()); // pH below 6
        }
        return p.absolute() ? p.high() + 0.2 + r.nextDouble() : p.high() * (1.1 + 0.9 * r.nextDouble());
    }

    private static double round(double v, Profile p) {
        double f = Math.pow(10, p.decimals());
        return Math.round(v * f) / f;
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }

    static long mix(long seed, int device, int cn, long t) {
        long h = seed * 0x9E3779B97F4A7C15L + device;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + cn;
        h = (h ^ (h >>> 29)) * 0x94D049BB133111EBL + t;
        return h ^ (h >>> 32);
    }
}
