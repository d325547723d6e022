package org.gongzhi.platform.security;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;

import java.util.concurrent.atomic.AtomicInteger;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Role;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates real organizations and users through the platform's own services, and signs requests in as them,
 * exactly as the login would (same principal, same jurisdiction).
 */
@Component
public class TestAccounts {

    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Accounts accounts;
    private final Organizations organizations;
    private final TransactionTemplate tx;

    TestAccounts(Accounts accounts, Organizations organizations, TransactionTemplate tx) {
        this.accounts = accounts;
        this.organizations = organizations;
        this.tx = tx;
    }

    public Organization regulator(Organization.Level level, String regionCode) {
        return tx.execute(s -> organizations.create(new Organization(0, Organization.Kind.REGULATOR,
                "测试监管部门" + SEQ.incrementAndGet(), level, regionCode, null, null, null, null), CurrentUser.system()));
    }

    public Organization basinBureau(org.gongzhi.platform.Basin basin) {
        return tx.execute(s -> organizations.create(new Organization(0, Organization.Kind.REGULATOR,
                "测试流域局" + SEQ.incrementAndGet(), Organization.Level.BASIN_BUREAU, null, basin, null, null, null),
                CurrentUser.system()));
    }

    public Organization party(String regionCode) {
        return tx.execute(s -> organizations.create(new Organization(0, Organization.Kind.PARTY,
                "测试企业" + SEQ.incrementAndGet() + "有限公司", null, regionCode, null,
                Organization.PartyType.ENTERPRISE, null, null), CurrentUser.system()));
    }

    /** A party with a chosen name and 统一社会信用代码, for tests that look for that name in responses. */
    public Organization party(String regionCode, String name, String uscc) {
        return tx.execute(s -> organizations.create(new Organization(0, Organization.Kind.PARTY, name, null, regionCode,
                null, Organization.PartyType.ENTERPRISE, uscc, null), CurrentUser.system()));
    }

    /** A new user with a chosen username (password as {@link #password}). */
    public CurrentUser user(Role role, Organization org, String username) {
        tx.executeWithoutResult(s -> accounts.create(username, "测试 " + username, role, org.id(), "password-" + username,
                CurrentUser.system()));
        return accounts.loadUserByUsername(username).currentUser();
    }

    /** An existing user, e.g. the national "admin" created at start-up. */
    public CurrentUser existing(String username) {
        return accounts.loadUserByUsername(username).currentUser();
    }

    /** A new user of the organization; returns the user as the application sees them. */
    public CurrentUser user(Role role, Organization org) {
        String username = role.name().toLowerCase() + "-" + SEQ.incrementAndGet();
        tx.executeWithoutResult(s -> accounts.create(username, "测试 " + username, role, org.id(), "password-" + username,
                CurrentUser.system()));
        return accounts.loadUserByUsername(username).currentUser();
    }

    /** Signs a MockMvc request in as this user. */
    public RequestPostProcessor as(CurrentUser user) {
        Account account = accounts.loadUserByUsername(user.username());
        return authentication(new UsernamePasswordAuthenticationToken(account, null, account.getAuthorities()));
    }

    public String password(CurrentUser user) {
        return "password-" + user.username();
    }

    public String token(CurrentUser user) {
        return tx.execute(s -> accounts.issueToken(user, "test"));
    }
}
