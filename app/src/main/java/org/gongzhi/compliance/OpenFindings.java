package org.gongzhi.compliance;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Read access to findings for other modules (supervision weights its random inspection selection by open findings
 * and opens ad-hoc inspections from a finding). No jurisdiction check here: callers hold outfall ids they have
 * already checked through the ledger, and must check {@link Ref#outfallId()} the same way before showing anything.
 */
@Service
public class OpenFindings {

    /** What another module needs to know about one finding. */
    public record Ref(long id, long outfallId, String kind, String factor, String status, Instant windowStart) {
    }

    private final JdbcClient jdbc;

    OpenFindings(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The number of findings not yet resolved (OPEN or ACKNOWLEDGED) per outfall; outfalls without any are absent. */
    public Map<Long, Integer> countsByOutfall(Collection<Long> outfallIds) {
        Map<Long, Integer> out = new LinkedHashMap<>();
        if (outfallIds.isEmpty()) {
            return out;
        }
        jdbc.sql("SELECT outfall_id, count(*) FROM finding WHERE outfall_id = ANY(?) AND status <> 'RESOLVED' GROUP BY outfall_id")
                .param(outfallIds.toArray(Long[]::new))
                .query((rs, i) -> Map.entry(rs.getLong(1), rs.getInt(2))).list()
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    public Optional<Ref> find(long findingId) {
        return jdbc.sql("SELECT id, outfall_id, kind, factor, status, window_start FROM finding WHERE id = ?")
                .param(findingId)
                .query((rs, i) -> new Ref(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getTimestamp(6).toInstant()))
                .optional();
    }
}
