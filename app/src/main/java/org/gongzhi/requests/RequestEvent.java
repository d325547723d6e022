package org.gongzhi.requests;

import java.time.Instant;

/** One step in a request's timeline; public steps feed the requester's page and the Open311 update feed. */
/** RESPONDED is an answer that does not solve the problem, RESOLVED one that does (解决率). */
public record RequestEvent(long id, long requestId, Instant at, Kind kind, Request.Status status, String actor,
                           Long orgId, String note, boolean isPublic) {

    public enum Kind {
        RECEIVED, DISPATCHED, ACCEPTED, TRANSFERRED, OBJECTED, RESPONDED, RESOLVED, RATED, REOPENED, CLOSED, MERGED, MODERATED,
        REMINDED, ESCALATED, INSPECTION_SCHEDULED
    }
}
