package org.gongzhi.requests;

import java.util.Optional;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.supervision.PublicRequestReferences;
import org.springframework.stereotype.Component;

/**
 * Answers the supervision module's question about a public request typed into an ad-hoc inspection (see
 * {@link PublicRequestReferences}), with the same jurisdiction rule as every read of requests.
 */
@Component
class InspectionReferences implements PublicRequestReferences {

    private final RequestStore store;

    InspectionReferences(RequestStore store) {
        this.store = store;
    }

    @Override
    public Optional<Reference> find(long requestId, CurrentUser user) {
        return store.find(requestId, user).map(r -> new Reference(r.id(), r.outfallId()));
    }
}
