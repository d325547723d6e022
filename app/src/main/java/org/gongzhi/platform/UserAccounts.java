package org.gongzhi.platform;

/** User accounts as other modules need them: demo data and set-up tools create users and act as them. */
public interface UserAccounts {

    /** Creates a user (validated as in the admin pages) and returns them as the application sees them. */
    CurrentUser createUser(String username, String displayName, Role role, long organizationId, String password,
                           CurrentUser by);

    /** The user with this username, if any. */
    java.util.Optional<CurrentUser> findUser(String username);
}
