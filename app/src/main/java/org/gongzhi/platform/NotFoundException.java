package org.gongzhi.platform;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * The thing does not exist, or lies outside the caller's jurisdiction: both answer 404, so that a foreign
 * jurisdiction cannot learn which ids exist. The REST API answers with problem+json (ApiProblems); pages get a
 * plain 404 through the status below.
 */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what) {
        super(what);
    }
}
