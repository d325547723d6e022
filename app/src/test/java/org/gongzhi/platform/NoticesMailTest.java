package org.gongzhi.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Notices by e-mail, when enabled: the users of the organization who gave an address on /notices get each new notice
 * once, through a real SMTP conversation (a listener on a local port), Bcc so colleagues do not see each other's
 * addresses, with the link on the configured public address; a bad address is refused with the field's reason; the
 * audit log and the application log never hold a whole address.
 */
@SpringBootTest(properties = {"gongzhi.notices.mail.enabled=true", "gongzhi.notices.mail.from=notices@gongzhi.test",
        "gongzhi.public.base-url=https://gongzhi.example.cn"})
@AutoConfigureMockMvc
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class NoticesMailTest {

    static final SmtpListener SMTP = new SmtpListener();

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", SMTP::port);
    }

    @AfterAll
    static void stop() throws Exception {
        SMTP.close();
    }

    @Autowired Notices notices;
    @Autowired TestAccounts accounts;
    @Autowired MockMvc mvc;
    @Autowired JdbcClient jdbc;

    private MvcResult setAddress(CurrentUser user, String email) throws Exception {
        return mvc.perform(post("/notices/email").param("email", email).param("lang", "en").with(accounts.as(user)).with(csrf()))
                .andReturn();
    }

    @Test
    void theOrganizationsUsersWithAnAddressGetEachNoticeOnce(CapturedOutput output) throws Exception {
        Organization party = accounts.party("320506");
        CurrentUser manager = accounts.user(Role.PARTY, party);
        CurrentUser clerk = accounts.user(Role.PARTY, party);
        accounts.user(Role.PARTY, party); // no address: gets no mail
        String managerMail = "manager" + System.nanoTime() + "@example.cn";
        String clerkMail = "clerk" + System.nanoTime() + "@example.cn";

        assertThat(setAddress(manager, "not-an-address").getFlashMap().get("problems").toString())
                .contains("email: not a valid e-mail address");
        assertThat(setAddress(manager, managerMail).getFlashMap().get("saved")).isEqualTo(true);
        setAddress(clerk, clerkMail);
        assertThat(jdbc.sql("SELECT after_json FROM audit_log WHERE action = 'SET_NOTICE_EMAIL' AND entity_id = ? ORDER BY id DESC LIMIT 1")
                .param(String.valueOf(manager.id())).query(String.class).single()).contains("m***@example.cn").doesNotContain(managerMail);

        String key = "test:mail:" + System.nanoTime();
        Notices.Message m = new Notices.Message("整改通知即将到期", "Rectification order due soon", "整改通知 #7 须于 2026-12-10 前完成。",
                "Rectification order #7 is due on 2026-12-10.", "/supervision/orders/7");
        assertThat(notices.send(party.id(), key, m)).isTrue();

        String raw = SMTP.messages.poll(20, TimeUnit.SECONDS);
        assertThat(raw).as("an e-mail arrived at the SMTP listener").isNotNull();
        Set<String> to = new HashSet<>();
        for (String r; (r = SMTP.recipients.poll(1, TimeUnit.SECONDS)) != null; ) {
            to.add(r);
        }
        assertThat(to).containsExactlyInAnyOrder("<" + managerMail + ">", "<" + clerkMail + ">");
        assertThat(raw).as("Bcc: no recipient's address in the message").doesNotContain(managerMail).doesNotContain(clerkMail);
        MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(mail.getSubject()).contains("整改通知即将到期").contains("Rectification order due soon");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("notices@gongzhi.test");
        assertThat(String.valueOf(mail.getContent())).contains("须于 2026-12-10 前完成").contains("is due on 2026-12-10")
                .contains("https://gongzhi.example.cn/supervision/orders/7");
        assertThat(jdbc.sql("SELECT mail_status FROM notice WHERE organization_id = ? AND dedup_key = ?").params(party.id(), key)
                .query(String.class).single()).isEqualTo("SENT");

        // The same reminder again: not stored, not mailed
        assertThat(notices.send(party.id(), key, m)).isFalse();
        assertThat(SMTP.messages.poll(3, TimeUnit.SECONDS)).isNull();
        assertThat(output.getAll()).doesNotContain(managerMail).doesNotContain(clerkMail);
    }
}
