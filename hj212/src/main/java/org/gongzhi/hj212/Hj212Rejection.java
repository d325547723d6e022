package org.gongzhi.hj212;

/**
 * A chunk of input the decoder dropped, with the reason.
 *
 * @param error       named reason (documented in docs/hj212.md)
 * @param offset      stream offset of the first dropped byte
 * @param length      number of dropped bytes (may exceed {@code sample.length})
 * @param detail      human-readable specifics, e.g. "declared 181, segment appears to be 183 bytes"
 * @param sample      the first dropped bytes (at most the whole frame for BAD_CRC/BAD_FIELD, else up to 256 bytes)
 * @param crcGiven    the CRC written in the frame, or -1 if not read
 * @param crcExpected the Annex A CRC of the data segment, or -1 if not computed
 * @param unverified  for BAD_CRC and BAD_FIELD: the data segment parsed anyway, for diagnostics and for answering
 *                    a host request with QnRtn=9 (hj212.md §1). Never store or act on its data. Null otherwise.
 */
public record Hj212Rejection(Hj212Error error, long offset, long length, String detail, byte[] sample,
                             int crcGiven, int crcExpected, Hj212Packet unverified) implements Hj212Result {

    public Hj212Rejection {
        java.util.Objects.requireNonNull(error, "error");
        detail = detail == null ? "" : detail;
        sample = sample == null ? new byte[0] : sample;
    }

    @Override
    public boolean ok() {
        return false;
    }

    /** The sample as text (UTF-8, malformed bytes replaced). */
    public String sampleText() {
        return new String(sample, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Hj212Rejection[" + error + " @" + offset + "+" + length + ": " + detail + "]";
    }
}
