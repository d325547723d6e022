package org.gongzhi.hj212;

/**
 * One {@code key=value} of the CP data area, as text (trimmed of surrounding spaces). Keys are case-sensitive.
 */
public record CpItem(String key, String value) {

    public CpItem {
        java.util.Objects.requireNonNull(key, "key");
        java.util.Objects.requireNonNull(value, "value");
    }

    /** Shorthand for {@code new CpItem(key, value)}. */
    public static CpItem of(String key, String value) {
        return new CpItem(key, value);
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
