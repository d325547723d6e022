package org.gongzhi.ledger;

import java.time.Instant;

/**
 * The ledger's filters as query parameters ({@code ?region=320500&type=INDUSTRIAL&q=化工…}), bound once for the
 * search API, the exports and the map, so that the same filters always mean the same thing.
 *
 * @param region    a region code; the region and everything below it
 * @param type      an HJ 1312 type code or a level-1 type (INDUSTRIAL, URBAN_WWTP, AGRICULTURAL, OTHER)
 * @param waterBody a water body id
 * @param party     a responsible party's organization id
 * @param q         a substring of the name, national code or local code
 * @param asOf      the ledger as it stood at this instant (ISO-8601); absent for now
 */
record LedgerFilters(String region, String type, Regime regime, Lifecycle lifecycle, Long waterBody, Long party,
                     String q, Instant asOf) {

    LedgerQuery query(LedgerQuery.Sort sort, boolean descending, int page, int size) {
        return new LedgerQuery(region, type, regime, lifecycle, waterBody, party, q, asOf, sort, descending, page, size);
    }

    /** All matches, for exports and the map (they stream, so page and size do not apply). */
    LedgerQuery all() {
        return query(null, false, 0, 1);
    }
}
