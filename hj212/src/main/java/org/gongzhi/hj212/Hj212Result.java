package org.gongzhi.hj212;

/**
 * One outcome of the streaming {@link Hj212Decoder}: either an accepted {@link Hj212Packet} or a
 * {@link Hj212Rejection} naming why a chunk of input was dropped. Every input byte ends up in exactly one result
 * (or is still pending inside the decoder).
 */
public sealed interface Hj212Result permits Hj212Packet, Hj212Rejection {

    /** Offset of the first byte of this chunk in the decoder's input stream. */
    long offset();

    /** Number of input bytes this result accounts for (frame plus any tail for packets). */
    long length();

    /** True for an accepted packet. */
    boolean ok();
}
