package org.gongzhi.requests;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Open311 clients (a city app, a WeChat mini program, the 12345 platform's bridge): each posts requests with its own
 * {@code api_key}. Administrators issue keys; the key is shown once and only its SHA-256 is stored, so a database
 * leak does not leak keys. A key is compared by its hash, never logged.
 */
@Service
public class Open311Clients {

    public record Client(long id, String name, boolean enabled, String createdBy, Instant createdAt) {
    }

    /** A new client with its key, which is shown this once. */
    public record Issued(Client client, String apiKey) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final AuditLog audit;

    Open311Clients(JdbcClient jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @Transactional
    public Issued issue(String name, CurrentUser by) {
        if (by.role() != Role.ADMIN) {
            throw new ForbiddenException("only administrators issue Open311 keys");
        }
        String n = name == null ? "" : name.trim();
        if (n.isEmpty() || n.length() > 100) {
            throw new InvalidInputException(FieldProblem.of("name", name, "请填写客户端名称（不超过100字）", "name the client (at most 100 characters)"));
        }
        if (jdbc.sql("SELECT count(*) FROM open311_client WHERE name = ?").param(n).query(Long.class).single() > 0) {
            throw new InvalidInputException(FieldProblem.of("name", n, "该名称已被使用", "this name is taken"));
        }
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        String key = "o311_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        long id = jdbc.sql("INSERT INTO open311_client (name, key_sha256, created_by) VALUES (?, ?, ?) RETURNING id")
                .params(n, sha256(key), by.username()).query(Long.class).single();
        Client c = find(id).orElseThrow();
        audit.record(by, "CREATE", "open311_client", String.valueOf(id), "Open311 API key issued", null, c);
        return new Issued(c, key);
    }

    public List<Client> list(CurrentUser by) {
        if (by.role() != Role.ADMIN) {
            throw new ForbiddenException("only administrators see Open311 clients");
        }
        return jdbc.sql(SELECT + " ORDER BY id").query(Open311Clients::map).list();
    }

    /** The enabled client holding this key. */
    public Optional<Client> authenticate(String apiKey) {
        if (apiKey == null || apiKey.isBlank() || apiKey.length() > 200) {
            return Optional.empty();
        }
        return jdbc.sql(SELECT + " WHERE key_sha256 = ? AND enabled").param(sha256(apiKey.trim())).query(Open311Clients::map).optional();
    }

    private Optional<Client> find(long id) {
        return jdbc.sql(SELECT + " WHERE id = ?").param(id).query(Open311Clients::map).optional();
    }

    private static final String SELECT = "SELECT id, name, enabled, created_by, created_at FROM open311_client";

    private static Client map(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Client(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getString(4), rs.getTimestamp(5).toInstant());
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
