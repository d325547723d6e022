package org.gongzhi.ledger;

import java.time.Instant;

/**
 * Filters over the ledger; the same filters drive the list, exports and the map.
 *
 * @param regionCode  a region and all below it
 * @param typeCode    an HJ 1312 type code, or a level-1 name (INDUSTRIAL, URBAN_WWTP, AGRICULTURAL, OTHER)
 * @param text        a substring of the name, national code or local code
 * @param asOf        the ledger as it stood at this instant; null for now
 */
public record LedgerQuery(String regionCode, String typeCode, Regime regime, Lifecycle lifecycle, Long waterBodyId,
                          Long partyId, String text, Instant asOf, Sort sort, boolean descending, int page, int size) {

    public enum Sort { NAME, CODE, UPDATED, REGION }

    public static final int MAX_PAGE_SIZE = 500;

    public LedgerQuery {
        sort = sort == null ? Sort.CODE : sort;
        page = Math.max(page, 0);
        size = size <= 0 ? 20 : Math.min(size, MAX_PAGE_SIZE);
        text = text == null || text.isBlank() ? null : text.trim();
        regionCode = regionCode == null || regionCode.isBlank() ? null : regionCode.trim();
        typeCode = typeCode == null || typeCode.isBlank() ? null : typeCode.trim();
    }

    public static LedgerQuery all() {
        return new LedgerQuery(null, null, null, null, null, null, null, null, null, false, 0, 20);
    }

    public LedgerQuery withPage(int page, int size) {
        return new LedgerQuery(regionCode, typeCode, regime, lifecycle, waterBodyId, partyId, text, asOf, sort,
                descending, page, size);
    }
}
