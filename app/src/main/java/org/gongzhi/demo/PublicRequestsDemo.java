package org.gongzhi.demo;

import java.util.List;
import java.util.Map;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.requests.PublicRequests;
import org.gongzhi.requests.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * A few public requests in 吴中区 for the demo (after the demo city exists): one answered and closed as satisfied, one
 * answered and sent back, one waiting for the county bureau, so that the request list, a follow-up page and the
 * metrics show something. Idempotent: nothing is added when the demo outfalls already have requests.
 */
@Component
@Order(20)
@ConditionalOnProperty(name = "gongzhi.demo.enabled", havingValue = "true")
class PublicRequestsDemo implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(PublicRequestsDemo.class);

    private final PublicRequests requests;
    private final Ledger ledger;

    PublicRequestsDemo(PublicRequests requests, Ledger ledger) {
        this.requests = requests;
        this.ledger = ledger;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<Outfall> outfalls = ledger.search(new LedgerQuery("320506", null, null, null, null, null, null, null,
                LedgerQuery.Sort.CODE, false, 0, 3), CurrentUser.system()).items();
        if (outfalls.size() < 3 || requests.count() > 0) {
            return;
        }
        CurrentUser staff = CurrentUser.system();
        Request a = submit(outfalls.get(0), "ABNORMAL_WATER", Map.of("colour", "black", "smell", "foul"), "排污口下游约50米河水发黑，有臭味");
        requests.accept(a.id(), staff);
        requests.reply(a.id(), "已到现场检查，系上游雨污混接，已责令整改并复查，水质已恢复。", true, staff);
        requests.rate(a.token(), Request.Rating.SATISFIED);

        Request b = submit(outfalls.get(1), "ILLEGAL_DISCHARGE", Map.of("ongoing", "yes"), "夜间排污口有大量黄色污水排出");
        requests.accept(b.id(), staff);
        requests.reply(b.id(), "已安排夜间巡查，暂未发现异常排放。", false, staff);
        requests.rate(b.token(), Request.Rating.UNSATISFIED);
        requests.reopen(b.token(), "昨晚又看到了，请安排在线监测");

        submit(outfalls.get(2), "SIGNBOARD_DAMAGED", Map.of(), "标识牌上的二维码被涂抹，扫不出来");
        log.info("demo: 3 public requests in 吴中区");
    }

    private Request submit(Outfall o, String service, Map<String, String> attributes, String description) {
        return requests.submit(new PublicRequests.Intake(service, o.nationalCode(), null, null, null, null, description,
                attributes, null, null, null, "demo", Request.Channel.OUTFALL_PAGE, null, List.of()));
    }
}
