package org.gongzhi.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.servlet.http.Cookie;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.UnifiedSocialCreditCode;
import org.gongzhi.platform.WaterBodies;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/** The administration pages and the account page, through MockMvc as a browser would use them. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class AdminPagesTest {

    private static final Cookie ENGLISH = new Cookie("gz_lang", "en");

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired Accounts userAccounts;
    @Autowired Organizations organizations;
    @Autowired WaterBodies waterBodies;

    Organization suzhouBureau;
    Organization wuxiBureau;
    CurrentUser suzhouAdmin;
    CurrentUser suzhouRegulator;
    CurrentUser wuxiRegulator;

    @BeforeEach
    void setUp() {
        suzhouBureau = accounts.regulator(Organization.Level.CITY, "320500");
        wuxiBureau = accounts.regulator(Organization.Level.CITY, "320200");
        suzhouAdmin = accounts.user(Role.ADMIN, suzhouBureau);
        suzhouRegulator = accounts.user(Role.REGULATOR, suzhouBureau);
        wuxiRegulator = accounts.user(Role.REGULATOR, wuxiBureau);
    }

    static String newUsername(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36);
    }

    /** A valid 统一社会信用代码 that no other test uses: 9132050 + 10 random characters + the check character. */
    static String freshUscc() {
        String alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        StringBuilder sb = new StringBuilder("9132050");
        for (int i = 0; i < 10; i++) {
            sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return sb.append(UnifiedSocialCreditCode.checkCharacter(sb.toString())).toString();
    }

    // ---------------------------------------------------------------- users

    @Test
    void anAdminSeesTheUsersOfTheirJurisdictionOnly() throws Exception {
        mvc.perform(get("/admin/users").with(accounts.as(suzhouAdmin)))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("id=\"new-user-form\"")))
                .andExpect(content().string(Matchers.containsString("id=\"users-table\"")))
                .andExpect(content().string(Matchers.containsString(suzhouRegulator.username())))
                .andExpect(content().string(Matchers.not(Matchers.containsString(wuxiRegulator.username()))))
                // nor the national admin
                .andExpect(content().string(Matchers.not(Matchers.containsString("data-username=\"admin\""))))
                // the Wuxi bureau is not offered as an organization
                .andExpect(content().string(Matchers.not(Matchers.containsString(wuxiBureau.name()))));
    }

    @Test
    void onlyAdministratorsReachTheAdminPages() throws Exception {
        for (String page : new String[] {"/admin/users", "/admin/organizations", "/admin/water-bodies"}) {
            mvc.perform(get(page).with(accounts.as(suzhouRegulator))).andExpect(status().isForbidden());
            mvc.perform(get(page).with(accounts.as(suzhouAdmin))).andExpect(status().isOk());
        }
        mvc.perform(get("/admin").with(accounts.as(suzhouAdmin))).andExpect(redirectedUrl("/admin/users"));
    }

    @Test
    void aCreatedUserCanSignInWithTheInitialPassword() throws Exception {
        String username = newUsername("wang");
        mvc.perform(post("/admin/users").with(accounts.as(suzhouAdmin)).with(csrf())
                        .param("username", username).param("displayName", "王监管").param("role", "REGULATOR")
                        .param("organizationId", String.valueOf(suzhouBureau.id())).param("password", "initial-pass-1"))
                .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/admin/users"))
                .andExpect(flash().attribute("notice", Matchers.containsString(username)));
        mvc.perform(get("/admin/users").with(accounts.as(suzhouAdmin)))
                .andExpect(content().string(Matchers.containsString("data-username=\"" + username + "\"")));
        mvc.perform(formLogin("/login").user(username).password("initial-pass-1")).andExpect(authenticated());
        assertThat(userAccounts.loadUserByUsername(username).currentUser().jurisdiction().regionPrefix()).isEqualTo("3205");
    }

    @Test
    void refusedUserInputIsShownNextToEachFieldInTheReadersLanguage() throws Exception {
        var zh = mvc.perform(post("/admin/users").with(accounts.as(suzhouAdmin)).with(csrf())
                        .param("username", "x").param("displayName", "").param("role", "REGULATOR")
                        .param("organizationId", String.valueOf(wuxiBureau.id())).param("password", "short"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(zh).contains("id=\"form-errors\"", "用户名为3–64位字母", "姓名必填", "密码至少10位", "单位不存在或不在本辖区")
                .doesNotContain("password needs at least 10 characters");
        // what was typed is shown back, except the password
        assertThat(zh).contains("value=\"x\"").doesNotContain("value=\"short\"");

        String en = mvc.perform(post("/admin/users").with(accounts.as(suzhouAdmin)).with(csrf()).cookie(ENGLISH)
                        .param("username", "x").param("displayName", "Wang").param("role", "PARTY")
                        .param("organizationId", String.valueOf(suzhouBureau.id())).param("password", "short"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(en).contains("username: 3 to 64 letters", "password needs at least 10 characters",
                "party users belong to a party; other roles to a regulator").doesNotContain("密码至少10位");
    }

    @Test
    void disablingAUserStopsTheirSignInAndEnablingRestoresIt() throws Exception {
        CurrentUser inspector = accounts.user(Role.INSPECTOR, suzhouBureau);
        mvc.perform(post("/admin/users/" + inspector.id() + "/disable").with(accounts.as(suzhouAdmin)).with(csrf()))
                .andExpect(redirectedUrl("/admin/users"));
        mvc.perform(formLogin("/login").user(inspector.username()).password(accounts.password(inspector)))
                .andExpect(unauthenticated());
        mvc.perform(get("/admin/users").with(accounts.as(suzhouAdmin)))
                .andExpect(content().string(Matchers.containsString("id=\"enable-" + inspector.id() + "\"")));
        mvc.perform(post("/admin/users/" + inspector.id() + "/enable").with(accounts.as(suzhouAdmin)).with(csrf()))
                .andExpect(redirectedUrl("/admin/users"));
        mvc.perform(formLogin("/login").user(inspector.username()).password(accounts.password(inspector)))
                .andExpect(authenticated());
    }

    @Test
    void anAdminCannotDisableThemselvesNorTouchUsersOutsideTheirJurisdiction() throws Exception {
        mvc.perform(post("/admin/users/" + suzhouAdmin.id() + "/disable").with(accounts.as(suzhouAdmin)).with(csrf()))
                .andExpect(redirectedUrl("/admin/users")).andExpect(flash().attributeExists("alert"));
        mvc.perform(formLogin("/login").user(suzhouAdmin.username()).password(accounts.password(suzhouAdmin)))
                .andExpect(authenticated());

        mvc.perform(post("/admin/users/" + wuxiRegulator.id() + "/disable").with(accounts.as(suzhouAdmin)).with(csrf()))
                .andExpect(status().isNotFound());
        mvc.perform(post("/admin/users/" + wuxiRegulator.id() + "/password").param("password", "taken-over-123")
                .with(accounts.as(suzhouAdmin)).with(csrf())).andExpect(status().isNotFound());
        mvc.perform(formLogin("/login").user(wuxiRegulator.username()).password(accounts.password(wuxiRegulator)))
                .andExpect(authenticated());
    }

    @Test
    void disablingAUserOrResettingTheirPasswordEndsTheirOpenBrowserSession() throws Exception {
        for (String action : new String[] {"disable", "password"}) {
            CurrentUser inspector = accounts.user(Role.INSPECTOR, suzhouBureau);
            org.springframework.mock.web.MockHttpSession session = (org.springframework.mock.web.MockHttpSession) mvc
                    .perform(formLogin("/login").user(inspector.username()).password(accounts.password(inspector)))
                    .andExpect(authenticated()).andReturn().getRequest().getSession();
            mvc.perform(get("/outfalls").session(session)).andExpect(status().isOk());

            var change = action.equals("disable")
                    ? post("/admin/users/" + inspector.id() + "/disable")
                    : post("/admin/users/" + inspector.id() + "/password").param("password", "a-new-password-1");
            mvc.perform(change.with(accounts.as(suzhouAdmin)).with(csrf())).andExpect(redirectedUrl("/admin/users"));

            mvc.perform(get("/outfalls").session(session).accept(org.springframework.http.MediaType.TEXT_HTML))
                    .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
        }
        // and a session that signs in after the reset works
        CurrentUser user = accounts.user(Role.REGULATOR, suzhouBureau);
        mvc.perform(post("/admin/users/" + user.id() + "/password").param("password", "a-new-password-2")
                .with(accounts.as(suzhouAdmin)).with(csrf())).andExpect(redirectedUrl("/admin/users"));
        org.springframework.mock.web.MockHttpSession fresh = (org.springframework.mock.web.MockHttpSession) mvc
                .perform(formLogin("/login").user(user.username()).password("a-new-password-2"))
                .andExpect(authenticated()).andReturn().getRequest().getSession();
        mvc.perform(get("/outfalls").session(fresh)).andExpect(status().isOk());
    }

    @Test
    void anAdminManagesTheUsersOfOrganizationsWhoseReachIsInsideTheirOwnOnly() throws Exception {
        CurrentUser national = accounts.existing("admin");
        // A basin bureau reaches beyond any region: a region code given for it is not stored.
        mvc.perform(post("/admin/organizations").with(accounts.as(national)).with(csrf())
                        .param("kind", "REGULATOR").param("name", "测试流域局" + System.nanoTime()).param("level", "BASIN_BUREAU")
                        .param("basin", "TAIHU").param("regionCode", "320500"))
                .andExpect(redirectedUrl("/admin/organizations"));
        Organization basin = organizations.visibleTo(national, Organization.Kind.REGULATOR).stream()
                .filter(o -> o.level() == Organization.Level.BASIN_BUREAU && o.name().startsWith("测试流域局"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(basin.regionCode()).isNull();
        // so the Suzhou admin cannot put an administrator into it
        mvc.perform(post("/admin/users").with(accounts.as(suzhouAdmin)).with(csrf())
                        .param("username", newUsername("basin-admin")).param("displayName", "越权").param("role", "ADMIN")
                        .param("organizationId", String.valueOf(basin.id())).param("password", "long-enough-123"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("单位不存在或不在本辖区")));

        // A basin administrator manages its bureau's users, not the parties its outfalls belong to.
        CurrentUser basinAdmin = accounts.user(Role.ADMIN, accounts.basinBureau(org.gongzhi.platform.Basin.TAIHU));
        Organization wuxiParty = accounts.party("320211");
        CurrentUser partyUser = accounts.user(Role.PARTY, wuxiParty);
        mvc.perform(post("/admin/users").with(accounts.as(basinAdmin)).with(csrf())
                        .param("username", newUsername("party-taken")).param("displayName", "越权").param("role", "PARTY")
                        .param("organizationId", String.valueOf(wuxiParty.id())).param("password", "long-enough-123"))
                .andExpect(content().string(Matchers.containsString("单位不存在或不在本辖区")));
        mvc.perform(post("/admin/users/" + partyUser.id() + "/password").param("password", "taken-over-123")
                .with(accounts.as(basinAdmin)).with(csrf())).andExpect(status().isNotFound());
        mvc.perform(post("/admin/users").with(accounts.as(basinAdmin)).with(csrf())
                        .param("username", newUsername("basin-inspector")).param("displayName", "流域检查员")
                        .param("role", "INSPECTOR").param("organizationId", String.valueOf(basinAdmin.organizationId()))
                        .param("password", "long-enough-123"))
                .andExpect(redirectedUrl("/admin/users"));
    }

    @Test
    void resetPasswordReplacesTheOldOne() throws Exception {
        CurrentUser user = accounts.user(Role.REGULATOR, suzhouBureau);
        mvc.perform(post("/admin/users/" + user.id() + "/password").param("password", "short")
                        .with(accounts.as(suzhouAdmin)).with(csrf()))
                .andExpect(redirectedUrl("/admin/users")).andExpect(flash().attribute("resetFor", user.id()));
        mvc.perform(post("/admin/users/" + user.id() + "/password").param("password", "a-new-password")
                        .with(accounts.as(suzhouAdmin)).with(csrf()))
                .andExpect(redirectedUrl("/admin/users")).andExpect(flash().attributeExists("notice"));
        mvc.perform(formLogin("/login").user(user.username()).password(accounts.password(user))).andExpect(unauthenticated());
        mvc.perform(formLogin("/login").user(user.username()).password("a-new-password")).andExpect(authenticated());
    }

    @Test
    void formsNeedTheirCsrfToken() throws Exception {
        mvc.perform(post("/admin/users").with(accounts.as(suzhouAdmin)).param("username", newUsername("csrf")))
                .andExpect(status().isForbidden());
        String page = mvc.perform(get("/admin/users").with(accounts.as(suzhouAdmin))).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("name=\"_csrf\"");
    }

    // ---------------------------------------------------------------- organizations

    @Test
    void anAdminCreatesAPartyWithAValidCreditCode() throws Exception {
        String uscc = freshUscc();
        String name = "苏州测试新材料有限公司" + System.nanoTime();
        mvc.perform(post("/admin/organizations").with(accounts.as(suzhouAdmin)).with(csrf())
                        .param("kind", "PARTY").param("name", name).param("partyType", "ENTERPRISE")
                        .param("uscc", uscc.toLowerCase()).param("regionCode", "320506").param("contactPhone", "0512-12345678")
                        // fields of the other kind are ignored
                        .param("level", "CITY"))
                .andExpect(redirectedUrl("/admin/organizations"));
        assertThat(organizations.findByUscc(uscc)).hasValueSatisfying(o -> {
            assertThat(o.name()).isEqualTo(name);
            assertThat(o.level()).isNull();
        });
        mvc.perform(get("/admin/organizations").with(accounts.as(suzhouAdmin)))
                .andExpect(content().string(Matchers.containsString("id=\"orgs-table\"")))
                .andExpect(content().string(Matchers.containsString(name)));
        mvc.perform(get("/admin/organizations").with(accounts.as(accounts.user(Role.ADMIN, wuxiBureau))))
                .andExpect(content().string(Matchers.not(Matchers.containsString(name))));
    }

    @Test
    void aWrongCreditCodeIsNamedWithTheExpectedCheckCharacter() throws Exception {
        String valid = freshUscc();
        char wrong = valid.charAt(17) == '0' ? '1' : '0';
        String expected = String.valueOf(valid.charAt(17));
        String html = mvc.perform(post("/admin/organizations").with(accounts.as(suzhouAdmin)).with(csrf())
                        .param("kind", "PARTY").param("name", "校验码错误公司").param("partyType", "ENTERPRISE")
                        .param("uscc", valid.substring(0, 17) + wrong).param("regionCode", "320506"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(html).contains("校验码错误，应为" + expected);
        String en = mvc.perform(post("/admin/organizations").with(accounts.as(suzhouAdmin)).with(csrf()).cookie(ENGLISH)
                        .param("kind", "PARTY").param("name", "Bad code Ltd").param("partyType", "ENTERPRISE")
                        .param("uscc", "91320506MA1OOOOOO1").param("regionCode", "320506"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(en).contains("is not allowed (I, O, S, V, Z are not used)");
    }

    @Test
    void aCityAdminCreatesCountyRegulatorsButNotMinistriesOrBasinBureausNorOutsideTheCity() throws Exception {
        String county = "吴中区生态环境局" + System.nanoTime();
        mvc.perform(post("/admin/organizations").with(accounts.as(suzhouAdmin)).with(csrf())
                        .param("kind", "REGULATOR").param("name", county).param("level", "COUNTY").param("regionCode", "320506"))
                .andExpect(redirectedUrl("/admin/organizations"));

        String outside = mvc.perform(post("/admin/organizations").with(accounts.as(suzhouAdmin)).with(csrf())
                        .param("kind", "REGULATOR").param("name", "锡山区生态环境局").param("level", "COUNTY")
                        .param("regionCode", "320205"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(outside).contains("只能在本辖区内创建单位");

        // A ministry or basin bureau would see far more than the city: that would be a way out of the jurisdiction.
        for (String level : new String[] {"MINISTRY", "BASIN_BUREAU"}) {
            String html = mvc.perform(post("/admin/organizations").with(accounts.as(suzhouAdmin)).with(csrf())
                            .param("kind", "REGULATOR").param("name", "越权" + level).param("level", level)
                            .param("basin", "TAIHU").param("regionCode", "320506"))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertThat(html).as(level).contains("id=\"form-errors\"", "只有国家级管理员可以创建生态环境部或流域局");
            assertThat(organizations.visibleTo(CurrentUser.system(), Organization.Kind.REGULATOR))
                    .noneMatch(o -> o.name().equals("越权" + level));
        }
    }

    // ---------------------------------------------------------------- water bodies

    @Test
    void anAdminAddsAWaterBodyAndADuplicateCodeIsAFieldErrorNotACrash() throws Exception {
        String code = "AJ" + Long.toString(System.nanoTime(), 36).toUpperCase();
        String name = "测试河" + System.nanoTime();
        mvc.perform(post("/admin/water-bodies").with(accounts.as(suzhouAdmin)).with(csrf())
                        .param("name", name).param("kind", "RIVER").param("basin", "TAIHU").param("hj932Code", code)
                        .param("targetClass", "III").param("regionCode", "320500"))
                .andExpect(redirectedUrl("/admin/water-bodies"));
        assertThat(waterBodies.findByName(name)).hasValueSatisfying(w -> assertThat(w.hj932Code()).isEqualTo(code));
        mvc.perform(get("/admin/water-bodies").with(accounts.as(suzhouAdmin)))
                .andExpect(content().string(Matchers.containsString(name)));

        String html = mvc.perform(post("/admin/water-bodies").with(accounts.as(suzhouAdmin)).with(csrf())
                        .param("name", name + "2").param("kind", "RIVER").param("basin", "TAIHU").param("hj932Code", code))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(html).contains("id=\"form-errors\"", "该HJ 932水体编码已登记");
        String same = mvc.perform(post("/admin/water-bodies").with(accounts.as(suzhouAdmin)).with(csrf())
                        .param("name", name).param("kind", "RIVER").param("basin", "TAIHU").param("regionCode", "320500"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(same).contains("id=\"form-errors\"", "该行政区内已有同名水体");
        String bad = mvc.perform(post("/admin/water-bodies").with(accounts.as(suzhouAdmin)).with(csrf()).cookie(ENGLISH)
                        .param("name", "").param("kind", "").param("basin", "TAIHU").param("targetClass", "VI"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(bad).contains("name is required", "kind is required");
    }

    // ---------------------------------------------------------------- account and API tokens

    @Test
    void anyoneSignedInIssuesATokenThatIsShownOnceAndWorksAsBearer() throws Exception {
        CurrentUser party = accounts.user(Role.PARTY, accounts.party("320506"));
        mvc.perform(get("/account").with(accounts.as(party)))
                .andExpect(status().isOk()).andExpect(content().string(Matchers.containsString("id=\"issue-token\"")));
        String html = mvc.perform(post("/account/tokens").param("name", "同步").with(accounts.as(party)).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(result -> assertThat(result.getResponse().getHeader("Cache-Control")).contains("no-store"))
                .andReturn().getResponse().getContentAsString();
        Matcher m = Pattern.compile("id=\"token-value\"[^>]*value=\"(gz_[A-Za-z0-9_-]+)\"").matcher(html);
        assertThat(m.find()).as("token shown in #token-value").isTrue();
        String token = m.group(1);

        mvc.perform(get("/api/v1/me").header("Authorization", "Bearer " + token))
                .andExpect(status().isOk()).andExpect(content().string(Matchers.containsString(party.username())));
        String again = mvc.perform(get("/account").with(accounts.as(party))).andReturn().getResponse().getContentAsString();
        assertThat(again).doesNotContain(token).contains("同步");

        long tokenId = userAccounts.tokensOf(party).get(0).id();
        // someone else cannot revoke it
        mvc.perform(post("/account/tokens/" + tokenId + "/revoke").with(accounts.as(suzhouRegulator)).with(csrf()))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/me").header("Authorization", "Bearer " + token)).andExpect(status().isOk());
        mvc.perform(post("/account/tokens/" + tokenId + "/revoke").with(accounts.as(party)).with(csrf()))
                .andExpect(redirectedUrl("/account"));
        mvc.perform(get("/api/v1/me").header("Authorization", "Bearer " + token)).andExpect(status().isUnauthorized());
    }

    @Test
    void theAccountPageNeedsASignIn() throws Exception {
        mvc.perform(get("/account").accept("text/html")).andExpect(status().is3xxRedirection())
                .andExpect(result -> assertThat(result.getResponse().getRedirectedUrl()).endsWith("/login"));
    }
}
