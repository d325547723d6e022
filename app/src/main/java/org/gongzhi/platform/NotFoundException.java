package org.gongzhi.platform;

/**
 * The thing does not exist, or lies outside the caller's jurisdiction: both answer 404, so that a foreign
 * jurisdiction cannot learn which ids exist.
 */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what) {
        super(what);
    }
}
