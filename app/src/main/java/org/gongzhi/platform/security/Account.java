package org.gongzhi.platform.security;

import java.util.Collection;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** The security principal: a user account and the CurrentUser (with jurisdiction) it acts as. */
record Account(CurrentUser user, String passwordHash, boolean enabled) implements UserDetails, CurrentUser.Holder {

    @Override
    public CurrentUser currentUser() {
        return user;
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority("ROLE_" + user.role().name()));
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return user.username();
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public String toString() {
        return "Account[" + user.username() + "]"; // never the hash
    }
}
