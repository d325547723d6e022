package org.gongzhi.platform;

import java.util.Objects;

/**
 * The part of the country whose data a user may see: everything (生态环境部), a region subtree (省/市/县),
 * a basin (流域局), or the outfalls of one responsible party. Repositories turn it into a WHERE clause, so that
 * scoping happens in the data layer for every query, not in the UI.
 *
 * @param regionPrefix for REGION: the significant digits of the root region code ("32" for 320000, "3205" for 320500)
 */
public record Jurisdiction(Scope scope, String regionPrefix, Basin basin, Long partyId) {

    public enum Scope { NATIONAL, REGION, BASIN, PARTY }

    public Jurisdiction {
        Objects.requireNonNull(scope, "scope");
        switch (scope) {
            case REGION -> Objects.requireNonNull(regionPrefix, "regionPrefix");
            case BASIN -> Objects.requireNonNull(basin, "basin");
            case PARTY -> Objects.requireNonNull(partyId, "partyId");
            case NATIONAL -> { }
        }
    }

    public static Jurisdiction national() {
        return new Jurisdiction(Scope.NATIONAL, null, null, null);
    }

    public static Jurisdiction region(String regionCode) {
        return new Jurisdiction(Scope.REGION, Region.significantPrefix(regionCode), null, null);
    }

    public static Jurisdiction basin(Basin basin) {
        return new Jurisdiction(Scope.BASIN, null, basin, null);
    }

    public static Jurisdiction party(long organizationId) {
        return new Jurisdiction(Scope.PARTY, null, null, organizationId);
    }

    /** Whether a region code lies inside a REGION or NATIONAL jurisdiction (used to check what a user writes). */
    public boolean coversRegion(String regionCode) {
        return switch (scope) {
            case NATIONAL -> true;
            case REGION -> regionCode != null && regionCode.startsWith(regionPrefix);
            case BASIN, PARTY -> false;
        };
    }
}
