package org.gongzhi.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** User accounts and API tokens. */
@Service
class Accounts implements UserDetailsService, org.gongzhi.platform.UserAccounts {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.@-]{3,64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String TOKEN_PREFIX = "gz_";

    private final JdbcClient jdbc;
    private final Organizations organizations;
    private final PasswordEncoder passwords;
    private final AuditLog audit;

    Accounts(JdbcClient jdbc, Organizations organizations, PasswordEncoder passwords, AuditLog audit) {
        this.jdbc = jdbc;
        this.organizations = organizations;
        this.passwords = passwords;
        this.audit = audit;
    }

    record UserRow(long id, String username, String displayName, Role role, long organizationId, boolean enabled,
                   String passwordHash) {
    }

    /** A user as the admin pages and API show it (never the hash). */
    record UserView(long id, String username, String displayName, Role role, long organizationId,
                    String organizationName, boolean enabled) {
    }

    @Override
    @Transactional
    public CurrentUser createUser(String username, String displayName, Role role, long organizationId, String password,
                                  CurrentUser by) {
        create(username, displayName, role, organizationId, password, by);
        return loadUserByUsername(username).currentUser();
    }

    @Override
    public Optional<CurrentUser> findUser(String username) {
        return findRow("username = ?", username).map(this::toAccount).map(Account::currentUser);
    }

    @Override
    public Account loadUserByUsername(String username) {
        return findRow("username = ?", username).map(this::toAccount)
                .orElseThrow(() -> new UsernameNotFoundException("unknown user"));
    }

    Optional<Account> byToken(String token) {
        String hash = sha256(token);
        Optional<Long> userId = jdbc.sql("""
                UPDATE api_token SET last_used_at = now() WHERE token_hash = ? AND revoked_at IS NULL RETURNING user_id""")
                .param(hash).query(Long.class).optional();
        return userId.flatMap(id -> findRow("id = ?", id)).filter(UserRow::enabled).map(this::toAccount);
    }

    private Optional<UserRow> findRow(String where, Object value) {
        return jdbc.sql("SELECT id, username, display_name, role, organization_id, enabled, password_hash FROM app_user WHERE "
                        + where)
                .param(value)
                .query((rs, i) -> new UserRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                        Role.valueOf(rs.getString(4)), rs.getLong(5), rs.getBoolean(6), rs.getString(7)))
                .optional();
    }

    private Account toAccount(UserRow row) {
        Organization org = organizations.find(row.organizationId()).orElseThrow();
        CurrentUser user = new CurrentUser(row.id(), row.username(), row.displayName(), row.role(), org.id(), org.name(),
                org.jurisdiction());
        return new Account(user, row.passwordHash(), row.enabled());
    }

    boolean anyUser() {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM app_user)").query(Boolean.class).single();
    }

    /** The users an administrator manages: those of the organizations {@link Organizations#managedBy} gives. */
    List<UserView> visibleTo(CurrentUser admin) {
        List<Long> orgIds = new ArrayList<>();
        organizations.managedBy(admin, Organization.Kind.REGULATOR).forEach(o -> orgIds.add(o.id()));
        organizations.managedBy(admin, Organization.Kind.PARTY).forEach(o -> orgIds.add(o.id()));
        if (orgIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT u.id, u.username, u.display_name, u.role, u.organization_id, o.name, u.enabled
                FROM app_user u JOIN organization o ON o.id = u.organization_id
                WHERE u.organization_id IN (:orgs) ORDER BY o.name, u.username""")
                .param("orgs", orgIds)
                .query((rs, i) -> new UserView(rs.getLong(1), rs.getString(2), rs.getString(3),
                        Role.valueOf(rs.getString(4)), rs.getLong(5), rs.getString(6), rs.getBoolean(7)))
                .list();
    }

    /** Creates a user; an admin can only create users in organizations of their jurisdiction. */
    @Transactional
    UserView create(String username, String displayName, Role role, long organizationId, String password,
                    CurrentUser by) {
        List<FieldProblem> problems = new ArrayList<>();
        if (username == null || !USERNAME.matcher(username).matches()) {
            problems.add(FieldProblem.of("username", username, "用户名为3–64位字母、数字或 _ . @ -",
                    "username: 3 to 64 letters, digits or _ . @ -"));
        } else if (findRow("username = ?", username).isPresent()) {
            problems.add(FieldProblem.of("username", username, "用户名已存在", "username is taken"));
        }
        if (displayName == null || displayName.isBlank()) {
            problems.add(FieldProblem.of("displayName", displayName, "姓名必填", "display name is required"));
        }
        if (role == null) {
            problems.add(FieldProblem.of("role", null, "角色必填", "role is required"));
        }
        checkPassword(password, problems);
        Optional<Organization> org = organizations.find(organizationId);
        if (org.isEmpty() || !visibleOrg(by, org.get())) {
            problems.add(FieldProblem.of("organizationId", organizationId, "单位不存在或不在本辖区",
                    "organization does not exist or is outside your jurisdiction"));
        } else if (role != null && (role == Role.PARTY) != (org.get().kind() == Organization.Kind.PARTY)) {
            problems.add(FieldProblem.of("role", role, "责任主体用户须属于责任主体单位，其他角色须属于监管部门",
                    "party users belong to a party; other roles to a regulator"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        long id = jdbc.sql("""
                INSERT INTO app_user (username, password_hash, display_name, role, organization_id)
                VALUES (?, ?, ?, ?, ?) RETURNING id""")
                .params(username, passwords.encode(password), displayName.trim(), role.name(), organizationId)
                .query(Long.class).single();
        UserView view = new UserView(id, username, displayName.trim(), role, organizationId, org.get().name(), true);
        audit.record("CREATE", "user", String.valueOf(id), null, null, view);
        return view;
    }

    @Transactional
    void setEnabled(long userId, boolean enabled, CurrentUser by) {
        UserView before = visibleUser(userId, by);
        if (before.id() == by.id() && !enabled) {
            throw new ForbiddenException("you cannot disable yourself");
        }
        jdbc.sql("UPDATE app_user SET enabled = ?, credentials_changed_at = CASE WHEN ? THEN credentials_changed_at ELSE ? END"
                + " WHERE id = ?").params(enabled, enabled, java.sql.Timestamp.from(java.time.Instant.now()), userId).update();
        jdbc.sql("UPDATE api_token SET revoked_at = now() WHERE user_id = ? AND revoked_at IS NULL AND NOT ?")
                .params(userId, enabled).update();
        audit.record(enabled ? "ENABLE" : "DISABLE", "user", String.valueOf(userId), null, before,
                new UserView(before.id(), before.username(), before.displayName(), before.role(),
                        before.organizationId(), before.organizationName(), enabled));
    }

    @Transactional
    void resetPassword(long userId, String password, CurrentUser by) {
        visibleUser(userId, by);
        List<FieldProblem> problems = new ArrayList<>();
        checkPassword(password, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        // A reset usually means the password was lost or known to someone else: its sessions and tokens end too.
        jdbc.sql("UPDATE app_user SET password_hash = ?, credentials_changed_at = ? WHERE id = ?")
                .params(passwords.encode(password), java.sql.Timestamp.from(java.time.Instant.now()), userId).update();
        jdbc.sql("UPDATE api_token SET revoked_at = now() WHERE user_id = ? AND revoked_at IS NULL").param(userId).update();
        audit.record("RESET_PASSWORD", "user", String.valueOf(userId), null, null, null);
    }

    /** Whether a browser session that signed in at {@code signedIn} may go on: the user is enabled and unchanged since. */
    boolean sessionStillValid(long userId, java.time.Instant signedIn) {
        return jdbc.sql("SELECT enabled AND (credentials_changed_at IS NULL OR credentials_changed_at < ?) FROM app_user WHERE id = ?")
                .params(java.sql.Timestamp.from(signedIn), userId).query(Boolean.class).optional().orElse(false);
    }

    /** Issues an API token for the calling user; only its hash is kept, so it is shown once. */
    @Transactional
    String issueToken(CurrentUser user, String name) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.sql("INSERT INTO api_token (user_id, name, token_hash) VALUES (?, ?, ?)")
                .params(user.id(), name == null || name.isBlank() ? "token" : name.trim(), sha256(token)).update();
        audit.record("ISSUE_TOKEN", "user", String.valueOf(user.id()), name, null, null);
        return token;
    }

    /** An API token as its owner sees it on the account page (never the token or its hash). */
    record TokenView(long id, String name, java.time.Instant createdAt, java.time.Instant lastUsedAt,
                     java.time.Instant revokedAt) {
        boolean active() {
            return revokedAt == null;
        }
    }

    /** The caller's own API tokens, newest first. */
    List<TokenView> tokensOf(CurrentUser user) {
        return jdbc.sql("""
                SELECT id, name, created_at, last_used_at, revoked_at FROM api_token WHERE user_id = ?
                ORDER BY id DESC LIMIT 200""")
                .param(user.id())
                .query((rs, i) -> new TokenView(rs.getLong(1), rs.getString(2), instant(rs.getTimestamp(3)),
                        instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5))))
                .list();
    }

    /** Revokes one of the caller's own tokens; someone else's token is "not found". */
    @Transactional
    void revokeToken(CurrentUser user, long tokenId) {
        int n = jdbc.sql("UPDATE api_token SET revoked_at = now() WHERE id = ? AND user_id = ? AND revoked_at IS NULL")
                .params(tokenId, user.id()).update();
        if (n == 0) {
            throw new NotFoundException("token " + tokenId);
        }
        audit.record("REVOKE_TOKEN", "user", String.valueOf(user.id()), String.valueOf(tokenId), null, null);
    }

    private static java.time.Instant instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private UserView visibleUser(long userId, CurrentUser by) {
        return visibleTo(by).stream().filter(u -> u.id() == userId).findFirst()
                .orElseThrow(() -> new NotFoundException("user " + userId));
    }

    private boolean visibleOrg(CurrentUser by, Organization org) {
        Jurisdiction j = by.jurisdiction();
        return j.scope() == Jurisdiction.Scope.NATIONAL
                || organizations.managedBy(by, org.kind()).stream().anyMatch(o -> o.id() == org.id());
    }

    private static void checkPassword(String password, List<FieldProblem> problems) {
        if (password == null || password.length() < 10) {
            problems.add(FieldProblem.of("password", null, "密码至少10位", "password needs at least 10 characters"));
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
