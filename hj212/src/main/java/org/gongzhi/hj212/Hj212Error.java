package org.gongzhi.hj212;

/**
 * Why a chunk of the input was rejected. Every malformed input ends in exactly one of these (docs/hj212.md,
 * "Error codes"). After any of them the decoder resynchronises at the next {@code ##}.
 */
public enum Hj212Error {
    /** Bytes that are not the start of a frame: anything before {@code ##} (garbage, a stray tail, a lone {@code #}). */
    BAD_HEADER("bytes before the next ## (not a frame start)"),
    /**
     * The 4-character length field is not 4 decimal digits, or the declared length does not match where the frame
     * really ends (no 4 hex CRC digits at the declared end, or the next frame starts inside the declared length).
     * hj212.md §10: "declared length ≠ actual length".
     */
    BAD_LENGTH("length field is not 4 digits or does not match the frame"),
    /** The declared length exceeds the configured hard maximum; the body is skipped without being buffered. */
    TOO_LONG("declared length above the configured hard maximum"),
    /** The 4 hex digits after the data segment are not the Annex A CRC of it (and lenient MODBUS did not apply). */
    BAD_CRC("CRC does not match the data segment (Annex A)"),
    /** CRC is right but the data segment is unusable: no {@code CP=&&…&&}, or no valid 4-digit CN. */
    BAD_FIELD("data segment lacks CN or CP=&&…&&"),
    /** The input ended (decoder {@code finish()}) in the middle of a frame whose declared length was not reached. */
    TRUNCATED("input ended inside a frame");

    private final String description;

    Hj212Error(String description) {
        this.description = description;
    }

    /** One line of English for logs and the CLI. */
    public String description() {
        return description;
    }
}
