package org.gongzhi.platform.security;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/** Password guessing through the real sign-in form: five failures lock the username, even for the right password. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class LoginThrottleTest {

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;

    Organization bureau;

    @BeforeEach
    void setUp() {
        bureau = accounts.regulator(Organization.Level.CITY, "320500");
    }

    private void failOnce(CurrentUser user) throws Exception {
        mvc.perform(formLogin("/login").user(user.username()).password("wrong-password"))
                .andExpect(unauthenticated()).andExpect(redirectedUrl("/login?error"));
    }

    @Test
    void fiveFailuresLockTheUserEvenAgainstTheRightPassword() throws Exception {
        CurrentUser user = accounts.user(Role.REGULATOR, bureau);
        for (int i = 0; i < 5; i++) {
            failOnce(user);
        }
        mvc.perform(formLogin("/login").user(user.username()).password(accounts.password(user)))
                .andExpect(unauthenticated()).andExpect(redirectedUrl("/login?error"));
    }

    @Test
    void fourFailuresDoNotLockAndASuccessStartsTheCountAgain() throws Exception {
        CurrentUser user = accounts.user(Role.INSPECTOR, bureau);
        for (int i = 0; i < 4; i++) {
            failOnce(user);
        }
        mvc.perform(formLogin("/login").user(user.username()).password(accounts.password(user)))
                .andExpect(authenticated().withUsername(user.username()));
        for (int i = 0; i < 4; i++) {
            failOnce(user);
        }
        mvc.perform(formLogin("/login").user(user.username()).password(accounts.password(user)))
                .andExpect(authenticated());
    }

    @Test
    void aLockedUserDoesNotLockOthers() throws Exception {
        CurrentUser guessed = accounts.user(Role.REGULATOR, bureau);
        CurrentUser colleague = accounts.user(Role.REGULATOR, bureau);
        for (int i = 0; i < 6; i++) {
            failOnce(guessed);
        }
        mvc.perform(formLogin("/login").user(colleague.username()).password(accounts.password(colleague)))
                .andExpect(authenticated());
    }

    @Test
    void theFormNeedsItsCsrfTokenAndASuccessfulSignInLandsOnTheLedger() throws Exception {
        CurrentUser user = accounts.user(Role.REGULATOR, bureau);
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/login")
                        .param("username", user.username()).param("password", accounts.password(user)))
                .andExpect(unauthenticated());
        mvc.perform(formLogin("/login").user(user.username()).password(accounts.password(user)))
                .andExpect(authenticated()).andExpect(redirectedUrl("/outfalls"));
    }
}
