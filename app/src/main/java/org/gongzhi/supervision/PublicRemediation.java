package org.gongzhi.supervision;

import java.time.LocalDate;
import java.util.List;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.UserAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;

/**
 * The remediation status of an outfall, for the public: its 一口一策 plan (取缔/合并/规范, 国办函〔2022〕17号, the
 * campaign it belongs to, the deadline, the stage, the day completion was verified) and how many rectification
 * orders (整改通知) are open. The public is encouraged to supervise (办法; outfall-regulation.md §1.12), and whether
 * an outfall is being dealt with is what a citizen at the riverbank asks. Nothing personal leaves this class: no
 * measures text, notes, evidence, usernames or who is accountable by name. Deliberately not scoped to a
 * jurisdiction: callers hold an outfall id from the ledger's public read.
 */
@Service
public class PublicRemediation {

    public enum Kind { BAN, MERGE, REGULARIZE }

    /** PLANNED (整治中), REPORTED (已报告完成，待验收), VERIFIED (已验收). */
    public enum Stage { PLANNED, REPORTED, VERIFIED }

    /**
     * The outfall's current plan: the open one, else the last one verified.
     *
     * @param campaign   the 排查整治 campaign's name, null for a plan outside a campaign
     * @param overdue    past the deadline and not verified
     * @param verifiedOn the day (China time) a regulator verified completion; null before
     */
    public record Plan(String campaign, Kind kind, LocalDate deadline, Stage stage, boolean overdue, LocalDate verifiedOn) {
    }

    /** @param plan null when the outfall never had a plan */
    public record Status(Plan plan, int openRectificationOrders) {
    }

    private final Remediation remediation;
    private final Campaigns campaigns;
    private final JdbcClient jdbc;

    PublicRemediation(Remediation remediation, Campaigns campaigns, JdbcClient jdbc) {
        this.remediation = remediation;
        this.campaigns = campaigns;
        this.jdbc = jdbc;
    }

    public Status of(long outfallId) {
        CurrentUser system = CurrentUser.system();
        LocalDate today = LocalDate.now(Remediation.CHINA);
        // newest first; at most one is open (remediation_plan_open_idx), and a newer plan follows a verified one
        Plan plan = remediation.forOutfall(outfallId, system).stream().findFirst().map(p -> new Plan(
                p.campaignId() == null ? null : campaigns.find(p.campaignId(), system).name(),
                Kind.valueOf(p.action().name()), p.deadline(), Stage.valueOf(p.status().name()), p.overdue(today),
                p.verifiedAt() == null ? null : p.verifiedAt().atZone(Remediation.CHINA).toLocalDate())).orElse(null);
        int orders = jdbc.sql("SELECT count(*) FROM rectification_order WHERE outfall_id = ? AND status <> 'CLOSED'")
                .param(outfallId).query(Integer.class).single();
        return new Status(plan, orders);
    }

    /**
     * Demo city: a 规范整治 plan in the city's campaign for the first industrial outfall of 苏州市 (by code), the one
     * the approvals demo gives a decision and the compliance demo limits, so that its public page shows a
     * remediation status. After those demos; idempotent (an outfall with a plan is left alone).
     */
    @Component
    @Order(60)
    @ConditionalOnProperty(name = "gongzhi.demo.enabled", havingValue = "true")
    static class Demo implements ApplicationRunner {

        private static final Logger log = LoggerFactory.getLogger(Demo.class);

        private final Remediation remediation;
        private final Campaigns campaigns;
        private final Ledger ledger;
        private final UserAccounts users;

        Demo(Remediation remediation, Campaigns campaigns, Ledger ledger, UserAccounts users) {
            this.remediation = remediation;
            this.campaigns = campaigns;
            this.ledger = ledger;
            this.users = users;
        }

        @Override
        public void run(ApplicationArguments args) {
            CurrentUser city = users.findUser("suzhou").orElse(null);
            if (city == null) {
                return;
            }
            List<Outfall> industrial = ledger.search(new LedgerQuery("320500", "IND_ENT", null, null, null, null, null, null,
                    LedgerQuery.Sort.CODE, false, 0, 1), city).items();
            List<Campaigns.Campaign> mine = campaigns.list(city);
            if (industrial.isEmpty() || mine.isEmpty() || industrial.get(0).parties().isEmpty()) {
                return;
            }
            Outfall o = industrial.get(0);
            if (!remediation.forOutfall(o.id(), city).isEmpty()) {
                return;
            }
            long campaign = mine.get(0).id();
            campaigns.addOutfall(campaign, o.id(), city);
            remediation.create(new Remediation.PlanInput(campaign, o.id(), Remediation.Action.REGULARIZE, null, false,
                    "按HJ 1309完成规范化建设：设置监测采样点和检查井，更换标识牌（演示数据）",
                    LocalDate.now(Remediation.CHINA).plusMonths(3),
                    o.parties().stream().filter(Outfall.Party::lead).findFirst().orElse(o.parties().get(0)).organizationId()),
                    city);
            log.info("Demo remediation plan for outfall {}", o.nationalCode());
        }
    }
}
