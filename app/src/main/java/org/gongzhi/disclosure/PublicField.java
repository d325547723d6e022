package org.gongzhi.disclosure;

import java.util.Locale;

/**
 * The fields of an outfall that may be disclosed, each switched on or off by {@code gongzhi.disclosure.public-fields}
 * (written as here, or in camel case: {@code LEGAL_BASIS} or {@code legalBasis}). Name and national code are always
 * public: they identify the outfall and its URL (outfall-regulation.md §4.1).
 *
 * <p>COMPLIANCE is the count of open findings; COMPLIANCE_SUMMARY the 12-month status per factor; LEGAL_BASIS the
 * approval decision or registration in force; LIMITS the limits in force today; REMEDIATION the 一口一策 plan and
 * open rectification orders.
 */
public enum PublicField {
    TYPE, LIFECYCLE, PARTIES, PARTY_USCC, WATER_BODY, REGION, LOCATION, DISCHARGE, REGIME, LEGAL_BASIS, LIMITS, MONITORING,
    COMPLIANCE, COMPLIANCE_SUMMARY, REMEDIATION, SIGNBOARD, BUREAU;

    /** A configured name: {@code LEGAL_BASIS}, {@code legal_basis} or {@code legalBasis}; unknown names fail start-up. */
    static PublicField parse(String name) {
        String key = name.trim().replaceAll("([a-z])([A-Z])", "$1_$2").replace('-', '_').toUpperCase(Locale.ROOT);
        return valueOf(key);
    }
}
