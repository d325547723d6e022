package org.gongzhi.platform;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Optional e-mail of notices (off by default: {@code gongzhi.notices.mail.enabled}, and Spring's {@code spring.mail.*}
 * must name a server). A notice written while mail is on is PENDING in the notice table (the outbox): after commit,
 * and every poll, it is sent to the addresses the organization's enabled users gave on /notices, then marked SENT;
 * a failure is retried on the next polls up to max-attempts, then FAILED. Logs carry notice ids and counts, never
 * addresses or the mail server's credentials.
 */
@Component
class NoticeMail {

    private static final Logger log = LoggerFactory.getLogger(NoticeMail.class);
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,}$");

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final ObjectProvider<JavaMailSender> sender;
    private final boolean enabled;
    private final String from;
    private final int maxAttempts;
    /** Where the links of the e-mails point (the notice's path is appended); none: the path alone. */
    private final String baseUrl;
    private final ReentrantLock running = new ReentrantLock();
    private final ExecutorService waker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "notice-mail");
        t.setDaemon(true);
        return t;
    });

    NoticeMail(JdbcClient jdbc, AuditLog audit, ObjectProvider<JavaMailSender> sender,
               @Value("${gongzhi.notices.mail.enabled:false}") boolean enabled,
               @Value("${gongzhi.notices.mail.from:gongzhi@localhost}") String from,
               @Value("${gongzhi.notices.mail.max-attempts:5}") int maxAttempts,
               @Value("${gongzhi.public.base-url:}") String baseUrl) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.sender = sender;
        this.enabled = enabled;
        this.from = from;
        this.maxAttempts = maxAttempts;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    boolean enabled() {
        return enabled && sender.getIfAvailable() != null;
    }

    /** The caller's own address for notices, or null. */
    String address(CurrentUser user) {
        return jdbc.sql("SELECT notice_email FROM app_user WHERE id = ?").param(user.id()).query(String.class).optional()
                .orElse(null);
    }

    /** Sets (or, blank, removes) the caller's own address for notices; audited with the address masked. */
    @Transactional
    void setAddress(String email, CurrentUser user) {
        String e = email == null ? "" : email.strip();
        if (!e.isEmpty() && (e.length() > 320 || !EMAIL.matcher(e).matches())) {
            throw new InvalidInputException(FieldProblem.of("email", e, "电子邮件地址格式不正确", "not a valid e-mail address"));
        }
        if (user.id() == 0) {
            throw new ForbiddenException("sign in to set an address");
        }
        jdbc.sql("UPDATE app_user SET notice_email = ? WHERE id = ?").params(e.isEmpty() ? null : e, user.id()).update();
        // the audit log is append-only: it keeps that an address was set, not the whole address
        audit.record(user, "SET_NOTICE_EMAIL", "app_user", String.valueOf(user.id()), null, null,
                java.util.Map.of("noticeEmail", e.isEmpty() ? "" : mask(e)));
    }

    static String mask(String email) {
        int at = email.indexOf('@');
        return at <= 1 ? "***" + email.substring(Math.max(at, 0)) : email.charAt(0) + "***" + email.substring(at);
    }

    /** Sends the pending notices soon after the current transaction commits. */
    void wakeAfterCommit() {
        if (!enabled() || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                waker.execute(NoticeMail.this::sendPending);
            }
        });
    }

    @Scheduled(fixedDelayString = "${gongzhi.notices.mail.poll-ms:60000}", initialDelay = 30_000)
    void poll() {
        if (enabled()) {
            try {
                sendPending();
            } catch (RuntimeException e) {
                log.error("notice mail failed", e);
            }
        }
    }

    private record Pending(long id, long organizationId, String titleZh, String titleEn, String bodyZh, String bodyEn,
                           String link, int attempts) {
    }

    /** Sends every pending notice; returns how many were sent. One sender at a time per node; rows claimed with SKIP LOCKED. */
    int sendPending() {
        JavaMailSender mailer = sender.getIfAvailable();
        if (!enabled || mailer == null || !running.tryLock()) {
            return 0;
        }
        try {
            int sent = 0;
            for (List<Pending> batch; !(batch = claim()).isEmpty(); ) {
                for (Pending p : batch) {
                    List<String> to = jdbc.sql("""
                            SELECT notice_email FROM app_user WHERE organization_id = ? AND enabled AND notice_email IS NOT NULL""")
                            .param(p.organizationId()).query(String.class).list();
                    String status = "SENT";
                    try {
                        if (!to.isEmpty()) {
                            SimpleMailMessage m = new SimpleMailMessage();
                            m.setFrom(from);
                            m.setBcc(to.toArray(String[]::new)); // colleagues do not see each other's addresses
                            m.setSubject("[共治 Gongzhi] " + p.titleZh() + " / " + p.titleEn());
                            m.setText(p.bodyZh() + "\n\n" + p.bodyEn() + (p.link() == null ? "" : "\n\n" + baseUrl + p.link()));
                            mailer.send(m);
                            sent++;
                        }
                    } catch (RuntimeException e) {
                        status = p.attempts() >= maxAttempts ? "FAILED" : "PENDING";
                        log.warn("notice {} not mailed (attempt {}): {}", p.id(), p.attempts(), e.getClass().getSimpleName());
                    }
                    jdbc.sql("UPDATE notice SET mail_status = ? WHERE id = ?").params(status, p.id()).update();
                    if ("PENDING".equals(status)) {
                        return sent; // the server is failing: try again at the next poll
                    }
                }
            }
            return sent;
        } finally {
            running.unlock();
        }
    }

    private List<Pending> claim() {
        return jdbc.sql("""
                UPDATE notice n SET mail_attempts = n.mail_attempts + 1
                FROM (SELECT id FROM notice WHERE mail_status = 'PENDING' ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED) due
                WHERE n.id = due.id
                RETURNING n.id, n.organization_id, n.title_zh, n.title_en, n.body_zh, n.body_en, n.link, n.mail_attempts""")
                .query((rs, i) -> new Pending(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getInt(8)))
                .list();
    }
}
