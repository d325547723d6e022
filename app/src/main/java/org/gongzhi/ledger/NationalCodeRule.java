package org.gongzhi.ledger;

import java.util.Optional;
import org.gongzhi.platform.FieldProblem;

/**
 * How national outfall codes (国家统一赋码) look and are made. HJ 1235-2021's exact layout could not be obtained
 * (outfall-regulation.md §3), so the rule is a bean: declare another {@code NationalCodeRule} bean to replace
 * {@link DefaultNationalCodeRule} once the standard's text is at hand.
 */
public interface NationalCodeRule {

    /** A problem with a code someone supplies (e.g. an import of codes already issued), or empty if acceptable. */
    Optional<FieldProblem> check(String field, String code);

    /** The part of the code that a sequence number is counted under, e.g. county and type. */
    String sequenceKey(String regionCode, OutfallType type);

    /** The code for the n-th outfall under that key. */
    String format(String sequenceKey, int n);
}
