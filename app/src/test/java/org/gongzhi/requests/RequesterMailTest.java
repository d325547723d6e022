package org.gongzhi.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.SmtpListener;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * The requester is told by e-mail when the bureau answers, through a real SMTP conversation with a small SMTP listener
 * on a local port (the mail goes over a socket exactly as to a real relay); without an address nothing is sent, and
 * the address never appears in the log.
 */
@SpringBootTest(properties = {"gongzhi.requests.mail.enabled=true", "gongzhi.requests.mail.from=noreply@gongzhi.test",
        "gongzhi.public.base-url=https://gongzhi.example.cn"})
@AutoConfigureMockMvc
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class RequesterMailTest {

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

    @Autowired PublicRequests requests;
    @Autowired TestAccounts accounts;
    @Autowired MockMvc mvc;
    @Autowired JsonMapper json;

    @Test
    void theRequesterGetsTheAnswerByEmail_andNoAddressMeansNoMail(CapturedOutput output) throws Exception {
        CurrentUser city = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        Organization party = accounts.party("320506");
        MockHttpServletResponse r = mvc.perform(post("/api/v1/outfalls").with(accounts.as(city)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfall": {"name": "邮件通知测试%d号排污口", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320506",
                         "longitude": 120.61, "latitude": 31.26, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "排查"}"""
                        .formatted(System.nanoTime(), party.id()))).andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(201);
        String code = json.readTree(r.getContentAsString()).get("nationalCode").asString();

        String address = "citizen" + System.nanoTime() + "@example.cn";
        Request withMail = submit(code, address);
        requests.accept(withMail.id(), CurrentUser.system());
        requests.reply(withMail.id(), "已到现场检查，系雨污混接，已责令整改。", true, CurrentUser.system());

        String raw = SMTP.messages.poll(20, TimeUnit.SECONDS);
        assertThat(raw).as("an e-mail arrived at the SMTP listener").isNotNull();
        assertThat(SMTP.recipients.poll(1, TimeUnit.SECONDS)).isEqualTo("<" + address + ">");
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(m.getSubject()).contains("您反映的问题已答复").contains("#" + withMail.id());
        assertThat(m.getFrom()[0].toString()).isEqualTo("noreply@gongzhi.test");
        assertThat(String.valueOf(m.getContent())).contains("已到现场检查，系雨污混接，已责令整改。")
                .contains("https://gongzhi.example.cn/r/" + withMail.token()).contains("Your report");

        // No address given: answered without mail.
        Request anonymous = submit(code, null);
        requests.accept(anonymous.id(), CurrentUser.system());
        requests.reply(anonymous.id(), "已核实，无异常排放。", false, CurrentUser.system());
        assertThat(SMTP.messages.poll(3, TimeUnit.SECONDS)).isNull();

        assertThat(output.getAll()).contains("request " + withMail.id() + ": the requester was told of the answer by e-mail")
                .doesNotContain(address);
    }

    private Request submit(String code, String email) {
        return requests.submit(new PublicRequests.Intake("ABNORMAL_WATER", code, null, null, null, null,
                "排污口下游河水发黑，有臭味", Map.of("colour", "black"), null, null, email, "mail-test",
                Request.Channel.OUTFALL_PAGE, null, List.of()));
    }
}
