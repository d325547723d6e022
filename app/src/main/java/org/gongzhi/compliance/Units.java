package org.gongzhi.compliance;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;

/**
 * Explicit unit conversion for limits and values. A unit belongs to one dimension and converts to the dimension's
 * base unit by a fixed decimal factor; nothing converts across dimensions (a COD limit in L/s is refused, not
 * guessed). A factor accepts the dimension of its HJ 212 unit (hj212.md §8) and, for pollutants, mass (a load on
 * the interval's {@code -Cou}, kg in HJ 212) and, for flow, volume (m³, the flow's {@code -Cou}).
 */
final class Units {

    private Units() {
    }

    enum Dimension {
        /** mass concentration, base mg/L */
        CONCENTRATION(Map.of("mg/L", "1", "µg/L", "0.001", "ug/L", "0.001", "μg/L", "0.001", "ng/L", "0.000001",
                "g/L", "1000")),
        /** flow rate, base L/s (factors may be exact ratios) */
        FLOW(Map.of("L/s", "1", "m³/s", "1000", "m3/s", "1000", "m³/h", "1000/3600",
                "m3/h", "1000/3600", "m³/d", "1000/86400", "m3/d", "1000/86400")),
        /** mass (a load over an interval), base kg */
        MASS(Map.of("kg", "1", "g", "0.001", "t", "1000")),
        /** volume, base m³ */
        VOLUME(Map.of("m³", "1", "m3", "1", "L", "0.001")),
        /** pH, dimensionless */
        PH(Map.of("", "1", "无量纲", "1", "pH", "1")),
        /** water temperature, base ℃ */
        TEMPERATURE(Map.of("℃", "1", "°C", "1")),
        /** counts per volume, base 个/L */
        COUNT(Map.of("个/L", "1", "MPN/L", "1", "CFU/L", "1")),
        /** colour as dilution ratio (稀释倍数) */
        DILUTION(Map.of("倍", "1", "稀释倍数", "1"));

        private final Map<String, String> toBase;

        Dimension(Map<String, String> toBase) {
            this.toBase = toBase;
        }

        boolean has(String unit) {
            return toBase.containsKey(unit);
        }
    }

    static Optional<Dimension> dimensionOf(String unit) {
        String u = unit == null ? "" : unit.trim();
        return Arrays.stream(Dimension.values()).filter(d -> d.has(u)).findFirst();
    }

    /** Whether {@code unit} can express a limit on {@code factor} (its own dimension, or a load/volume). */
    static boolean fits(Factor factor, String unit) {
        Dimension d = dimensionOf(unit).orElse(null);
        if (d == null) {
            return false;
        }
        return d == factor.dimension
                || (factor.dimension == Dimension.CONCENTRATION && d == Dimension.MASS)
                || (factor.dimension == Dimension.FLOW && d == Dimension.VOLUME);
    }

    /** The problem with a limit's factor and unit, if any, in Chinese and English. */
    static Optional<FieldProblem> problem(String field, String factorCode, String unit) {
        Optional<Factor> factor = Factor.of(factorCode);
        if (factor.isEmpty()) {
            return Optional.of(FieldProblem.of("factor", factorCode, "未知的监测因子编码（应为 HJ 212-2017 编码，如 w01018）",
                    "unknown factor code (use the HJ 212-2017 code, e.g. w01018)"));
        }
        if (dimensionOf(unit).isEmpty()) {
            return Optional.of(FieldProblem.of(field, unit, "未知的单位（可用如 mg/L、µg/L、L/s、m³/d、kg）",
                    "unknown unit (use e.g. mg/L, µg/L, L/s, m³/d, kg)"));
        }
        if (!fits(factor.get(), unit)) {
            Factor f = factor.get();
            return Optional.of(FieldProblem.of(field, unit,
                    "单位“" + unit + "”不适用于" + f.nameZh + "（" + f.code + "），其单位为 " + display(f.unit),
                    "unit \"" + unit + "\" does not fit " + f.nameEn + " (" + f.code + "), measured in " + display(f.unit)));
        }
        return Optional.empty();
    }

    static void require(String field, String factorCode, String unit) {
        problem(field, factorCode, unit).ifPresent(p -> {
            throw new InvalidInputException(p);
        });
    }

    /**
     * {@code value} in {@code from} expressed in {@code to}; both units must be of one dimension.
     *
     * @throws IllegalArgumentException across dimensions or for an unknown unit
     */
    static BigDecimal convert(BigDecimal value, String from, String to) {
        Dimension a = dimensionOf(from).orElseThrow(() -> new IllegalArgumentException("unknown unit " + from));
        Dimension b = dimensionOf(to).orElseThrow(() -> new IllegalArgumentException("unknown unit " + to));
        if (a != b) {
            throw new IllegalArgumentException("cannot convert " + from + " (" + a + ") to " + to + " (" + b + ")");
        }
        String fu = from == null ? "" : from.trim();
        String tu = to == null ? "" : to.trim();
        if (fu.equals(tu)) {
            return value;
        }
        // exact ratios ("1000/86400" for m³/d → L/s), one division at the end: 1 L/s is exactly 86.4 m³/d
        BigDecimal[] f = ratio(a.toBase.get(fu));
        BigDecimal[] t = ratio(b.toBase.get(tu));
        return value.multiply(f[0]).multiply(t[1])
                .divide(f[1].multiply(t[0]), MathContext.DECIMAL64).stripTrailingZeros();
    }

    private static BigDecimal[] ratio(String s) {
        int slash = s.indexOf('/');
        return slash < 0 ? new BigDecimal[] {new BigDecimal(s), BigDecimal.ONE}
                : new BigDecimal[] {new BigDecimal(s.substring(0, slash)), new BigDecimal(s.substring(slash + 1))};
    }

    /** A limit value in the factor's HJ 212 unit (what online values are stored in). */
    static BigDecimal toFactorUnit(Factor factor, BigDecimal value, String unit) {
        return convert(value, unit, factor.unit);
    }

    private static String display(String unit) {
        return unit.isEmpty() ? "无量纲 / dimensionless" : unit;
    }
}
