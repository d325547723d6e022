package org.gongzhi.compliance;

import java.util.List;
import java.util.Locale;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The alert inbox (收件箱), one alert with its acknowledgement, and the organization's push channels. */
@Controller
class AlertPages {

    private final Alerts alerts;
    private final AlertChannels channels;

    AlertPages(Alerts alerts, AlertChannels channels) {
        this.alerts = alerts;
        this.channels = channels;
    }

    @GetMapping("/alerts")
    String inbox(@RequestParam(required = false) Alerts.Status status, CurrentUser user, Model model) {
        model.addAttribute("alerts", alerts.inbox(user, status, false, 200));
        model.addAttribute("unread", alerts.unread(user));
        model.addAttribute("status", status);
        model.addAttribute("channels", channels.channels(user));
        model.addAttribute("mailEnabled", channels.mailEnabled());
        return "compliance/alerts";
    }

    /** The nav's unread count, loaded by htmx so that pages of other modules need not know about alerts. */
    @GetMapping(value = "/alerts/unread-count", produces = "text/html")
    @ResponseBody
    String unreadCount(CurrentUser user) {
        long n = alerts.unread(user);
        return n == 0 ? "" : "<span class=\"chip badge\" id=\"alerts-unread\">" + n + "</span>";
    }

    @GetMapping("/alerts/{id}")
    String alert(@PathVariable long id, CurrentUser user, Model model) {
        model.addAttribute("a", alerts.open(id, user));
        model.addAttribute("recipients", alerts.recipients(id));
        return "compliance/alert";
    }

    @PostMapping("/alerts/{id}/acknowledge")
    String acknowledge(@PathVariable long id, @RequestParam(required = false) String note, CurrentUser user, Locale locale,
                       RedirectAttributes redirect) {
        try {
            alerts.acknowledge(id, note, user);
            redirect.addFlashAttribute("saved", true);
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("errors", messages(e.problems(), locale));
        }
        return "redirect:/alerts/" + id;
    }

    @PostMapping("/alerts/channels")
    String addChannel(@RequestParam(required = false) AlertChannels.Kind kind, @RequestParam(required = false) String target,
                      CurrentUser user, Locale locale, RedirectAttributes redirect) {
        try {
            AlertChannels.Created c = channels.create(kind, target, user);
            redirect.addFlashAttribute("secret", c.secret());
            redirect.addFlashAttribute("saved", true);
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("errors", messages(e.problems(), locale));
        }
        return "redirect:/alerts#channels";
    }

    @PostMapping("/alerts/channels/{id}/delete")
    String deleteChannel(@PathVariable long id, CurrentUser user, RedirectAttributes redirect) {
        channels.delete(id, user);
        redirect.addFlashAttribute("saved", true);
        return "redirect:/alerts#channels";
    }

    @GetMapping("/alerts/channels/{id}")
    String channel(@PathVariable long id, CurrentUser user, Model model) {
        model.addAttribute("channel", channels.own(id, user));
        model.addAttribute("deliveries", channels.deliveries(id, user));
        model.addAttribute("attempts", channels.attempts(id, user));
        return "compliance/channel";
    }

    static List<String> messages(List<FieldProblem> problems, Locale locale) {
        boolean en = "en".equals(locale.getLanguage());
        return problems.stream().map(p -> p.field() + ": " + (en ? p.reasonEn() : p.reasonZh())).toList();
    }
}
