package org.gongzhi.supervision;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.WaterBodies;
import org.springframework.stereotype.Component;

/**
 * The WHERE clause that cuts a supervision table to the caller's jurisdiction, from the copies of region, water body
 * and party each record carries: a region subtree, the water bodies of a basin, or the party's own records. Every
 * read of this module adds it, so that what is outside the jurisdiction is never loaded (and answers 404).
 */
@Component
class Scope {

    /** A clause with its named parameters. */
    record Clause(String sql, Map<String, Object> params) {
    }

    private final WaterBodies waterBodies;

    Scope(WaterBodies waterBodies) {
        this.waterBodies = waterBodies;
    }

    /** For a table (alias {@code a}) with region_code, water_body_id and party_id columns. */
    Clause of(String a, CurrentUser user) {
        return of(a, user, true);
    }

    /** As {@link #of(String, CurrentUser)}; {@code partyMay} false for tables a party never sees (no party_id). */
    Clause of(String a, CurrentUser user, boolean partyMay) {
        Jurisdiction j = user.jurisdiction();
        Map<String, Object> p = new LinkedHashMap<>();
        String sql = switch (j.scope()) {
            case NATIONAL -> "TRUE";
            case REGION -> {
                p.put("jRegion", j.regionPrefix() + "%");
                yield a + ".region_code LIKE :jRegion";
            }
            case BASIN -> {
                p.put("jWaters", waterBodies.idsInBasin(j.basin()).toArray(Long[]::new));
                yield "coalesce(" + a + ".water_body_id = ANY(:jWaters), false)";
            }
            case PARTY -> {
                if (!partyMay) {
                    yield "FALSE";
                }
                p.put("jParty", j.partyId());
                yield "coalesce(" + a + ".party_id = :jParty, false)";
            }
        };
        return new Clause("(" + sql + ")", p);
    }

    /**
     * For campaigns (alias {@code c}): its region inside a regional jurisdiction, its basin for a basin bureau, or the
     * caller's bureau among the organizer and participants (a city participating in a basin bureau's 流域抽查).
     * Parties see no campaign; they see the plans and orders addressed to them.
     */
    Clause campaign(String c, CurrentUser user) {
        Jurisdiction j = user.jurisdiction();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("jOrg", user.organizationId());
        String member = c + ".organizer_id = :jOrg OR :jOrg = ANY(" + c + ".participant_ids)";
        String sql = switch (j.scope()) {
            case NATIONAL -> "TRUE";
            case REGION -> {
                p.put("jRegion", j.regionPrefix() + "%");
                yield "coalesce(" + c + ".region_code LIKE :jRegion, false) OR " + member;
            }
            case BASIN -> {
                p.put("jBasin", j.basin().name());
                yield "coalesce(" + c + ".basin = :jBasin, false) OR " + member;
            }
            case PARTY -> "FALSE";
        };
        return new Clause("(" + sql + ")", p);
    }
}
