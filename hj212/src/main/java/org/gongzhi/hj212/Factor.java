package org.gongzhi.hj212;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * All values of one monitoring factor (pollutant code, equipment {@code SBx}, or i-code) in a CP area, e.g.
 * {@code w01018-Rtd=4653.8,w01018-Flag=N,w01018-SampleTime=…}. Typed getters parse on demand; the raw text of
 * every value stays available ({@link #get}, {@link #items}). When a suffix appears twice (hj212.md §10, a real
 * logger repeats {@code w00000-Avg}) the first value wins and the packet carries a CP_DUPLICATE_KEY warning.
 */
public final class Factor {

    private final String code;
    private final String standardCode;
    /** The CP this factor was read from, and the indexes of its items there, in CP order. */
    private final Cp cp;
    /** Bytes of the code in each key: the field suffix starts after them and the '-'. */
    private final int codeLength;
    private final int[] itemIndexes;

    /**
     * A view over the CP's bytes: values are read (and numbers parsed) straight from them when asked for, so that
     * the gateway's hot path builds no strings and no maps per factor (docs/hj212.md "Design").
     */
    Factor(String code, String standardCode, Cp cp, int codeLength, int[] itemIndexes) {
        this.code = code;
        this.standardCode = standardCode;
        this.cp = cp;
        this.codeLength = codeLength;
        this.itemIndexes = itemIndexes;
    }

    /** The code as sent, e.g. "w01018", "011" (2005), "SB1", "i12001". */
    public String code() {
        return code;
    }

    /**
     * The HJ 212-2017 code: for a 2005-style water packet the 2005 code mapped through
     * {@link Hj212Codes#water2005To2017()} (011 → w01018), else {@link #code()}.
     */
    public String standardCode() {
        return standardCode;
    }

    /** Treatment equipment ({@code SBxxx-RS/RT}). */
    public boolean isEquipment() {
        return code.startsWith("SB");
    }

    /** Field-side information i-code (i11001 log, i12xxx state, i13xxx parameters). */
    public boolean isInfo() {
        return code.length() == 6 && code.charAt(0) == 'i';
    }

    /** Suffix → raw value (first occurrence), in order. */
    public Map<String, String> values() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i : itemIndexes) {
            m.putIfAbsent(cp.suffix(i), cp.value(i));
        }
        return Collections.unmodifiableMap(m);
    }

    /** Every item of this factor in CP order, duplicates included. */
    public List<CpItem> items() {
        List<CpItem> l = new ArrayList<>(itemIndexes.length);
        for (int i : itemIndexes) {
            l.add(new CpItem(cp.key(i), cp.value(i)));
        }
        return Collections.unmodifiableList(l);
    }

    /** Index in the CP of the first item with this suffix, or -1. */
    private int indexOf(String suffix) {
        for (int i : itemIndexes) {
            if (cp.suffixEquals(i, codeLength, suffix)) {
                return i;
            }
        }
        return -1;
    }

    /** Raw text for a suffix such as "Rtd" or a non-standard "ValidNum"; null when absent. */
    public String get(String suffix) {
        int i = indexOf(suffix);
        return i < 0 ? null : cp.value(i);
    }

    /** Raw text of a field; null when absent. */
    public String get(FactorField field) {
        return get(field.suffix());
    }

    public boolean has(FactorField field) {
        return indexOf(field.suffix()) >= 0;
    }

    /** Numeric value of a field; empty when absent or not a number. Parsed from the packet's bytes: no String. */
    public OptionalDouble number(FactorField field) {
        int i = indexOf(field.suffix());
        if (i < 0) {
            return OptionalDouble.empty();
        }
        double d = cp.doubleValue(i);
        return Double.isNaN(d) ? OptionalDouble.empty() : OptionalDouble.of(d);
    }

    /** Exact decimal value of a field (for storage); empty when absent or not a number. */
    public Optional<BigDecimal> decimal(FactorField field) {
        int i = indexOf(field.suffix());
        return i < 0 ? Optional.empty() : Optional.ofNullable(cp.decimalValue(i));
    }

    public OptionalDouble rtd() {
        return number(FactorField.RTD);
    }

    public OptionalDouble min() {
        return number(FactorField.MIN);
    }

    public OptionalDouble avg() {
        return number(FactorField.AVG);
    }

    public OptionalDouble max() {
        return number(FactorField.MAX);
    }

    public OptionalDouble cou() {
        return number(FactorField.COU);
    }

    /** Data flag (-Flag), e.g. "N". */
    public Optional<String> flag() {
        return Optional.ofNullable(get(FactorField.FLAG));
    }

    /** Instrument-specific flag (-EFlag). */
    public Optional<String> eflag() {
        return Optional.ofNullable(get(FactorField.EFLAG));
    }

    /** -SampleTime as a time (N14); empty when absent or malformed. */
    public Optional<LocalDateTime> sampleTime() {
        return Optional.ofNullable(Num.parseTime(get(FactorField.SAMPLE_TIME)));
    }

    /** SBx-RS running state (0 off, 1 running, 2 calibrating, 3 maintenance, 4 alarm, 5 blowback). */
    public OptionalInt runState() {
        OptionalDouble d = number(FactorField.RS);
        if (d.isEmpty() || d.getAsDouble() != Math.rint(d.getAsDouble())) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) d.getAsDouble());
    }

    /** SBx-RT hours run per day. */
    public OptionalDouble runTime() {
        return number(FactorField.RT);
    }

    /** -Info (i-codes), raw text. */
    public Optional<String> info() {
        return Optional.ofNullable(get(FactorField.INFO));
    }

    @Override
    public String toString() {
        return "Factor[" + code + (code.equals(standardCode) ? "" : "→" + standardCode) + " " + values() + "]";
    }
}
