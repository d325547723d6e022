package org.gongzhi.disclosure;

/**
 * The fields of an outfall that may be disclosed, each switched on or off by {@code gongzhi.disclosure.public-fields}.
 * Name and national code are always public: they identify the outfall and its URL (outfall-regulation.md §4.1).
 */
public enum PublicField {
    TYPE, LIFECYCLE, PARTIES, PARTY_USCC, WATER_BODY, REGION, LOCATION, DISCHARGE, REGIME, MONITORING, COMPLIANCE, SIGNBOARD,
    BUREAU
}
