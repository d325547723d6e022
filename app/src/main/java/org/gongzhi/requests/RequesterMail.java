package org.gongzhi.requests;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.gongzhi.platform.CurrentUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Tells the requester by e-mail that the bureau has answered (接诉即办: the requester reads the reply and rates it),
 * when they gave an e-mail address and the server is configured for it: {@code gongzhi.requests.mail.enabled=true}
 * and {@code spring.mail.host} (off by default). Sent after the answer commits, on a thread of its own so that the
 * bureau's page never waits for an SMTP server; one attempt (the follow-up link works without the mail). The address
 * is personal data: it is never logged, and a failure is logged by its exception type only (a mail exception's
 * message names the recipients).
 */
@Component
class RequesterMail implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RequesterMail.class);

    /** Published by {@link PublicRequests#reply} inside its transaction. */
    record Answered(long requestId) {
    }

    private final RequestStore store;
    private final ServiceCatalogue catalogue;
    private final ObjectProvider<JavaMailSender> mail;
    private final boolean enabled;
    private final String from;
    private final String baseUrl;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "requester-mail");
        t.setDaemon(true);
        return t;
    });

    RequesterMail(RequestStore store, ServiceCatalogue catalogue, ObjectProvider<JavaMailSender> mail,
                  @Value("${gongzhi.requests.mail.enabled:false}") boolean enabled,
                  @Value("${gongzhi.requests.mail.from:gongzhi@localhost}") String from,
                  @Value("${gongzhi.public.base-url:}") String baseUrl) {
        this.store = store;
        this.catalogue = catalogue;
        this.mail = mail;
        this.enabled = enabled;
        this.from = from;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void on(Answered e) {
        if (enabled && mail.getIfAvailable() != null) {
            sender.execute(() -> send(e.requestId()));
        }
    }

    void send(long requestId) {
        Request r = store.find(requestId, CurrentUser.system()).orElse(null);
        if (r == null || r.contactEmail() == null || r.reply() == null) {
            return;
        }
        try {
            mail.getObject().send(message(r));
            log.info("request {}: the requester was told of the answer by e-mail", r.id());
        } catch (MailException | IllegalStateException ex) {
            log.warn("request {}: e-mail to the requester failed ({})", r.id(), ex.getClass().getSimpleName());
        }
    }

    /** Chinese first, English second, as the pages; the reply itself and where to read, rate or reopen it. */
    SimpleMailMessage message(Request r) {
        String service = catalogue.find(r.serviceCode()).map(s -> s.nameZh() + " / " + s.nameEn()).orElse(r.serviceCode());
        String link = baseUrl.isBlank() ? "/r/" + r.token() : baseUrl + "/r/" + r.token();
        SimpleMailMessage m = new SimpleMailMessage();
        m.setFrom(from);
        m.setTo(r.contactEmail());
        m.setSubject("[共治 Gongzhi] 您反映的问题已答复 / Your report has been answered (#" + r.id() + ")");
        m.setText("""
                您反映的问题（%s，编号 %d）已由承办部门答复：

                %s

                查看答复、评价（满意 / 基本满意 / 不满意）或退回再办：%s

                Your report (%s, no. %d) has been answered by the bureau (above). Read it, rate it or send it back: %s

                —— 共治 Gongzhi。本邮件由系统发送，请勿直接回复。 / Sent automatically; please do not reply.
                """.formatted(service, r.id(), r.reply(), link, service, r.id(), link));
        return m;
    }

    @Override
    public void destroy() {
        sender.shutdown();
    }
}
