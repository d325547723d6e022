package org.gongzhi.hj212;

/**
 * Something odd about an accepted packet that did not stop it being used. Each is a hazard seen in real traffic
 * (hj212.md §10); the gateway logs them per station so a field engineer can get the data logger fixed.
 *
 * @param code   stable machine-readable code
 * @param detail human-readable specifics (the offending key, value or count); never null
 */
public record Hj212Warning(Code code, String detail) {

    public Hj212Warning {
        java.util.Objects.requireNonNull(code, "code");
        detail = detail == null ? "" : detail;
    }

    /** Warning codes, documented in docs/hj212.md. */
    public enum Code {
        /** Data segment longer than the 1024 bytes the standard allows (accepted up to the hard maximum). */
        OVERSIZE,
        /** No CR LF after the CRC (the next byte was something else, or the input ended). */
        TAIL_MISSING,
        /** Only LF after the CRC. */
        TAIL_LF_ONLY,
        /** Only CR after the CRC. */
        TAIL_CR_ONLY,
        /** CRC accepted in lenient mode because it is CRC-16/MODBUS written low byte first, not Annex A. */
        CRC_MODBUS,
        /** A header field (QN, ST, …) was separated by ',' instead of ';' (the standard's own C.22 typo). */
        HEADER_COMMA,
        /** No ';' between the last header field and CP (the standard's own C.19 typo {@code Flag=5CP=}). */
        HEADER_NO_SEPARATOR_BEFORE_CP,
        /** A header item without '=' or with an unknown name. */
        HEADER_BAD_ITEM,
        /** A header field appears twice; the first one is used. */
        HEADER_DUPLICATE,
        /** QN is present but not 17 digits. */
        QN_FORMAT,
        /** ST is not 2 characters (e.g. {@code ST=101}). */
        ST_FORMAT,
        /** CN is not a command code of HJ 212-2005/2017/2025 (e.g. vendor 9021). */
        CN_UNKNOWN,
        /** Flag is not a number 0–255; treated as absent. */
        FLAG_FORMAT,
        /** PNUM or PNO is not a positive number, or PNO &gt; PNUM. */
        PNUM_FORMAT,
        /** Flag has D=1 (split) but PNUM/PNO are missing. */
        SPLIT_WITHOUT_PNUM,
        /** PNUM/PNO present although Flag has D=0 or Flag is missing. */
        PNUM_WITHOUT_SPLIT_FLAG,
        /** Bytes after the closing {@code &&} of CP. */
        TRAILING_DATA,
        /** Spaces around keys, values or the whole CP ({@code i12003-Info =0}, {@code CP=&& &&}); trimmed. */
        CP_SPACES,
        /** Empty item in CP: a trailing ';' before {@code &&}, or {@code ;;}, {@code ,,}. */
        CP_EMPTY_ITEM,
        /** A CP item without '='; skipped (its text is in the detail and in the raw segment). */
        CP_ITEM_WITHOUT_EQUALS,
        /** The same CP key appears twice; typed access returns the first. */
        CP_DUPLICATE_KEY
    }
}
