package org.gongzhi.hj212;

/**
 * The one exception the codec throws for bad input, from the single-frame {@link Hj212Packet#decodeFrame} entry
 * point. The streaming {@link Hj212Decoder} never throws for bad input; it reports a {@link Hj212Rejection}.
 */
public final class Hj212DecodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Hj212Rejection rejection;

    public Hj212DecodeException(Hj212Rejection rejection) {
        super(rejection.error() + ": " + rejection.detail());
        this.rejection = rejection;
    }

    public Hj212Error error() {
        return rejection.error();
    }

    public Hj212Rejection rejection() {
        return rejection;
    }
}
