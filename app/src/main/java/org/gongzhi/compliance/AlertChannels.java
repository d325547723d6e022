package org.gongzhi.compliance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where an organization's alerts are pushed: webhooks and (optionally) e-mail, through one outbox
 * ({@code alert_delivery}) so that a push is never lost when the receiver is down and never blocks the evaluation.
 *
 * <p>Webhooks: POST of the JSON payload with {@code X-Gongzhi-Timestamp} (epoch seconds) and
 * {@code X-Gongzhi-Signature: sha256=<hex HMAC-SHA256(key, timestamp + "." + body)>} — the receiver recomputes it with
 * the key it was shown once, and rejects old timestamps (replay). Redirects are not followed. A non-2xx answer or an
 * error is retried after backoff × 2^(attempt−1) (capped), up to max-attempts; every attempt is logged.
 */
@Service
class AlertChannels {

    private static final Logger log = LoggerFactory.getLogger(AlertChannels.class);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,}$");

    enum Kind { WEBHOOK, EMAIL }

    record Channel(long id, long organizationId, Kind kind, String target, boolean enabled, String createdBy,
                   Instant createdAt) {
    }

    /** The answer to a new webhook: the only time its signing key is shown. */
    record Created(Channel channel, String secret) {
    }

    record Delivery(long id, long alertId, String event, String status, int attempts, Instant nextAttemptAt,
                    String lastError, Instant createdAt, Instant deliveredAt) {
    }

    record Attempt(long deliveryId, Instant at, Integer httpStatus, String error, int durationMs) {
    }

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final JsonMapper json;
    private final ObjectProvider<JavaMailSender> mail;
    private final boolean mailEnabled;
    private final String mailFrom;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final int maxAttempts;
    private final Duration timeout;
    /** Off by default: a webhook may not point at loopback, private or link-local addresses (no SSRF into the LAN). */
    private final boolean allowPrivateTargets;
    private final HttpClient http;
    private final ReentrantLock running = new ReentrantLock();
    /** The latest time a delivery run was asked for and not yet started with (see {@link #deliverDue}). */
    private final java.util.concurrent.atomic.AtomicReference<Instant> requested = new java.util.concurrent.atomic.AtomicReference<>();
    private final ExecutorService waker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "alert-deliveries");
        t.setDaemon(true);
        return t;
    });

    AlertChannels(JdbcClient jdbc, AuditLog audit, JsonMapper json, ObjectProvider<JavaMailSender> mail,
                  @Value("${gongzhi.compliance.mail.enabled:false}") boolean mailEnabled,
                  @Value("${gongzhi.compliance.mail.from:gongzhi@localhost}") String mailFrom,
                  @Value("${gongzhi.compliance.webhooks.backoff:PT10S}") Duration backoff,
                  @Value("${gongzhi.compliance.webhooks.max-backoff:PT1H}") Duration maxBackoff,
                  @Value("${gongzhi.compliance.webhooks.max-attempts:8}") int maxAttempts,
                  @Value("${gongzhi.compliance.webhooks.timeout:PT5S}") Duration timeout,
                  @Value("${gongzhi.compliance.webhooks.allow-private-targets:false}") boolean allowPrivateTargets) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.json = json;
        this.mail = mail;
        this.mailEnabled = mailEnabled;
        this.mailFrom = mailFrom;
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
        this.maxAttempts = maxAttempts;
        this.timeout = timeout;
        this.allowPrivateTargets = allowPrivateTargets;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    boolean mailEnabled() {
        return mailEnabled && mail.getIfAvailable() != null;
    }

    // ---- channels of the caller's organization ------------------------------------------------------------------

    List<Channel> channels(CurrentUser user) {
        return jdbc.sql("SELECT id, organization_id, kind, target, enabled, created_by, created_at FROM alert_channel "
                        + "WHERE organization_id = ? ORDER BY id")
                .param(user.organizationId()).query(this::channel).list();
    }

    private Channel channel(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Channel(rs.getLong(1), rs.getLong(2), Kind.valueOf(rs.getString(3)), rs.getString(4), rs.getBoolean(5),
                rs.getString(6), rs.getTimestamp(7).toInstant());
    }

    /** A channel of the caller's organization, or 404 (someone else's channels do not exist for the caller). */
    Channel own(long id, CurrentUser user) {
        return jdbc.sql("SELECT id, organization_id, kind, target, enabled, created_by, created_at FROM alert_channel "
                        + "WHERE id = ? AND organization_id = ?")
                .params(id, user.organizationId()).query(this::channel).optional()
                .orElseThrow(() -> new NotFoundException("alert channel " + id));
    }

    @Transactional
    Created create(Kind kind, String target, CurrentUser user) {
        if (user.role() == Role.INSPECTOR) {
            throw new ForbiddenException("inspectors cannot configure alert channels");
        }
        String t = target == null ? "" : target.trim();
        if (kind == null) {
            throw new InvalidInputException(FieldProblem.of("kind", null, "须选择方式：WEBHOOK 或 EMAIL", "choose WEBHOOK or EMAIL"));
        }
        if (kind == Kind.WEBHOOK) {
            URI uri = null;
            try {
                uri = t.length() <= 2000 ? URI.create(t) : null;
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (uri == null || uri.getHost() == null || !List.of("http", "https").contains(String.valueOf(uri.getScheme()).toLowerCase())) {
                throw new InvalidInputException(FieldProblem.of("target", t, "须为完整的 http(s) 地址，如 https://example.cn/hooks/gongzhi",
                        "must be an absolute http(s) URL, e.g. https://example.cn/hooks/gongzhi"));
            }
            if (!publicTarget(uri)) {
                throw new InvalidInputException(FieldProblem.of("target", t, "须为可公开访问的地址（不接受本机、内网或无法解析的地址）",
                        "must be a public address (not loopback, private, link-local or unresolvable)"));
            }
        } else {
            if (!mailEnabled()) {
                throw new InvalidInputException(FieldProblem.of("kind", kind, "本系统未启用邮件发送（gongzhi.compliance.mail.enabled）",
                        "e-mail is not enabled on this server (gongzhi.compliance.mail.enabled)"));
            }
            if (!EMAIL.matcher(t).matches()) {
                throw new InvalidInputException(FieldProblem.of("target", t, "电子邮件地址格式不正确", "not a valid e-mail address"));
            }
        }
        String secret = kind == Kind.WEBHOOK ? newSecret() : null;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Long id = jdbc.sql("""
                INSERT INTO alert_channel (organization_id, kind, target, secret, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id""")
                .params(user.organizationId(), kind.name(), t, secret, user.username(), Timestamp.from(now))
                .query(Long.class).optional().orElse(null);
        if (id == null) {
            throw new InvalidInputException(FieldProblem.of("target", t, "本单位已登记该地址", "your organization already has this target"));
        }
        Channel c = own(id, user);
        audit.record(user, "CREATE", "alert_channel", String.valueOf(id), null, null, c); // the key is not audited
        return new Created(c, secret);
    }

    @Transactional
    void delete(long id, CurrentUser user) {
        Channel c = own(id, user);
        if (user.role() == Role.INSPECTOR) {
            throw new ForbiddenException("inspectors cannot configure alert channels");
        }
        jdbc.sql("DELETE FROM alert_channel WHERE id = ?").param(id).update();
        audit.record(user, "DELETE", "alert_channel", String.valueOf(id), null, c, null);
    }

    /** The delivery log of a channel of the caller's organization, newest first, with every attempt. */
    List<Delivery> deliveries(long channelId, CurrentUser user) {
        own(channelId, user);
        return jdbc.sql("""
                SELECT id, alert_id, event, status, attempts, next_attempt_at, last_error, created_at, delivered_at
                FROM alert_delivery WHERE channel_id = ? ORDER BY id DESC LIMIT 200""")
                .param(channelId)
                .query((rs, i) -> new Delivery(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getTimestamp(8).toInstant(),
                        rs.getTimestamp(9) == null ? null : rs.getTimestamp(9).toInstant()))
                .list();
    }

    List<Attempt> attempts(long channelId, CurrentUser user) {
        own(channelId, user);
        return jdbc.sql("""
                SELECT t.delivery_id, t.at, t.http_status, t.error, t.duration_ms FROM alert_delivery_attempt t
                JOIN alert_delivery d ON d.id = t.delivery_id WHERE d.channel_id = ? ORDER BY t.id DESC LIMIT 500""")
                .param(channelId)
                .query((rs, i) -> new Attempt(rs.getLong(1), rs.getTimestamp(2).toInstant(), (Integer) rs.getObject(3),
                        rs.getString(4), rs.getInt(5)))
                .list();
    }

    private static String newSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---- the outbox ------------------------------------------------------------------------------------------------

    /** Queues the payload for every enabled channel of these organizations; delivery starts after commit. */
    void enqueue(long alertId, String event, String payload, List<Long> organizationIds, Instant now) {
        if (organizationIds.isEmpty()) {
            return;
        }
        int queued = jdbc.sql("""
                INSERT INTO alert_delivery (channel_id, alert_id, event, payload, next_attempt_at, created_at)
                SELECT id, ?, ?, ?, ?, ? FROM alert_channel
                WHERE organization_id = ANY(?) AND enabled AND (kind = 'WEBHOOK' OR ?)""")
                .params(alertId, event, payload, Timestamp.from(now), Timestamp.from(now),
                        organizationIds.toArray(Long[]::new), mailEnabled())
                .update();
        if (queued > 0 && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    waker.execute(() -> deliverDue(Instant.now()));
                }
            });
        }
    }

    @Scheduled(fixedDelayString = "${gongzhi.compliance.webhooks.poll-ms:2000}", initialDelay = 10_000)
    void poll() {
        try {
            deliverDue(Instant.now());
        } catch (RuntimeException e) {
            log.error("alert deliveries failed", e);
        }
    }

    private record Due(long id, long channelId, String payload, int attempts, Kind kind, String target, String secret) {
    }

    /**
     * Sends every delivery due at {@code now}; returns how many this call attempted. Rows are claimed (lease of twice
     * the timeout) in a short transaction, sent outside it, then marked delivered or rescheduled.
     *
     * <p>One run at a time. A call that finds a run in progress leaves its time in {@link #requested} and returns; the
     * run takes it up before it ends (and re-checks after unlocking), so no request is lost. Before, such a call
     * simply returned: the run in progress claimed with its own, earlier time, so a delivery committed after that
     * claim (the after-commit wake-up) or a retry asked for at a later time waited for the next poll — and an
     * instance without the poll (the SMTP test's own) never sent it.
     */
    int deliverDue(Instant now) {
        requested.accumulateAndGet(now, (a, b) -> a == null || b.isAfter(a) ? b : a);
        int total = 0;
        while (requested.get() != null && running.tryLock()) {
            try {
                for (Instant at; (at = requested.getAndSet(null)) != null; ) {
                    for (List<Due> batch; !(batch = claim(at)).isEmpty(); ) {
                        for (Due d : batch) {
                            send(d, at);
                        }
                        total += batch.size();
                    }
                }
            } finally {
                running.unlock();
            }
        }
        return total;
    }

    private List<Due> claim(Instant now) {
        return jdbc.sql("""
                UPDATE alert_delivery d SET attempts = d.attempts + 1, next_attempt_at = ?
                FROM (SELECT d.id FROM alert_delivery d JOIN alert_channel c ON c.id = d.channel_id
                      WHERE d.status = 'PENDING' AND d.next_attempt_at <= ? AND (c.kind = 'WEBHOOK' OR ?)
                      ORDER BY d.next_attempt_at, d.id LIMIT 50 FOR UPDATE OF d SKIP LOCKED) due, alert_channel c
                WHERE d.id = due.id AND c.id = d.channel_id
                RETURNING d.id, d.channel_id, d.payload, d.attempts, c.kind, c.target, c.secret""")
                .params(Timestamp.from(now.plus(timeout.multipliedBy(2)).plusSeconds(1)), Timestamp.from(now), mailEnabled())
                .query((rs, i) -> new Due(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4),
                        Kind.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7)))
                .list();
    }

    private void send(Due d, Instant now) {
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            if (d.kind() == Kind.WEBHOOK) {
                if (!publicTarget(URI.create(d.target()))) { // checked again: the name may resolve elsewhere by now
                    throw new IllegalStateException("the target resolves to a non-public address");
                }
                String timestamp = Long.toString(Instant.now().getEpochSecond());
                HttpRequest request = HttpRequest.newBuilder(URI.create(d.target())).timeout(timeout)
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header("User-Agent", "Gongzhi-Alerts/1")
                        .header("X-Gongzhi-Delivery", Long.toString(d.id()))
                        .header("X-Gongzhi-Timestamp", timestamp)
                        .header("X-Gongzhi-Signature", "sha256=" + sign(d.secret(), timestamp, d.payload()))
                        .POST(HttpRequest.BodyPublishers.ofString(d.payload(), StandardCharsets.UTF_8)).build();
                HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                status = r.statusCode();
                if (status / 100 != 2) {
                    error = "HTTP " + status;
                }
            } else {
                JavaMailSender sender = mail.getIfAvailable();
                if (sender == null || !mailEnabled) {
                    throw new IllegalStateException("e-mail is not enabled");
                }
                sender.send(message(d.target(), d.payload()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            // the message only: an exception may carry the URL's query, never the key (the key is not in the request)
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        int ms = (int) ((System.nanoTime() - started) / 1_000_000);
        String err = error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
        jdbc.sql("INSERT INTO alert_delivery_attempt (delivery_id, at, http_status, error, duration_ms) VALUES (?, now(), ?, ?, ?)")
                .params(d.id(), status, err, ms).update();
        if (err == null) {
            jdbc.sql("UPDATE alert_delivery SET status = 'DELIVERED', delivered_at = now(), last_error = NULL WHERE id = ?")
                    .param(d.id()).update();
        } else if (d.attempts() >= maxAttempts) {
            jdbc.sql("UPDATE alert_delivery SET status = 'FAILED', last_error = ? WHERE id = ?").params(err, d.id()).update();
            log.warn("alert delivery {} given up after {} attempts: {}", d.id(), d.attempts(), err);
        } else {
            jdbc.sql("UPDATE alert_delivery SET next_attempt_at = ?, last_error = ? WHERE id = ?")
                    .params(Timestamp.from(now.plus(backoff(d.attempts()))), err, d.id()).update();
        }
    }

    /** Whether every address the URL's host resolves to is public (or private targets are allowed). */
    private boolean publicTarget(URI uri) {
        if (allowPrivateTargets) {
            return true;
        }
        try {
            for (java.net.InetAddress a : java.net.InetAddress.getAllByName(uri.getHost())) {
                if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                        || a.isMulticastAddress() || (a.getAddress().length == 16 && (a.getAddress()[0] & 0xfe) == 0xfc)) {
                    return false;
                }
            }
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Wait before attempt n+1 after n failed attempts: backoff × 2^(n−1), at most max-backoff. */
    Duration backoff(int failedAttempts) {
        Duration d = backoff.multipliedBy(1L << Math.min(Math.max(failedAttempts - 1, 0), 20));
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    /** Hex HMAC-SHA256 of {@code timestamp + "." + body} under the channel's key. */
    static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The e-mail of an alert: both summaries, the outfall and where to look. */
    SimpleMailMessage message(String to, String payload) {
        Map<String, Object> p = json.readValue(payload, Map.class);
        SimpleMailMessage m = new SimpleMailMessage();
        m.setFrom(mailFrom);
        m.setTo(to);
        m.setSubject("[共治 Gongzhi] " + p.get("outfallName") + " · " + p.get("summaryZh"));
        m.setText(p.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n")));
        return m;
    }
}
