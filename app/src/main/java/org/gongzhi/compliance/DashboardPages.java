package org.gongzhi.compliance;

import org.gongzhi.platform.CurrentUser;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** The compliance dashboard page of the caller's jurisdiction, and its ranking as CSV. */
@Controller
class DashboardPages {

    private final Dashboard dashboard;

    DashboardPages(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    @GetMapping("/compliance/dashboard")
    String page(@RequestParam(defaultValue = "12") int months, CurrentUser user, Model model) {
        Dashboard.View v = dashboard.view(user, months, 50);
        model.addAttribute("v", v);
        model.addAttribute("maxViolations", v.trend().stream().mapToInt(Dashboard.Month::violations).max().orElse(0));
        model.addAttribute("completenessDays", Dashboard.COMPLETENESS_DAYS);
        return "compliance/dashboard";
    }

    @GetMapping("/compliance/dashboard.csv")
    @ResponseBody
    ResponseEntity<byte[]> csv(@RequestParam(defaultValue = "12") int months, CurrentUser user) {
        Dashboard.View v = dashboard.view(user, months, 200);
        StringBuilder sb = new StringBuilder(EffluentPages.csv("rank", "outfall_code", "outfall_name", "region_code",
                "open_findings", "chronic_trc", "violations", "insufficient_data", "device_offline", "latest",
                "completeness_percent_" + Dashboard.COMPLETENESS_DAYS + "d"));
        int rank = 0;
        for (var r : v.outfalls()) {
            sb.append(EffluentPages.csv(++rank, r.nationalCode(), r.name(), r.regionCode(), r.open(), r.chronic(),
                    r.violations(), r.insufficient(), r.offline(), r.latest(), r.completenessPercent()));
        }
        return EffluentPages.file(sb, "compliance-dashboard.csv");
    }
}
