package org.gongzhi.platform.security;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.gongzhi.platform.CurrentUser;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * 我的账号: who the signed-in user is, and their own API tokens. A new token is shown once, in the response to the
 * POST that issued it (never through the session or a redirect), and is not cached; only its hash is kept.
 */
@Controller
class AccountPage {

    private final Accounts accounts;
    private final MessageSource messages;

    AccountPage(Accounts accounts, MessageSource messages) {
        this.accounts = accounts;
        this.messages = messages;
    }

    @GetMapping("/account")
    String account(CurrentUser user, Model model) {
        model.addAttribute("tokens", accounts.tokensOf(user));
        return "account";
    }

    @PostMapping("/account/tokens")
    String issue(@RequestParam(required = false) String name, CurrentUser user, Model model,
                 HttpServletResponse response) {
        String label = name == null ? null : name.strip();
        if (label != null && label.length() > 100) {
            label = label.substring(0, 100);
        }
        String token = accounts.issueToken(user, label);
        response.setHeader("Cache-Control", "no-store");
        model.addAttribute("token", token);
        model.addAttribute("tokens", accounts.tokensOf(user));
        return "account";
    }

    @PostMapping("/account/tokens/{id}/revoke")
    String revoke(@PathVariable long id, CurrentUser user, Locale locale, RedirectAttributes redirect) {
        accounts.revokeToken(user, id);
        redirect.addFlashAttribute("notice", messages.getMessage("account.token.revokedNotice", null, locale));
        return "redirect:/account";
    }
}
