package org.gongzhi.platform;

/** The caller may see the thing but not do this to it (e.g. an inspector editing the ledger). */
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String message) {
        super(message);
    }
}
