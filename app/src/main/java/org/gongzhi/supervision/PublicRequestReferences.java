package org.gongzhi.supervision;

import java.util.Optional;
import org.gongzhi.platform.CurrentUser;

/**
 * What an ad-hoc inspection needs to know about the public request (接诉即办) it follows: does a request with this id
 * exist in the caller's jurisdiction, and which outfall is it about. Implemented by the requests module, which already
 * depends on supervision (it schedules inspections through {@link Supervision}); declaring the question here keeps
 * supervision from depending on requests, which would be a cycle.
 */
public interface PublicRequestReferences {

    /** A request the caller may see; {@code outfallId} is null when the report names no outfall. */
    record Reference(long requestId, Long outfallId) {
    }

    /** The request with this id if it exists and lies in the caller's jurisdiction, else empty. */
    Optional<Reference> find(long requestId, CurrentUser user);
}
