package org.gongzhi.platform;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is acting, with the jurisdiction every query of theirs is scoped to. Controllers take it as a method
 * parameter; services that run outside a request (jobs, demo data) act as {@link #system()}.
 */
public record CurrentUser(long id, String username, String displayName, Role role, long organizationId,
                          String organizationName, Jurisdiction jurisdiction) {

    /** Implemented by the security principal, so that any authentication mechanism can carry a CurrentUser. */
    public interface Holder {
        CurrentUser currentUser();
    }

    public static CurrentUser system() {
        return new CurrentUser(0, "system", "系统 System", Role.ADMIN, 0, "Gongzhi", Jurisdiction.national());
    }

    /** The signed-in user of this thread, or {@link #system()} when no one is signed in (jobs, start-up). */
    public static CurrentUser get() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof Holder holder) {
            return holder.currentUser();
        }
        return system();
    }

    public boolean canEditLedger() {
        return role.canEditLedger() && jurisdiction.scope() != Jurisdiction.Scope.PARTY;
    }
}
