package org.gongzhi.platform.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Role;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Users (administrators only, within their jurisdiction) and the caller's own API tokens. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Users 用户", description = "User accounts and API tokens")
class UserApi {

    private final Accounts accounts;

    UserApi(Accounts accounts) {
        this.accounts = accounts;
    }

    record UserWrite(String username, String displayName, Role role, Long organizationId, String password) {
    }

    @GetMapping("/users")
    List<Accounts.UserView> users(CurrentUser admin) {
        return accounts.visibleTo(admin);
    }

    @PostMapping("/users")
    @ResponseStatus(HttpStatus.CREATED)
    Accounts.UserView create(@RequestBody UserWrite w, CurrentUser admin) {
        return accounts.create(w.username(), w.displayName(), w.role(), w.organizationId() == null ? -1 : w.organizationId(),
                w.password(), admin);
    }

    @PostMapping("/users/{id}/disable")
    void disable(@PathVariable long id, CurrentUser admin) {
        accounts.setEnabled(id, false, admin);
    }

    @PostMapping("/users/{id}/enable")
    void enable(@PathVariable long id, CurrentUser admin) {
        accounts.setEnabled(id, true, admin);
    }

    @PostMapping("/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Issue an API token for yourself; it is shown only in this response")
    Map<String, String> issueToken(@RequestBody(required = false) Map<String, String> body, CurrentUser user) {
        return Map.of("token", accounts.issueToken(user, body == null ? null : body.get("name")));
    }
}
