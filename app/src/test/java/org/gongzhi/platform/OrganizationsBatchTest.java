package org.gongzhi.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest
@ActiveProfiles("test")
class OrganizationsBatchTest {

    @Autowired Organizations organizations;
    @Autowired AuditLog audit;

    private static String uscc(int n) {
        String first17 = "91320506" + String.format("%09d", 700_000_000 + n);
        return first17 + UnifiedSocialCreditCode.checkCharacter(first17);
    }

    private static Organization party(int n, String region) {
        return new Organization(0, Organization.Kind.PARTY, "批量企业" + n + "有限公司", null, region, null,
                Organization.PartyType.ENTERPRISE, uscc(n), null);
    }

    @Test
    void manyPartiesAreCreatedInOrderEachWithItsOwnAuditEntryAndTheChainStaysIntact() {
        List<Organization> created = organizations.createParties(
                IntStream.range(0, 250).mapToObj(i -> party(i, "320506")).toList(), CurrentUser.system());
        assertThat(created).hasSize(250);
        for (int i = 0; i < created.size(); i++) {
            Organization o = organizations.find(created.get(i).id()).orElseThrow();
            assertThat(o.name()).isEqualTo("批量企业" + i + "有限公司");
            assertThat(o.uscc()).isEqualTo(uscc(i));
        }
        assertThat(audit.forEntity("organization", String.valueOf(created.get(249).id()))).hasSize(1);
        AuditLog.Verification v = audit.verify();
        assertThat(v.intact()).as(v.problem()).isTrue();
    }

    @Test
    void nothingIsCreatedWhenOnePartyIsInvalidOrOutsideTheJurisdiction() {
        Organization bad = new Organization(0, Organization.Kind.PARTY, "坏代码企业", null, "320506", null,
                Organization.PartyType.ENTERPRISE, "91320506MA1XXXXX0X", null);
        assertThatThrownBy(() -> organizations.createParties(List.of(party(900, "320506"), bad), CurrentUser.system()))
                .isInstanceOf(InvalidInputException.class);
        assertThat(organizations.findByUscc(uscc(900))).isEmpty();

        CurrentUser wuxi = new CurrentUser(1, "wuxi-test", "x", Role.REGULATOR, 1, "无锡", Jurisdiction.region("320200"));
        assertThatThrownBy(() -> organizations.createParties(List.of(party(901, "320506")), wuxi))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).problems().get(0).reasonEn())
                        .contains("inside your jurisdiction"));
        assertThat(organizations.findByUscc(uscc(901))).isEmpty();
    }
}
