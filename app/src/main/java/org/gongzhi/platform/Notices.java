package org.gongzhi.platform;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The notice inbox (通知): plain reminders to an organization — a bureau or a responsible party — that any module
 * sends (a rectification order falls due, a patrol is overdue) and the organization's users read on {@code /notices},
 * with an unread count in the navigation and, when {@code gongzhi.notices.mail.enabled}, an e-mail to the users who
 * gave an address. Each notice carries the sender's deduplication key: the same key to the same organization is
 * stored once, so a daily job may run twice (or on two nodes) without sending a reminder twice.
 *
 * <p>Not the compliance alert inbox: an alert is a finding that must be acknowledged and escalates when it is not;
 * a notice is read and done.
 */
@Service
public class Notices {

    private static final Pattern LINK = Pattern.compile("^/[^/\\\\][^\\s]{0,499}$");

    /** What a notice says, in Chinese and English, and where in Gongzhi it points (a path such as /supervision/orders/7). */
    public record Message(String titleZh, String titleEn, String bodyZh, String bodyEn, String link) {
    }

    /** A notice as its organization's user sees it; {@code read} is the reader's own mark. */
    public record Notice(long id, long organizationId, String titleZh, String titleEn, String bodyZh, String bodyEn,
                         String link, Instant createdAt, boolean read) {
    }

    private final JdbcClient jdbc;
    private final NoticeMail mail;

    Notices(JdbcClient jdbc, NoticeMail mail) {
        this.jdbc = jdbc;
        this.mail = mail;
    }

    /**
     * Sends a notice to an organization unless one with this key was sent to it before; returns whether it is new.
     * Joins the caller's transaction (the reminder and the change that caused it commit together).
     *
     * @param dedupKey the sender's key for "this reminder", e.g. {@code supervision:order-overdue:42:2026-12-01}
     */
    @Transactional
    public boolean send(long organizationId, String dedupKey, Message m) {
        List<FieldProblem> problems = new ArrayList<>();
        if (dedupKey == null || dedupKey.isBlank() || dedupKey.length() > 200) {
            problems.add(FieldProblem.of("dedupKey", dedupKey, "去重键必填，最长200字符", "the key is required, at most 200 characters"));
        }
        if (m == null || blank(m.titleZh()) || blank(m.titleEn()) || blank(m.bodyZh()) || blank(m.bodyEn())) {
            problems.add(FieldProblem.of("title", null, "标题和正文须有中英文", "title and body are required in Chinese and English"));
        }
        if (m != null && m.link() != null && !LINK.matcher(m.link()).matches()) {
            problems.add(FieldProblem.of("link", m.link(), "链接须为本系统内的路径（以 / 开头）", "the link must be a path inside Gongzhi (starting with /)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Long id = jdbc.sql("""
                INSERT INTO notice (organization_id, dedup_key, title_zh, title_en, body_zh, body_en, link, mail_status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (organization_id, dedup_key) DO NOTHING RETURNING id""")
                .params(organizationId, dedupKey, m.titleZh().strip(), m.titleEn().strip(), m.bodyZh().strip(),
                        m.bodyEn().strip(), m.link(), mail.enabled() ? "PENDING" : "NONE")
                .query(Long.class).optional().orElse(null);
        if (id != null) {
            mail.wakeAfterCommit();
        }
        return id != null;
    }

    /** The notices of the caller's organization, newest first (unread only if asked). */
    public List<Notice> inbox(CurrentUser user, boolean unreadOnly, int limit) {
        return jdbc.sql("""
                SELECT n.id, n.organization_id, n.title_zh, n.title_en, n.body_zh, n.body_en, n.link, n.created_at,
                       r.user_id IS NOT NULL
                FROM notice n LEFT JOIN notice_read r ON r.notice_id = n.id AND r.user_id = :me
                WHERE n.organization_id = :org AND (NOT :unread OR r.user_id IS NULL)
                ORDER BY n.id DESC LIMIT :n""")
                .param("me", user.id()).param("org", user.organizationId()).param("unread", unreadOnly)
                .param("n", Math.max(1, Math.min(limit, 1000)))
                .query(Notices::map).list();
    }

    /** How many notices of the caller's organization the caller has not read (the navigation's badge). */
    public long unread(CurrentUser user) {
        return jdbc.sql("""
                SELECT count(*) FROM notice n
                WHERE n.organization_id = ? AND NOT EXISTS (SELECT 1 FROM notice_read r WHERE r.notice_id = n.id AND r.user_id = ?)""")
                .params(user.organizationId(), user.id()).query(Long.class).single();
    }

    /**
     * Marks one notice of the caller's organization read by the caller and returns its link (empty when it has none);
     * another organization's notice is 404.
     */
    @Transactional
    public java.util.Optional<String> markRead(long id, CurrentUser user) {
        var link = jdbc.sql("SELECT coalesce(link, '') FROM notice WHERE id = ? AND organization_id = ?")
                .params(id, user.organizationId()).query(String.class).optional();
        if (link.isEmpty() || user.id() == 0) {
            throw new NotFoundException("notice " + id);
        }
        jdbc.sql("INSERT INTO notice_read (notice_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING").params(id, user.id()).update();
        return link.filter(l -> !l.isEmpty());
    }

    /** Marks every notice of the caller's organization read by the caller; returns how many were unread. */
    @Transactional
    public int markAllRead(CurrentUser user) {
        return jdbc.sql("""
                INSERT INTO notice_read (notice_id, user_id)
                SELECT n.id, ? FROM notice n WHERE n.organization_id = ? ON CONFLICT DO NOTHING""")
                .params(user.id(), user.organizationId()).update();
    }

    private static Notice map(ResultSet rs, int i) throws SQLException {
        return new Notice(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getTimestamp(8).toInstant(), rs.getBoolean(9));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
