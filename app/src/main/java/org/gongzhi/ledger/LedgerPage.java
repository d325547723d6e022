package org.gongzhi.ledger;

import java.util.List;

/** One page of a search, with the total number of matches. */
public record LedgerPage<T>(List<T> items, long total, int page, int size) {

    public int pages() {
        return (int) ((total + size - 1) / size);
    }
}
