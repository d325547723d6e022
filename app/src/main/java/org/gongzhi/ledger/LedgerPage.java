package org.gongzhi.ledger;

import java.util.List;

/**
 * One page of a search. {@code total} is exact when {@code totalExact}; otherwise more than
 * {@code total} outfalls match (counting stops there) and the reader is told "10,000+".
 */
public record LedgerPage<T>(List<T> items, long total, boolean totalExact, int page, int size) {

    public int pages() {
        return (int) ((total + size - 1) / size);
    }
}
