package org.gongzhi.hj212;

/**
 * Protocol generation, from the version bits V5..V0 (bits 2–7) of Flag (hj212.md §3).
 * HJ/T 212-2005 had no version bits (Flag 0–3, or no Flag at all); HJ 212-2017 is version 1 (Flag 4–7);
 * HJ 212-2025 is version 2 (Flag 8–11) as implemented by caoyiliang/HJ212 (hj212.md §14, not verified against the text).
 */
public enum ProtocolVersion {
    V2005(0),
    V2017(1),
    V2025(2),
    /** Version bits with a value no standard defines (Flag 12–255). */
    UNKNOWN(-1);

    private final int code;

    ProtocolVersion(int code) {
        this.code = code;
    }

    /** The version number in bits 2–7 of Flag, or -1 for {@link #UNKNOWN}. */
    public int code() {
        return code;
    }

    /** The Flag bits of this version ({@code code << 2}): 0, 4 or 8. */
    public int flagBits() {
        return code < 0 ? 0 : code << 2;
    }

    /** Version of a packet with this Flag value; a missing Flag ({@code flag < 0}) means a 2005-style packet. */
    public static ProtocolVersion ofFlag(int flag) {
        if (flag < 0) {
            return V2005;
        }
        return switch (flag >>> 2) {
            case 0 -> V2005;
            case 1 -> V2017;
            case 2 -> V2025;
            default -> UNKNOWN;
        };
    }

    /** "2005", "2017", "2025" or "unknown". */
    public String label() {
        return switch (this) {
            case V2005 -> "2005";
            case V2017 -> "2017";
            case V2025 -> "2025";
            case UNKNOWN -> "unknown";
        };
    }
}
