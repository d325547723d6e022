package org.gongzhi.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/**
 * On an empty database the application creates 生态环境部 and the national admin with the configured password
 * (application-test.properties: gongzhi.admin.password=test-admin-password).
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class InitialAdminTest {

    @Autowired MockMvc mvc;
    @Autowired Accounts accounts;
    @Autowired Organizations organizations;
    @Autowired InitialAdmin initialAdmin;
    @Autowired JdbcClient jdbc;

    @Test
    void theNationalAdminExistsInTheMinistry() {
        CurrentUser admin = accounts.loadUserByUsername("admin").currentUser();
        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(admin.jurisdiction()).isEqualTo(Jurisdiction.national());
        Organization ministry = organizations.find(admin.organizationId()).orElseThrow();
        assertThat(ministry.level()).isEqualTo(Organization.Level.MINISTRY);
        assertThat(ministry.name()).isEqualTo("中华人民共和国生态环境部");
    }

    @Test
    void theAdminSignsInThroughTheFormWithTheConfiguredPassword() throws Exception {
        mvc.perform(formLogin("/login").user("admin").password("not-the-password")).andExpect(unauthenticated());
        MockHttpSession session = (MockHttpSession) mvc.perform(formLogin("/login").user("admin").password("test-admin-password"))
                .andExpect(authenticated().withUsername("admin").withRoles("ADMIN"))
                .andReturn().getRequest().getSession(false);
        mvc.perform(get("/api/v1/me").session(session))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.username").value("admin"))
                .andExpect(jsonPath("$.jurisdiction.scope").value("NATIONAL"));
        mvc.perform(get("/admin/users").session(session)).andExpect(status().isOk());
    }

    @Test
    void runningAgainOnADatabaseWithUsersChangesNothing() throws Exception {
        String hash = jdbc.sql("SELECT password_hash FROM app_user WHERE username = 'admin'").query(String.class).single();
        int ministries = jdbc.sql("SELECT count(*) FROM organization WHERE level = 'MINISTRY'").query(Integer.class).single();
        initialAdmin.run(null);
        assertThat(jdbc.sql("SELECT count(*) FROM app_user WHERE username = 'admin'").query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT password_hash FROM app_user WHERE username = 'admin'").query(String.class).single())
                .isEqualTo(hash).doesNotContain("test-admin-password").startsWith("{bcrypt}");
        assertThat(jdbc.sql("SELECT count(*) FROM organization WHERE level = 'MINISTRY'").query(Integer.class).single())
                .isEqualTo(ministries);
    }
}
