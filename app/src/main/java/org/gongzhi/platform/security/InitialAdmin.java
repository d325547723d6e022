package org.gongzhi.platform.security;

import java.security.SecureRandom;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Role;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On an empty database: creates 生态环境部 and the national admin. The password comes from
 * {@code GONGZHI_ADMIN_PASSWORD} (property gongzhi.admin.password) or is generated and printed once to the
 * console, never to the log files.
 */
@Component
@Order(0)
class InitialAdmin implements ApplicationRunner {

    private final Accounts accounts;
    private final Organizations organizations;
    private final TransactionTemplate tx;
    private final String configuredPassword;

    InitialAdmin(Accounts accounts, Organizations organizations, TransactionTemplate tx,
                 @Value("${gongzhi.admin.password:}") String configuredPassword) {
        this.accounts = accounts;
        this.organizations = organizations;
        this.tx = tx;
        this.configuredPassword = configuredPassword;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (accounts.anyUser()) {
            return;
        }
        String password = configuredPassword.isBlank() ? generate() : configuredPassword;
        tx.executeWithoutResult(s -> {
            Organization ministry = organizations.create(new Organization(0, Organization.Kind.REGULATOR,
                    "中华人民共和国生态环境部", Organization.Level.MINISTRY, null, null, null, null, null), CurrentUser.system());
            accounts.create("admin", "系统管理员", Role.ADMIN, ministry.id(), password, CurrentUser.system());
        });
        if (configuredPassword.isBlank()) {
            System.out.println("""

                    ================================================================
                     Gongzhi: the national admin account was created.
                     国家级管理员账号已创建:  admin / %s
                     This password is shown once. 密码只显示这一次。
                    ================================================================
                    """.formatted(password));
        }
    }

    private static String generate() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
