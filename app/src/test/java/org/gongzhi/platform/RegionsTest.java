package org.gongzhi.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;

/** GB/T 2260 regions as loaded by the migration: codes, names, paths and the rule for where an outfall may lie. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class RegionsTest {

    @Autowired Regions regions;

    @Test
    void thirtyOneProvinceLevelDivisionsOfTheMainland() {
        assertThat(regions.provinces()).hasSize(31);
        assertThat(regions.provinces()).extracting(Region::code).contains("110000", "320000", "420000", "650000");
        assertThat(regions.find("320500")).hasValueSatisfying(r -> {
            assertThat(r.name()).isEqualTo("苏州市");
            assertThat(r.level()).isEqualTo(Region.Level.CITY);
            assertThat(r.parentCode()).isEqualTo("320000");
        });
        assertThat(regions.children("320500")).extracting(Region::code).contains("320506", "320581");
    }

    @Test
    void aMunicipalityDistrictReadsWithoutTheCityPlaceholder() {
        assertThat(regions.path("110101")).extracting(Region::name).containsExactly("北京市", "市辖区", "东城区");
        assertThat(regions.fullName("110101")).isEqualTo("北京市东城区");
        assertThat(regions.fullName("320506")).isEqualTo("江苏省苏州市吴中区");
    }

    @Test
    void aProvinceAdministeredCountyHangsUnderItsPseudoCity() {
        assertThat(regions.path("429004")).extracting(Region::code).containsExactly("420000", "429000", "429004");
        assertThat(regions.path("429004")).extracting(Region::name).containsExactly("湖北省", "省直辖县级行政区划", "仙桃市");
        assertThat(regions.fullName("429004")).isEqualTo("湖北省仙桃市");
        assertThat(regions.checkOutfallRegion("regionCode", "429004")).isEmpty();
    }

    @Test
    void anOutfallLiesInACurrentCountyLevelDivision() {
        assertThat(regions.checkOutfallRegion("regionCode", "320506")).isEmpty();
        // a city without counties is itself the lowest level
        assertThat(regions.checkOutfallRegion("regionCode", "441900")).as("东莞市").isEmpty();

        assertThat(reasonEn("")).isEqualTo("region code is required");
        assertThat(reasonEn(null)).isEqualTo("region code is required");
        assertThat(reasonEn("32050")).isEqualTo("region code must be 6 digits");
        assertThat(reasonEn("3205061")).isEqualTo("region code must be 6 digits");
        assertThat(reasonEn("32050a")).isEqualTo("region code must be 6 digits");
        assertThat(reasonEn("３２０５０６")).as("full-width digits").isEqualTo("region code must be 6 digits");
        assertThat(reasonEn("999999")).isEqualTo("not a current GB/T 2260 region code");
        assertThat(reasonEn("320500")).isEqualTo("must be a county-level code, not a province or city");
        assertThat(reasonEn("320000")).isEqualTo("must be a county-level code, not a province or city");
        assertThat(regions.checkOutfallRegion("regionCode", "320500"))
                .hasValueSatisfying(p -> {
                    assertThat(p.field()).isEqualTo("regionCode");
                    assertThat(p.value()).isEqualTo("320500");
                    assertThat(p.reasonZh()).isEqualTo("应填写县级行政区划代码，而不是省或市");
                });
    }

    @Test
    void unknownCodesAreAbsentNotErrors() {
        assertThat(regions.find("999999")).isEmpty();
        assertThat(regions.find(null)).isEmpty();
        assertThat(regions.path("999999")).isEmpty();
        assertThat(regions.fullName("999999")).isEmpty();
        assertThat(regions.children("320506")).isEmpty();
    }

    private String reasonEn(String code) {
        Optional<FieldProblem> p = regions.checkOutfallRegion("regionCode", code);
        return p.map(FieldProblem::reasonEn).orElse(null);
    }
}
