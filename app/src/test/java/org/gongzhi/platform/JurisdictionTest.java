package org.gongzhi.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Who sees what: the jurisdiction of each kind of organization, and which region codes it covers. */
class JurisdictionTest {

    @Test
    void regionCodesNestByTheirSignificantDigits() {
        assertThat(Region.significantPrefix("320000")).isEqualTo("32");
        assertThat(Region.significantPrefix("320500")).isEqualTo("3205");
        assertThat(Region.significantPrefix("320506")).isEqualTo("320506");
        // 省直辖县级行政区划 nest under their 4290 pseudo-city
        assertThat(Region.significantPrefix("429000")).isEqualTo("4290");
        assertThat(Region.significantPrefix("429004")).isEqualTo("429004");
    }

    @Test
    void aProvinceCoversItsCitiesAndCountiesOnly() {
        Jurisdiction jiangsu = Jurisdiction.region("320000");
        assertThat(jiangsu.scope()).isEqualTo(Jurisdiction.Scope.REGION);
        assertThat(jiangsu.regionPrefix()).isEqualTo("32");
        assertThat(jiangsu.coversRegion("320000")).isTrue();
        assertThat(jiangsu.coversRegion("320500")).isTrue();
        assertThat(jiangsu.coversRegion("320506")).isTrue();
        assertThat(jiangsu.coversRegion("320205")).isTrue();
        assertThat(jiangsu.coversRegion("330106")).isFalse();
        assertThat(jiangsu.coversRegion(null)).isFalse();
    }

    @Test
    void aCityCoversItsCountiesButNotItsNeighbours() {
        Jurisdiction suzhou = Jurisdiction.region("320500");
        assertThat(suzhou.coversRegion("320506")).isTrue();
        assertThat(suzhou.coversRegion("320500")).isTrue();
        assertThat(suzhou.coversRegion("320205")).as("无锡市锡山区").isFalse();
        assertThat(suzhou.coversRegion("320000")).as("the province above").isFalse();
    }

    @Test
    void aCountyCoversItselfAndAProvinceAdministeredCountyIsACountyToo() {
        Jurisdiction wuzhong = Jurisdiction.region("320506");
        assertThat(wuzhong.coversRegion("320506")).isTrue();
        assertThat(wuzhong.coversRegion("320505")).isFalse();

        Jurisdiction xiantao = Jurisdiction.region("429004");
        assertThat(xiantao.coversRegion("429004")).isTrue();
        assertThat(xiantao.coversRegion("429005")).as("潜江市").isFalse();
        assertThat(Jurisdiction.region("429000").coversRegion("429004")).isTrue();
        assertThat(Jurisdiction.region("420000").coversRegion("429004")).isTrue();
    }

    @Test
    void nationalCoversEverythingWhileBasinAndPartyCoverNoRegion() {
        assertThat(Jurisdiction.national().coversRegion("650102")).isTrue();
        // A basin bureau or a party is not a region: what they see is decided by outfall, not by region code.
        assertThat(Jurisdiction.basin(Basin.TAIHU).coversRegion("320506")).isFalse();
        assertThat(Jurisdiction.party(42).coversRegion("320506")).isFalse();
    }

    @Test
    void eachScopeNeedsItsKey() {
        assertThatThrownBy(() -> new Jurisdiction(Jurisdiction.Scope.REGION, null, null, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("regionPrefix");
        assertThatThrownBy(() -> new Jurisdiction(Jurisdiction.Scope.BASIN, null, null, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("basin");
        assertThatThrownBy(() -> new Jurisdiction(Jurisdiction.Scope.PARTY, null, null, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("partyId");
        assertThatThrownBy(() -> new Jurisdiction(null, null, null, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anOrganizationsJurisdictionFollowsItsKindAndLevel() {
        assertThat(regulator(Organization.Level.MINISTRY, null, null).jurisdiction()).isEqualTo(Jurisdiction.national());
        assertThat(regulator(Organization.Level.BASIN_BUREAU, null, Basin.YANGTZE).jurisdiction())
                .isEqualTo(Jurisdiction.basin(Basin.YANGTZE));
        assertThat(regulator(Organization.Level.PROVINCE, "320000", null).jurisdiction().regionPrefix()).isEqualTo("32");
        assertThat(regulator(Organization.Level.CITY, "320500", null).jurisdiction().regionPrefix()).isEqualTo("3205");
        assertThat(regulator(Organization.Level.COUNTY, "320506", null).jurisdiction().regionPrefix()).isEqualTo("320506");
        Organization party = new Organization(77, Organization.Kind.PARTY, "甲公司", null, "320506", null,
                Organization.PartyType.ENTERPRISE, null, null);
        assertThat(party.jurisdiction()).isEqualTo(Jurisdiction.party(77));
    }

    @Test
    void onlyRegulatorsOutsidePartiesEditTheLedger() {
        Jurisdiction suzhou = Jurisdiction.region("320500");
        assertThat(user(Role.ADMIN, suzhou).canEditLedger()).isTrue();
        assertThat(user(Role.REGULATOR, suzhou).canEditLedger()).isTrue();
        assertThat(user(Role.INSPECTOR, suzhou).canEditLedger()).isFalse();
        assertThat(user(Role.PARTY, Jurisdiction.party(1)).canEditLedger()).isFalse();
        // even a role that could edit cannot when it acts for a party
        assertThat(user(Role.REGULATOR, Jurisdiction.party(1)).canEditLedger()).isFalse();
    }

    private static Organization regulator(Organization.Level level, String region, Basin basin) {
        return new Organization(1, Organization.Kind.REGULATOR, "局", level, region, basin, null, null, null);
    }

    private static CurrentUser user(Role role, Jurisdiction j) {
        return new CurrentUser(1, "u", "U", role, 1, "org", j);
    }
}
