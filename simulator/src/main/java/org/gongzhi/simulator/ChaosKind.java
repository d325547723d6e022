package org.gongzhi.simulator;

import java.util.Locale;

/** How a chaos device misbehaves (one kind per device). */
enum ChaosKind {
    /** Injects extra frames whose CRC is wrong (own QN; must never be acked). */
    BAD_CRC("bad-crc"),
    /** Injects extra frames whose 4-digit length does not match the segment (own QN; must never be acked). */
    BAD_LENGTH("bad-length"),
    /** Writes random bytes (never '#') before some frames; the frame after the garbage must still be acked. */
    GARBAGE("garbage"),
    /** Trickles every frame a few bytes at a time with pauses. Frames are valid and must be acked. */
    SLOW("slow"),
    /** Writes half a frame, then resets the connection (SO_LINGER 0), reconnects and resends. */
    DISCONNECT("disconnect");

    private final String label;

    ChaosKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static ChaosKind parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (ChaosKind k : values()) {
            if (k.label.equals(t)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown chaos kind '" + s + "' (bad-crc, bad-length, garbage, slow, disconnect)");
    }
}
