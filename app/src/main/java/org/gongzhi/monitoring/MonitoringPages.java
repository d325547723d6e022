package org.gongzhi.monitoring;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Pages of online monitoring: devices (with registration and binding), an outfall's data, the rejected-frame log. */
@Controller
class MonitoringPages {

    /** Texts of this module, read from messages-monitoring*.properties whether or not the app's basename lists it. */
    private static final ResourceBundleMessageSource TEXTS = new ResourceBundleMessageSource();

    static {
        TEXTS.setBasename("messages-monitoring");
        TEXTS.setDefaultEncoding("UTF-8");
        TEXTS.setFallbackToSystemLocale(false);
    }

    private final Monitoring monitoring;
    private final Ledger ledger;
    private final DeviceAlerts alerts;
    private final ManualResultImports results;

    MonitoringPages(Monitoring monitoring, Ledger ledger, DeviceAlerts alerts, ManualResultImports results) {
        this.monitoring = monitoring;
        this.ledger = ledger;
        this.alerts = alerts;
        this.results = results;
    }

    /** {@code ${mt['key']}} in the templates. */
    @ModelAttribute("mt")
    Map<String, String> texts(Locale locale) {
        return new AbstractMap<>() {
            @Override
            public String get(Object key) {
                return TEXTS.getMessage(String.valueOf(key), null, String.valueOf(key), locale);
            }

            @Override
            public boolean containsKey(Object key) {
                return true;
            }

            @Override
            public Set<Entry<String, String>> entrySet() {
                return Set.of();
            }
        };
    }

    /** The registration / bind form. */
    static final class DeviceForm {
        public String mn;
        public String password;
        public Long outfallId;
        public String factors;
        public Integer intervalSeconds = 600;
        public boolean lenientCrc;

        Monitoring.DeviceInput toInput() {
            List<String> f = factors == null ? List.of()
                    : Arrays.stream(factors.split("[,，\\s]+")).filter(s -> !s.isBlank()).toList();
            return new Monitoring.DeviceInput(mn, password, outfallId, f, intervalSeconds, lenientCrc);
        }

        public String getMn() { return mn; }
        public void setMn(String v) { mn = v; }
        public String getPassword() { return password; }
        public void setPassword(String v) { password = v; }
        public Long getOutfallId() { return outfallId; }
        public void setOutfallId(Long v) { outfallId = v; }
        public String getFactors() { return factors; }
        public void setFactors(String v) { factors = v; }
        public Integer getIntervalSeconds() { return intervalSeconds; }
        public void setIntervalSeconds(Integer v) { intervalSeconds = v; }
        public boolean isLenientCrc() { return lenientCrc; }
        public void setLenientCrc(boolean v) { lenientCrc = v; }
    }

    @GetMapping("/monitoring/devices")
    String devices(CurrentUser user, Model model) {
        if (!model.containsAttribute("form")) {
            DeviceForm form = new DeviceForm();
            form.factors = "w00000, w01018, w21003, w21011, w21001, w01001";
            model.addAttribute("form", form);
        }
        List<Monitoring.Device> devices = monitoring.devices(user);
        Map<String, Double> completeness = new LinkedHashMap<>();
        for (Monitoring.Device d : devices) {
            completeness.put(d.mn(), monitoring.completenessToday(d.mn(), user));
        }
        model.addAttribute("devices", devices);
        model.addAttribute("completeness", completeness);
        model.addAttribute("unregistered", user.canEditLedger() ? monitoring.unregistered(user) : List.of());
        model.addAttribute("alerts", alerts.list(false, 500, user));
        if (!model.containsAttribute("problems")) {
            model.addAttribute("problems", List.of());
        }
        return "monitoring/devices";
    }

    @PostMapping("/monitoring/devices")
    String register(@ModelAttribute("form") DeviceForm form, CurrentUser user, Model model, RedirectAttributes redirect) {
        try {
            monitoring.register(form.toInput(), user);
        } catch (InvalidInputException e) {
            model.addAttribute("problems", e.problems());
            return devices(user, model);
        } catch (Monitoring.DuplicateMn e) {
            model.addAttribute("problems", List.of(FieldProblem.of("mn", form.mn, "该 MN 已登记", "this MN is already registered")));
            return devices(user, model);
        }
        redirect.addFlashAttribute("saved", form.mn);
        return "redirect:/monitoring/devices";
    }

    /** The host-command form of the device page; times as the browser's datetime-local sends them (China time). */
    static final class CommandForm {
        public String cn = "1012";
        public Integer rtdInterval;
        public Integer minInterval;
        public String begin;
        public String end;

        Monitoring.CommandInput toInput() {
            return new Monitoring.CommandInput(cn, rtdInterval, minInterval, time(begin), time(end), null);
        }

        private static java.time.LocalDateTime time(String s) {
            try {
                return s == null || s.isBlank() ? null : java.time.LocalDateTime.parse(s);
            } catch (java.time.format.DateTimeParseException e) {
                return null; // reported as a missing time by the command check
            }
        }

        public String getCn() { return cn; }
        public void setCn(String v) { cn = v; }
        public Integer getRtdInterval() { return rtdInterval; }
        public void setRtdInterval(Integer v) { rtdInterval = v; }
        public Integer getMinInterval() { return minInterval; }
        public void setMinInterval(Integer v) { minInterval = v; }
        public String getBegin() { return begin; }
        public void setBegin(String v) { begin = v; }
        public String getEnd() { return end; }
        public void setEnd(String v) { end = v; }
    }

    /** One data logger: status, today's completeness per factor, and host commands with their answers. */
    @GetMapping("/monitoring/devices/{mn}")
    String device(@PathVariable String mn, CurrentUser user, Model model) {
        Monitoring.Device d = monitoring.device(mn, user);
        model.addAttribute("d", d);
        model.addAttribute("status", monitoring.status(mn, null, user));
        if (!model.containsAttribute("command")) {
            model.addAttribute("command", new CommandForm());
        }
        if (!model.containsAttribute("problems")) {
            model.addAttribute("problems", List.of());
        }
        return "monitoring/device";
    }

    @PostMapping("/monitoring/devices/{mn}/commands")
    String command(@PathVariable String mn, @ModelAttribute("command") CommandForm form, CurrentUser user, Model model,
                   RedirectAttributes redirect) {
        try {
            HostCommands.Command sent = monitoring.command(mn, form.toInput(), user);
            redirect.addFlashAttribute("sent", sent.cn() + " · QN " + sent.qn());
        } catch (InvalidInputException e) {
            model.addAttribute("problems", e.problems());
            return device(mn, user, model);
        } catch (Monitoring.NotConnected e) {
            model.addAttribute("problems", List.of(FieldProblem.of("cn", form.cn,
                    "数采仪当前未连接，命令无法下发；设备连上后再试", "the data logger is not connected; try again once it is")));
            return device(mn, user, model);
        }
        return "redirect:/monitoring/devices/" + java.net.URLEncoder.encode(mn, java.nio.charset.StandardCharsets.UTF_8);
    }

    @PostMapping("/monitoring/devices/{mn}/bind")
    String bind(@PathVariable String mn, @ModelAttribute("bind") DeviceForm form, CurrentUser user, Model model,
                RedirectAttributes redirect) {
        form.mn = mn;
        return register(form, user, model, redirect);
    }

    @GetMapping("/monitoring/outfalls/{id}")
    String outfall(@PathVariable long id, @RequestParam(required = false) String factor, CurrentUser user, Model model) {
        model.addAttribute("o", ledger.find(id, user));
        List<Monitoring.Latest> latest = monitoring.latest(id, user);
        model.addAttribute("latest", latest);
        List<String> factors = new ArrayList<>(latest.stream().map(Monitoring.Latest::factor).toList());
        model.addAttribute("factors", factors);
        model.addAttribute("factor", factor != null ? factor : factors.isEmpty() ? "w01018" : factors.get(0));
        model.addAttribute("devices", monitoring.devices(user).stream().filter(d -> d.outfallId() == id).toList());
        model.addAttribute("results", results.recent(id, 100));
        return "monitoring/outfall";
    }

    @GetMapping("/monitoring/rejected")
    String rejected(@RequestParam(required = false) String reason, @RequestParam(defaultValue = "0") int page,
                    CurrentUser user, Model model) {
        model.addAttribute("result", monitoring.rejectedFrames(reason, page, 100, user));
        model.addAttribute("reason", reason);
        return "monitoring/rejected";
    }
}
