package org.gongzhi.platform;

import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The notice inbox of the signed-in user's organization (/notices), its unread badge, and the user's e-mail address for it. */
@Controller
class NoticePages {

    private final Notices notices;
    private final NoticeMail mail;

    NoticePages(Notices notices, NoticeMail mail) {
        this.notices = notices;
        this.mail = mail;
    }

    @GetMapping("/notices")
    String inbox(@RequestParam(defaultValue = "false") boolean unread, CurrentUser user, Model model) {
        model.addAttribute("notices", notices.inbox(user, unread, 200));
        model.addAttribute("unread", notices.unread(user));
        model.addAttribute("unreadOnly", unread);
        model.addAttribute("mailEnabled", mail.enabled());
        model.addAttribute("email", mail.address(user));
        return "platform/notices";
    }

    /** The navigation's badge, loaded by htmx (as the alerts' count) so that every page need not query notices. */
    @GetMapping(value = "/notices/unread-count", produces = "text/html")
    @ResponseBody
    String unreadCount(CurrentUser user) {
        long n = notices.unread(user);
        return n == 0 ? "" : "<span class=\"chip badge\" id=\"notices-unread\">" + n + "</span>";
    }

    /** Marks the notice read and follows its link (or back to the inbox). */
    @PostMapping("/notices/{id}/read")
    String read(@PathVariable long id, @RequestParam(defaultValue = "false") boolean follow, CurrentUser user) {
        String link = notices.markRead(id, user).orElse("/notices");
        return "redirect:" + (follow ? link : "/notices");
    }

    @PostMapping("/notices/read-all")
    String readAll(CurrentUser user) {
        notices.markAllRead(user);
        return "redirect:/notices";
    }

    @PostMapping("/notices/email")
    String email(@RequestParam(required = false) String email, CurrentUser user, Locale locale, RedirectAttributes redirect) {
        try {
            mail.setAddress(email, user);
            redirect.addFlashAttribute("saved", true);
        } catch (InvalidInputException e) {
            boolean en = "en".equals(locale.getLanguage());
            redirect.addFlashAttribute("problems", e.problems().stream()
                    .map(p -> p.field() + ": " + (en ? p.reasonEn() : p.reasonZh())).toList());
        }
        return "redirect:/notices";
    }
}
