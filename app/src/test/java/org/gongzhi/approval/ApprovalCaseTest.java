package org.gongzhi.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.Lifecycle;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.ledger.Regime;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.Basin;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every path of the case state machine on real PostgreSQL, with the clock set to dates around the 2026 Spring
 * Festival, Qingming and National Day, so that the stored deadlines can be checked against the official calendar.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@RecordApplicationEvents
class ApprovalCaseTest {

    static final byte[] PDF = "%PDF-1.4\n% test material\n".getBytes(StandardCharsets.US_ASCII);
    private static final AtomicInteger SEQ = new AtomicInteger();

    @Autowired Approvals approvals;
    @Autowired ApprovalCases cases;
    @Autowired TestAccounts accounts;
    @Autowired Ledger ledger;
    @Autowired WaterBodies waterBodies;
    @Autowired Regions regions;
    @Autowired AuditLog audit;
    @Autowired JdbcClient jdbc;
    @Autowired TransactionTemplate tx;
    @Autowired MockMvc mvc;
    @Autowired ApplicationEvents events;
    @Autowired ApprovalReminders reminders;
    @Autowired org.gongzhi.platform.Notices notices;

    CurrentUser suzhou;       // 苏州市 city bureau: decides by default
    CurrentUser wuzhong;      // 吴中区 county bureau
    CurrentUser wuxi;         // 无锡市: a foreign jurisdiction
    CurrentUser party;
    CurrentUser otherParty;
    CurrentUser wuxiParty;
    Organization partyOrg;
    WaterBody river;

    @BeforeEach
    void setUp() {
        suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        wuzhong = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.COUNTY, "320506"));
        wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        partyOrg = accounts.party("320506");
        party = accounts.user(Role.PARTY, partyOrg);
        otherParty = accounts.user(Role.PARTY, accounts.party("320506"));
        wuxiParty = accounts.user(Role.PARTY, accounts.party("320211"));
        river = tx.execute(s -> waterBodies.create("审批测试河" + SEQ.incrementAndGet(), WaterBody.Kind.RIVER, Basin.TAIHU,
                null, "III", "320506", regions));
    }

    @AfterEach
    void resetClock() {
        approvals.clock(Clock.system(Approvals.CHINA));
    }

    void on(String date) {
        approvals.clock(Clock.fixed(LocalDate.parse(date).atTime(10, 0).atZone(Approvals.CHINA).toInstant(), Approvals.CHINA));
    }

    static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    Approvals.ApplicationInput newIndustrial(String industry, String eiaLevel) {
        return new Approvals.ApplicationInput("APPROVAL", "NEW", null, null, null, "测试化工厂入河排污口" + SEQ.incrementAndGet(),
                "IND_ENT", "320506", river.id(), 120.61, 31.25, "CLOSED_PIPE", "CONTINUOUS_STABLE", "太湖支流",
                new BigDecimal("800"), "年产5万吨精细化工项目", "苏环建〔2026〕12号", industry, false, eiaLevel,
                List.of(new ApprovalCase.Pollutant("w01018", new BigDecimal("50"), new BigDecimal("14.6"))), List.of(), null);
    }

    void upload(ApprovalCase c, String kind, CurrentUser by) {
        approvals.addMaterial(c.id(), kind, kind.toLowerCase() + ".pdf", PDF, by);
    }

    ApprovalCase reload(ApprovalCase c) {
        return approvals.find(c.id(), CurrentUser.system());
    }

    static String pdfText(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc).replaceAll("\\s+", "");
        }
    }

    String documentText(ApprovalCase c, String kind) throws Exception {
        ApprovalCase.Document doc = cases.documents(c.id()).stream().filter(x -> x.kind().equals(kind)).reduce((a, b) -> b)
                .orElseThrow();
        String text = pdfText(jdbc.sql("SELECT content FROM stored_file WHERE id = ?").param(doc.fileId()).query(byte[].class).single());
        assertThat(text).contains(doc.verificationCode());
        return text;
    }

    static ApprovalDecided.DecidedLimit le(String factor, String value) {
        return new ApprovalDecided.DecidedLimit(factor, "DAILY_MEAN", "LE", new BigDecimal(value), null, null, "mg/L");
    }

    // ------------------------------------------------------------------------------------------------------------

    @Test
    void supplementThenAcceptancePauseExtensionAndApprovalAcrossTheSpringFestivalAndQingming() throws Exception {
        on("2026-02-12"); // Thursday before the Spring Festival
        ApprovalCase c = approvals.apply(newIndustrial("化工", null), party);
        assertThat(c.state()).isEqualTo(ApprovalCase.State.SUBMITTED);
        // 5 working days, receipt day not counted: 02-13, the worked Saturday 02-14, then 02-24, 02-25, 02-26.
        assertThat(c.completenessDeadline()).isEqualTo(d("2026-02-26"));
        assertThat(c.needsFullReport()).isTrue(); // 化工 is a listed industry (办法 Art 15)
        assertThat(c.authority().level()).isEqualTo("CITY");
        assertThat(c.authority().regionCode()).isEqualTo("320500");
        upload(c, "BRIEF_ANALYSIS", party);
        Approvals.CaseFile file = approvals.file(c.id(), party);
        assertThat(file.missing()).containsExactly("FULL_REPORT", "PROJECT_BASIS");

        // Acceptance with materials missing is refused; the bureau sends the one supplement notice.
        on("2026-02-13");
        ApprovalCase before = reload(c);
        assertThatThrownBy(() -> approvals.accept(c.id(), before.version(), suzhou)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("FULL_REPORT");
        ApprovalCase noticed = approvals.requestSupplement(c.id(), before.version(), "1. 论证报告（化工行业须提交全本）\n2. 建设项目环评批复", suzhou);
        assertThat(noticed.state()).isEqualTo(ApprovalCase.State.SUPPLEMENT_REQUESTED);
        assertThat(documentText(noticed, "SUPPLEMENT")).contains("补正材料通知书").contains("论证报告（化工行业须提交全本）");

        // The applicant supplements after the holiday; the completeness check runs again from that day.
        on("2026-02-24");
        assertThatThrownBy(() -> approvals.supplied(c.id(), noticed.version(), party))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("upload the supplementary materials first");
        upload(c, "FULL_REPORT", party);
        upload(c, "PROJECT_BASIS", party);
        ApprovalCase supplied = approvals.supplied(c.id(), reload(c).version(), party);
        assertThat(supplied.state()).isEqualTo(ApprovalCase.State.SUBMITTED);
        assertThat(supplied.completenessDeadline()).isEqualTo(d("2026-03-02")); // 25, 26, 27, Sat 28 (worked), 03-02
        assertThatThrownBy(() -> approvals.requestSupplement(c.id(), supplied.version(), "再补一项", suzhou))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("只能发出一次");

        on("2026-02-25");
        ApprovalCase accepted = approvals.accept(c.id(), supplied.version(), suzhou);
        assertThat(accepted.state()).isEqualTo(ApprovalCase.State.ACCEPTED);
        assertThat(accepted.caseNumber()).isEqualTo("320500受〔2026〕" + accepted.caseNumber().replaceAll(".*〕", ""));
        assertThat(accepted.acceptedOn()).isEqualTo(d("2026-02-25"));
        assertThat(accepted.decisionDeadline()).isEqualTo(d("2026-03-24")); // 20 working days (Art 42)
        assertThat(documentText(accepted, "ACCEPTANCE")).contains("受理通知书").contains(accepted.caseNumber())
                .contains("2026-03-24");

        // Expert review from Mon 03-02 to Fri 03-06: 4 working days not counted (Art 45).
        on("2026-03-02");
        ApprovalCase paused = approvals.pause(c.id(), accepted.version(), "EXPERT_REVIEW", null, "专家评审会", suzhou);
        assertThat(paused.state()).isEqualTo(ApprovalCase.State.PAUSED);
        assertThat(approvals.file(c.id(), party).clocks().running()).isEqualTo("PAUSED");
        ApprovalCase finalPaused = paused;
        assertThatThrownBy(() -> approvals.approve(c.id(), finalPaused.version(), decision(), suzhou))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not possible while");
        on("2026-03-06");
        ApprovalCase resumed = approvals.resume(c.id(), paused.version(), null, suzhou);
        assertThat(resumed.decisionDeadline()).isEqualTo(d("2026-03-30"));
        assertThat(cases.pauses(c.id())).singleElement().satisfies(p -> {
            assertThat(p.pausedDays()).isEqualTo(4);
            assertThat(p.endedOn()).isEqualTo(d("2026-03-06"));
        });

        // One extension of 10 working days across Qingming (04-04…04-06 off): 03-30 → 04-14.
        on("2026-03-20");
        assertThatThrownBy(() -> approvals.extend(c.id(), resumed.version(), " ", suzhou))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Art 42");
        ApprovalCase extended = approvals.extend(c.id(), resumed.version(), "需征求太湖流域管理机构意见", suzhou);
        assertThat(extended.decisionDeadline()).isEqualTo(d("2026-04-14"));
        assertThat(documentText(extended, "EXTENSION")).contains("需征求太湖流域管理机构意见").contains("2026-04-14");
        assertThatThrownBy(() -> approvals.extend(c.id(), extended.version(), "再延一次", suzhou))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("only once");

        // Approval on time: the outfall enters the ledger, the limits are published for compliance.
        on("2026-04-10");
        Approvals.Statistics statsBefore = approvals.statistics(suzhou);
        ApprovalCase approved = approvals.approve(c.id(), extended.version(), decision(), suzhou);
        assertThat(approved.state()).isEqualTo(ApprovalCase.State.APPROVED);
        assertThat(approved.decisionNumber()).startsWith("320500审〔2026〕");
        Outfall o = ledger.find(approved.outfallId(), suzhou);
        assertThat(o.regime()).isEqualTo(Regime.APPROVAL);
        assertThat(o.lifecycle()).isEqualTo(Lifecycle.UNDER_SUPERVISION);
        assertThat(o.designCapacity()).isEqualTo(750.0);
        assertThat(o.leadParty().organizationId()).isEqualTo(partyOrg.id());
        assertThat(ledger.history(o.id(), suzhou).get(0).reason()).contains(approved.decisionNumber());
        assertThat(events.stream(ApprovalDecided.class).filter(e -> e.caseId() == c.id())).singleElement().satisfies(e -> {
            assertThat(e.outfallId()).isEqualTo(o.id());
            assertThat(e.decisionNumber()).isEqualTo(approved.decisionNumber());
            assertThat(e.decisionDate()).isEqualTo(d("2026-04-10"));
            assertThat(e.limits()).extracting(ApprovalDecided.DecidedLimit::factor).containsExactly("w01018", "w21003");
        });
        assertThat(documentText(approved, "DECISION")).contains("准予行政许可决定书").contains(approved.decisionNumber())
                .contains("太湖支流").contains("750").contains("w21003");
        assertThat(approvals.file(c.id(), party).documents()).extracting(ApprovalCase.Document::kind)
                .containsExactly("SUPPLEMENT", "ACCEPTANCE", "EXTENSION", "DECISION");

        // Every transition is in the audit log, and the issued PDFs cannot be changed.
        assertThat(audit.forEntity("approval_case", String.valueOf(c.id()))).extracting(AuditLog.Entry::action)
                .filteredOn(a -> !a.equals("ATTACH_FILE")) // uploads and the stored PDFs are audited too
                .containsExactly("APPROVAL_SUBMITTED", "APPROVAL_SUPPLEMENT_REQUESTED", "APPROVAL_SUPPLEMENTED",
                        "APPROVAL_ACCEPTED", "APPROVAL_PAUSED", "APPROVAL_RESUMED", "APPROVAL_EXTENDED",
                        "APPROVAL_APPROVED");
        assertThatThrownBy(() -> jdbc.sql("UPDATE approval_document SET number = 'x' WHERE case_id = ?").param(c.id()).update())
                .hasMessageContaining("immutable");

        // Statistics of the bureau: this decision took 32 working days from acceptance minus the 4 paused, on time
        // (other tests' cases of the same bureau are in the figures too, so compare with the figures before it).
        Approvals.Statistics after = approvals.statistics(suzhou);
        assertThat(after.decided()).isEqualTo(statsBefore.decided() + 1);
        double sumBefore = statsBefore.averageWorkingDays() == null ? 0 : statsBefore.averageWorkingDays() * statsBefore.decided();
        assertThat(calendarDays("2026-02-25", "2026-04-10") - 4).isEqualTo(28);
        assertThat(after.averageWorkingDays()).isCloseTo((sumBefore + 28) / after.decided(), org.assertj.core.data.Offset.offset(1e-9));
        double onTimeBefore = statsBefore.shareOnTime() == null ? 0 : statsBefore.shareOnTime() * statsBefore.decided();
        assertThat(after.shareOnTime()).isCloseTo((onTimeBefore + 1) / after.decided(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Autowired org.gongzhi.calendar.WorkingCalendar calendar;

    int calendarDays(String from, String to) {
        return calendar.workingDaysBetween(d(from), d(to));
    }

    Approvals.DecisionInput decision() {
        return new Approvals.DecisionInput(null, "CLOSED_PIPE", "太湖支流", new BigDecimal("750"), null,
                List.of(le("w01018", "50"), le("w21003", "5")), "安装化学需氧量、氨氮在线监测设备并与平台联网");
    }

    @Test
    void withoutASupplementNoticeInFiveWorkingDaysTheApplicationCountsAsAcceptedFromReceipt() throws Exception {
        on("2026-09-29"); // Tuesday before National Day
        ApprovalCase c = approvals.apply(newIndustrial("纺织", null), party);
        assertThat(c.needsFullReport()).isFalse();
        assertThat(c.completenessDeadline()).isEqualTo(d("2026-10-12")); // 30, 10-08, 10-09, Sat 10-10 (worked), 10-12
        upload(c, "BRIEF_ANALYSIS", party);

        on("2026-10-12");
        assertThat(approvals.deemAcceptances()).isZero(); // the last day of the check is still the bureau's
        on("2026-10-13");
        approvals.deemAcceptances();
        ApprovalCase deemed = reload(c);
        assertThat(deemed.state()).isEqualTo(ApprovalCase.State.ACCEPTED);
        assertThat(deemed.deemedAccepted()).isTrue();
        assertThat(deemed.acceptedOn()).isEqualTo(d("2026-09-29"));         // from receipt (Art 32)
        assertThat(deemed.decisionDeadline()).isEqualTo(d("2026-11-02"));   // 20 working days from 09-29
        assertThat(deemed.caseNumber()).startsWith("320500受〔2026〕");
        assertThat(documentText(deemed, "ACCEPTANCE")).contains("第三十二条").contains("即为受理");
        assertThat(audit.forEntity("approval_case", String.valueOf(c.id()))).extracting(AuditLog.Entry::action)
                .contains("APPROVAL_DEEMED_ACCEPTED");
        assertThatThrownBy(() -> approvals.requestSupplement(c.id(), deemed.version(), "迟到的补正", suzhou))
                .isInstanceOf(InvalidInputException.class);

        // A bureau acting after the deadline on a case the job has not reached yet settles it first.
        on("2026-09-29");
        ApprovalCase late = approvals.apply(newIndustrial("纺织", null), party);
        on("2026-10-14");
        assertThatThrownBy(() -> approvals.requestSupplement(late.id(), late.version(), "迟到的补正", suzhou))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("第三十二条");
        assertThat(reload(late).deemedAccepted()).isTrue();

        // Refusal with reasons from the catalogue and an explanation, and its decision document.
        on("2026-10-20");
        ApprovalCase before = reload(c);
        assertThatThrownBy(() -> approvals.refuse(c.id(), before.version(), List.of(), null, suzhou))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.field()).containsExactly("reasons", "text"));
        ApprovalCase refused = approvals.refuse(c.id(), before.version(), List.of("DRINKING_WATER_SOURCE"),
                "拟设排污口位于某水厂取水口上游一级保护区内。", suzhou);
        assertThat(refused.state()).isEqualTo(ApprovalCase.State.REFUSED);
        assertThat(documentText(refused, "REFUSAL")).contains("不予行政许可决定书").contains("饮用水水源保护区")
                .contains("一级保护区").contains("行政复议");
        assertThat(refused.outfallId()).isNull();
    }

    @Test
    void aRuralWastewaterOutfallIsRegisteredReturnedFirstAndTheLedgerFollows() throws Exception {
        on("2026-11-02");
        Approvals.ApplicationInput rural = new Approvals.ApplicationInput("REGISTRATION", null, null, null, null,
                "东山村农村污水处理设施排口", "OTH_RURAL_WWTP", "320506", river.id(), 120.4, 31.1, "OPEN_CHANNEL", null,
                "东山河", new BigDecimal("120"), null, null, null, false, null, List.of(), List.of(), null);
        // An approval-type outfall cannot be registered, nor a registration-type one approved.
        assertThatThrownBy(() -> approvals.apply(new Approvals.ApplicationInput("REGISTRATION", null, null, null, null, "x",
                "IND_ENT", "320506", river.id(), null, null, null, null, null, null, null, null, null, false, null, null,
                null, null), party)).isInstanceOf(InvalidInputException.class).hasMessageContaining("needs an approval");
        assertThatThrownBy(() -> approvals.apply(new Approvals.ApplicationInput("APPROVAL", "NEW", null, null, null, "x",
                "OTH_RURAL_WWTP", "320506", river.id(), null, null, null, null, null, new BigDecimal("10"), "p", null,
                null, false, null, null, null, null), party)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("submit a registration");

        ApprovalCase c = approvals.apply(rural, party);
        assertThat(c.decisionDeadline()).isEqualTo(calendar.addWorkingDays(d("2026-11-02"), 20));
        assertThatThrownBy(() -> approvals.confirm(c.id(), c.version(), suzhou)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("REGISTRATION_FORM");
        ApprovalCase returned = approvals.returnToApplicant(c.id(), c.version(), "未附登记表", suzhou);
        assertThat(returned.state()).isEqualTo(ApprovalCase.State.RETURNED);
        assertThat(documentText(returned, "RETURN")).contains("未附登记表");

        on("2026-11-03");
        upload(c, "REGISTRATION_FORM", party);
        ApprovalCase again = approvals.resubmit(c.id(), returned.version(), party);
        assertThat(again.receivedOn()).isEqualTo(d("2026-11-03"));
        assertThatThrownBy(() -> approvals.confirm(c.id(), again.version(), party)).isInstanceOf(ForbiddenException.class);
        ApprovalCase registered = approvals.confirm(c.id(), again.version(), suzhou);
        assertThat(registered.state()).isEqualTo(ApprovalCase.State.REGISTERED);
        assertThat(registered.caseNumber()).startsWith("320500登〔2026〕");
        Outfall o = ledger.find(registered.outfallId(), party);
        assertThat(o.regime()).isEqualTo(Regime.REGISTRATION);
        assertThat(o.lifecycle()).isEqualTo(Lifecycle.UNDER_SUPERVISION);
        assertThat(documentText(registered, "REGISTRATION_RECEIPT")).contains("入河排污口登记回执")
                .contains(registered.caseNumber()).contains("东山村农村污水处理设施排口");

        // Later: a change of name (变更), then cancellation (注销) when the facility closes.
        ApprovalCase change = approvals.apply(new Approvals.ApplicationInput("CHANGE", null, null, null, o.id(),
                "东山村污水处理站排口", null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, "更名"), party);
        approvals.confirm(change.id(), change.version(), suzhou);
        assertThat(ledger.find(o.id(), suzhou).name()).isEqualTo("东山村污水处理站排口");
        ApprovalCase cancel = approvals.apply(new Approvals.ApplicationInput("CANCELLATION", null, null, null, o.id(),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                "并入城镇污水管网"), party);
        approvals.confirm(cancel.id(), cancel.version(), suzhou);
        assertThat(ledger.find(o.id(), suzhou).lifecycle()).isEqualTo(Lifecycle.CANCELLED);
        // Someone else's outfall cannot be cancelled by this party.
        assertThatThrownBy(() -> approvals.apply(new Approvals.ApplicationInput("CANCELLATION", null, null, null, o.id(),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, "x"),
                otherParty)).isInstanceOf(InvalidInputException.class).hasMessageContaining("outfallId");
    }

    @Test
    void casesAreRoutedByTheRuleTableAndOnlyTheDecidingBureauActs() {
        on("2026-11-02");
        // Default rule: the level that approved the project's EIA (here the county), else the city.
        ApprovalCase county = approvals.apply(newIndustrial("纺织", "COUNTY"), party);
        assertThat(county.authority().level()).isEqualTo("COUNTY");
        assertThat(county.authority().regionCode()).isEqualTo("320506");
        assertThatThrownBy(() -> approvals.accept(county.id(), county.version(), suzhou)).isInstanceOf(ForbiddenException.class);
        assertThat(approvals.queue(wuzhong, true)).extracting(f -> f.c().id()).contains(county.id());
        assertThat(approvals.queue(suzhou, true)).extracting(f -> f.c().id()).doesNotContain(county.id());
        assertThat(approvals.list(suzhou, true)).extracting(f -> f.c().id()).contains(county.id()); // the city still sees it

        // A province's own rule: 江苏 sends outfalls on this river to the Taihu basin bureau.
        long rule = jdbc.sql("""
                INSERT INTO approval_authority_rule (province_code, priority, criterion, criterion_value, authority_level, note)
                VALUES ('32', 10, 'WATER_BODY', ?, 'BASIN_BUREAU', 'test') RETURNING id""")
                .param(String.valueOf(river.id())).query(Long.class).single();
        try {
            ApprovalCase basin = approvals.apply(newIndustrial("纺织", "COUNTY"), party);
            assertThat(basin.authority().level()).isEqualTo("BASIN_BUREAU");
            assertThat(basin.authority().basin()).isEqualTo("TAIHU");
            CurrentUser taihu = accounts.user(Role.REGULATOR, accounts.basinBureau(Basin.TAIHU));
            assertThat(approvals.queue(taihu, true)).extracting(f -> f.c().id()).contains(basin.id());
        } finally {
            jdbc.sql("UPDATE approval_case SET authority_rule_id = NULL WHERE authority_rule_id = ?").param(rule).update();
            jdbc.sql("DELETE FROM approval_authority_rule WHERE id = ?").param(rule).update();
        }
    }

    @Test
    void aForeignJurisdictionGets404ForARealCaseAndItsFiles() throws Exception {
        ApprovalCase c = approvals.apply(newIndustrial("纺织", null), party);
        upload(c, "BRIEF_ANALYSIS", party);
        long fileId = cases.materials(c.id()).get(0).fileId();
        for (CurrentUser outsider : List.of(wuxi, wuxiParty, otherParty)) {
            mvc.perform(get("/api/v1/approval-cases/" + c.id()).with(accounts.as(outsider))).andExpect(status().isNotFound());
            mvc.perform(get("/api/v1/approval-cases/" + c.id() + "/files/" + fileId).with(accounts.as(outsider)))
                    .andExpect(status().isNotFound());
            mvc.perform(get("/approvals/" + c.id()).with(accounts.as(outsider))).andExpect(status().isNotFound());
            mvc.perform(post("/api/v1/approval-cases/" + c.id() + "/accept").with(accounts.as(outsider)).with(csrf())
                    .contentType(MediaType.APPLICATION_JSON).content("{\"version\": " + reload(c).version() + "}"))
                    .andExpect(status().isNotFound());
        }
        mvc.perform(get("/api/v1/approval-cases").with(accounts.as(wuxi)))
                .andExpect(result -> assertThat(result.getResponse().getContentAsString()).doesNotContain(c.outfall().name()));
        mvc.perform(get("/api/v1/approval-cases/" + c.id()).with(accounts.as(party))).andExpect(status().isOk());
        mvc.perform(get("/api/v1/approval-cases/" + c.id() + "/files/" + fileId).with(accounts.as(suzhou)))
                .andExpect(status().isOk());
        assertThat(reload(c).state()).isEqualTo(ApprovalCase.State.SUBMITTED);
    }

    @Test
    void badApplicationsAreRefusedWithEveryProblemNamed() throws Exception {
        mvc.perform(post("/api/v1/approval-cases").with(accounts.as(party)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"kind": "APPROVAL", "settingType": "NEW", "name": "", "typeCode": "IND_ENT", "regionCode": "320500",
                                 "waterBodyId": %d, "longitude": 200, "latitude": 31, "projectName": "p", "designCapacity": 10,
                                 "pollutants": [{"factor": "COD"}],
                                 "shares": [{"organizationId": %d, "volume": 5, "pollutants": ""}]}""".formatted(river.id(), partyOrg.id())))
                .andExpect(status().isUnprocessableContent())
                .andExpect(r -> assertThat(r.getResponse().getContentAsString())
                        .contains("\"field\":\"name\"").contains("\"field\":\"regionCode\"").contains("\"field\":\"longitude\"")
                        .contains("pollutants[0].factor").contains("shares[0].pollutants").contains("at least two parties")
                        .contains("reason_zh"));
    }

    /** Applies, completes, accepts and approves a new outfall on {@code date}; returns the decided case. */
    ApprovalCase approvedNew(String date) {
        on(date);
        ApprovalCase c = approvals.apply(newIndustrial("纺织", null), party);
        upload(c, "BRIEF_ANALYSIS", party);
        upload(c, "PROJECT_BASIS", party);
        ApprovalCase accepted = approvals.accept(c.id(), reload(c).version(), suzhou);
        return approvals.approve(c.id(), accepted.version(), decision(), suzhou);
    }

    @Test
    void anEnlargementIsANewApprovalThatUpdatesTheLedgerAndSupersedesTheLimits() {
        ApprovalCase first = approvedNew("2026-06-01");
        on("2026-07-01");
        ApprovalCase expand = approvals.apply(new Approvals.ApplicationInput("APPROVAL", "EXPAND", null, null,
                first.outfallId(), null, null, null, null, null, null, null, null, "太湖支流", new BigDecimal("1200"),
                "二期扩建项目", "苏环建〔2026〕30号", "纺织", false, null, List.of(), List.of(), null), party);
        assertThat(expand.outfall().name()).isEqualTo(first.outfall().name()); // taken from the ledger
        assertThat(expand.needsFullReport()).isTrue(); // 1200 m³/d reaches the default size threshold
        assertThat(expand.fullReportReasons()).singleElement().asString().contains("1000");
        upload(expand, "FULL_REPORT", party);
        upload(expand, "PROJECT_BASIS", party);
        ApprovalCase accepted = approvals.accept(expand.id(), reload(expand).version(), suzhou);
        ApprovalCase approved = approvals.approve(expand.id(), accepted.version(), new Approvals.DecisionInput(null, null,
                null, new BigDecimal("1200"), LocalDate.parse("2026-07-10"), List.of(le("w01018", "40")), null), suzhou);
        Outfall o = ledger.find(first.outfallId(), suzhou);
        assertThat(o.designCapacity()).isEqualTo(1200.0);
        assertThat(o.nationalCode()).isNotBlank();
        assertThat(ledger.history(o.id(), suzhou)).last().satisfies(ch -> assertThat(ch.reason()).contains(approved.decisionNumber()));
        assertThat(events.stream(ApprovalDecided.class).filter(e -> e.caseId() == expand.id())).singleElement()
                .satisfies(e -> {
                    assertThat(e.outfallId()).isEqualTo(first.outfallId());
                    assertThat(e.validFrom()).isEqualTo(LocalDate.parse("2026-07-10"));
                });
        // Another party cannot apply to enlarge an outfall that is not theirs.
        assertThatThrownBy(() -> approvals.apply(new Approvals.ApplicationInput("APPROVAL", "EXPAND", null, null,
                first.outfallId(), null, null, null, null, null, null, null, null, null, new BigDecimal("1"), "x", null,
                null, false, null, List.of(), List.of(), null), otherParty)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("outfallId");
    }

    @Test
    void theCasePageRendersInBothLanguagesForTheApplicantAndTheBureauInEveryState() throws Exception {
        ApprovalCase approved = approvedNew("2026-06-01");
        on("2026-06-02");
        ApprovalCase submitted = approvals.apply(newIndustrial("化工", null), party);
        ApprovalCase supplement = approvals.requestSupplement(approvals.apply(newIndustrial("化工", null), party).id(),
                1, "补充论证报告", suzhou);
        for (ApprovalCase c : List.of(approved, submitted, supplement)) {
            for (CurrentUser u : List.of(party, suzhou)) {
                for (String lang : List.of("zh_CN", "en")) {
                    mvc.perform(get("/approvals/" + c.id()).param("lang", lang).with(accounts.as(u)))
                            .andExpect(status().isOk())
                            .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains(c.outfall().name())
                                    .contains(lang.equals("en") ? "Notices and documents" : "通知与文书"));
                }
            }
        }
        mvc.perform(get("/approvals").param("lang", "en").with(accounts.as(suzhou))).andExpect(status().isOk())
                .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains("My bureau&#39;s queue"));
        mvc.perform(get("/approvals/new").with(accounts.as(party))).andExpect(status().isOk());
        mvc.perform(get("/approvals/statistics").with(accounts.as(suzhou))).andExpect(status().isOk());
        String code = cases.documents(approved.id()).get(0).verificationCode();
        // Anyone holding the document checks its code without an account, within a rate limit per address.
        mvc.perform(get("/approvals/verify").param("code", code.toLowerCase()))
                .andExpect(status().isOk())
                .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains("id=\"verified\"")
                        .contains(cases.documents(approved.id()).get(0).sha256()));
        mvc.perform(get("/api/v1/approval-documents/verify/" + code))
                .andExpect(status().isOk())
                .andExpect(r -> assertThat(r.getResponse().getContentAsString())
                        .contains(cases.documents(approved.id()).get(0).number()).doesNotContain(approved.applicantName()));
        mvc.perform(get("/api/v1/approval-documents/verify/0000AAAA0000")).andExpect(status().isNotFound());
        for (int i = 0; i < 20; i++) {
            mvc.perform(get("/approvals/verify/" + code).with(r -> {
                r.setRemoteAddr("198.51.100.9");
                return r;
            })).andExpect(status().isOk());
        }
        mvc.perform(get("/approvals/verify/" + code).with(r -> {
            r.setRemoteAddr("198.51.100.9");
            return r;
        })).andExpect(status().isTooManyRequests());
        // A form with problems shows them next to the fields, and nothing is created.
        mvc.perform(post("/approvals").with(accounts.as(party)).with(csrf()).param("kind", "APPROVAL")
                        .param("settingType", "NEW").param("typeCode", "IND_ENT").param("regionCode", "3205"))
                .andExpect(status().isOk())
                .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains("form-errors")
                        .contains("行政区划代码应为6位数字").contains("请填写排污口名称").contains("请选择受纳水体"));
    }

    @Test
    void aPaperApplicationForASharedOutfallCountsFromItsReceiptAndPutsEveryPartyInTheLedger() {
        on("2026-03-10");
        Organization second = accounts.party("320506");
        Approvals.ApplicationInput shared = new Approvals.ApplicationInput("APPROVAL", "NEW", partyOrg.id(),
                LocalDate.parse("2026-03-06"), null, "共用排污口" + SEQ.incrementAndGet(), "IND_ENT", "320506", river.id(),
                120.6, 31.2, "CLOSED_PIPE", null, "太湖支流", new BigDecimal("1000"), "园区共用排污口", null, "纺织", false,
                null, List.of(), List.of(new ApprovalCase.PartyShare(partyOrg.id(), new BigDecimal("600"), "COD 50mg/L 11t/a"),
                new ApprovalCase.PartyShare(second.id(), new BigDecimal("400"), "COD 60mg/L 8.8t/a")), null);
        // A party cannot file on paper for someone else; the bureau can.
        ApprovalCase c = approvals.apply(shared, suzhou);
        assertThat(c.paper()).isTrue();
        assertThat(c.applicantOrgId()).isEqualTo(partyOrg.id());
        assertThat(c.receivedOn()).isEqualTo(d("2026-03-06"));
        assertThat(c.completenessDeadline()).isEqualTo(d("2026-03-13")); // Fri 03-06 + 5 working days
        // The bureau uploads what came on paper (it acts as the applicant of a paper case) and accepts.
        upload(c, "FULL_REPORT", suzhou);
        upload(c, "PROJECT_BASIS", suzhou);
        ApprovalCase accepted = approvals.accept(c.id(), reload(c).version(), suzhou);
        ApprovalCase approved = approvals.approve(c.id(), accepted.version(), decision(), suzhou);
        Outfall o = ledger.find(approved.outfallId(), suzhou);
        assertThat(o.parties()).extracting(Outfall.Party::organizationId, Outfall.Party::lead, Outfall.Party::sharePercent)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(partyOrg.id(), true, 60.0),
                        org.assertj.core.groups.Tuple.tuple(second.id(), false, 40.0));
        // Both parties see the outfall; only the applicant sees the case.
        CurrentUser secondUser = accounts.user(Role.PARTY, second);
        assertThat(ledger.find(o.id(), secondUser).id()).isEqualTo(o.id());
        assertThatThrownBy(() -> approvals.find(c.id(), secondUser)).isInstanceOf(org.gongzhi.platform.NotFoundException.class);
        // A date of receipt in the future is refused.
        assertThatThrownBy(() -> approvals.apply(new Approvals.ApplicationInput("REGISTRATION", null, partyOrg.id(),
                d("2026-03-11"), null, "x", "OTH_RURAL_WWTP", "320506", river.id(), null, null, null, null, null, null, null,
                null, null, false, null, null, null, null), suzhou)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("receivedOn");
    }

    @Test
    void aDeadlineInAYearWithoutItsHolidayNoticeIsRefusedNotGuessed() {
        on("2026-12-10");
        ApprovalCase c = approvals.apply(newIndustrial("纺织", null), party);
        assertThat(c.completenessDeadline()).isEqualTo(d("2026-12-17"));
        upload(c, "BRIEF_ANALYSIS", party);
        upload(c, "PROJECT_BASIS", party);
        // 20 working days after 12-10 end in January 2027, whose notice is not out: acceptance says so and waits.
        assertThatThrownBy(() -> approvals.accept(c.id(), reload(c).version(), suzhou))
                .isInstanceOf(org.gongzhi.calendar.CalendarNotLoadedException.class)
                .hasMessageContaining("2027 年的节假日安排通知尚未载入").hasMessageContaining("2027 is not loaded");
        assertThat(reload(c).state()).isEqualTo(ApprovalCase.State.SUBMITTED);
    }

    @Test
    void aProvincialAdministratorKeepsTheProvincesRoutingRulesAndCasesFollowThem() throws Exception {
        CurrentUser jiangsuAdmin = accounts.user(Role.ADMIN, accounts.regulator(Organization.Level.PROVINCE, "320000"));
        CurrentUser cityAdmin = accounts.user(Role.ADMIN, accounts.regulator(Organization.Level.CITY, "320500"));
        mvc.perform(get("/admin/approval-rules").with(accounts.as(cityAdmin))).andExpect(status().isForbidden());
        mvc.perform(get("/admin/approval-rules").with(accounts.as(suzhou))).andExpect(status().isForbidden());
        // Another province's rule, or no basis given: refused with the fields named.
        mvc.perform(post("/admin/approval-rules").with(accounts.as(jiangsuAdmin)).with(csrf()).param("provinceCode", "33")
                        .param("priority", "10").param("criterion", "REGION").param("value", "3301")
                        .param("authorityLevel", "COUNTY").param("note", ""))
                .andExpect(status().isOk())
                .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains("只能维护本省的规则")
                        .contains("请注明依据"));
        mvc.perform(post("/admin/approval-rules").with(accounts.as(jiangsuAdmin)).with(csrf()).param("provinceCode", "32")
                        .param("priority", "20").param("criterion", "REGION").param("value", "320507")
                        .param("authorityLevel", "COUNTY").param("note", "苏环办〔2026〕1号：相城区由区局审批"))
                .andExpect(status().is3xxRedirection());
        long rule = jdbc.sql("SELECT id FROM approval_authority_rule WHERE criterion_value = '320507'").query(Long.class).single();
        try {
            assertThat(audit.forEntity("approval_authority_rule", String.valueOf(rule))).singleElement()
                    .satisfies(e -> assertThat(e.action()).isEqualTo("APPROVAL_RULE_ADDED"));
            Approvals.ApplicationInput in = newIndustrial("纺织", null);
            ApprovalCase routed = approvals.apply(new Approvals.ApplicationInput(in.kind(), in.settingType(), null, null,
                    null, in.name(), in.typeCode(), "320507", in.waterBodyId(), in.longitude(), in.latitude(),
                    in.dischargeMode(), null, in.destination(), in.designCapacity(), in.projectName(), null, in.industry(),
                    false, null, in.pollutants(), List.of(), null), accounts.user(Role.PARTY, accounts.party("320507")));
            assertThat(routed.authority().level()).isEqualTo("COUNTY");
            assertThat(routed.authority().regionCode()).isEqualTo("320507");
            assertThat(routed.authority().ruleId()).isEqualTo(rule);
            // A rule cases were routed by stays, as the record of why they went where they did.
            mvc.perform(post("/admin/approval-rules/" + rule + "/delete").with(accounts.as(jiangsuAdmin)).with(csrf()))
                    .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains("已有案件按此规则分派"));
            mvc.perform(get("/admin/approval-rules").param("lang", "en").with(accounts.as(jiangsuAdmin)))
                    .andExpect(status().isOk())
                    .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains("苏环办〔2026〕1号")
                            .contains("same as the EIA"));
        } finally {
            jdbc.sql("UPDATE approval_case SET authority_rule_id = NULL WHERE authority_rule_id = ?").param(rule).update();
            jdbc.sql("DELETE FROM approval_authority_rule WHERE id = ?").param(rule).update();
        }
    }

    @Test
    void theNationalAdministratorKeepsTheRefusalCatalogueAndARetiredReasonIsNoLongerOffered() throws Exception {
        CurrentUser national = accounts.existing("admin");
        CurrentUser jiangsuAdmin = accounts.user(Role.ADMIN, accounts.regulator(Organization.Level.PROVINCE, "320000"));
        mvc.perform(get("/admin/refusal-reasons").with(accounts.as(jiangsuAdmin))).andExpect(status().isForbidden());
        mvc.perform(post("/admin/refusal-reasons").with(accounts.as(national)).with(csrf()).param("code", "flood")
                        .param("zh", "").param("en", "x").param("basis", "b"))
                .andExpect(status().isOk())
                .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains("code：代码为").contains("zh：必填"));
        String code = "FLOOD_" + Long.toString(System.nanoTime(), 36).toUpperCase();
        mvc.perform(post("/admin/refusal-reasons").with(accounts.as(national)).with(csrf()).param("code", code)
                        .param("zh", "影响防洪安全").param("en", "endangers flood control").param("sort", "35")
                        .param("basis", "《防洪法》；《入河排污口监督管理办法》"))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post("/admin/refusal-reasons").with(accounts.as(national)).with(csrf()).param("code", code)
                        .param("zh", "重复").param("en", "again").param("basis", "b"))
                .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains("目录中已有此代码"));
        try {
            // offered on an accepted case's page, and citable by a refusal
            on("2026-09-29");
            ApprovalCase c = approvals.apply(newIndustrial("纺织", null), party);
            upload(c, "BRIEF_ANALYSIS", party);
            on("2026-10-13");
            approvals.deemAcceptances();
            mvc.perform(get("/approvals/" + c.id()).with(accounts.as(suzhou)))
                    .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains("value=\"" + code + "\""));

            mvc.perform(post("/admin/refusal-reasons/" + code + "/retire").with(accounts.as(national)).with(csrf()))
                    .andExpect(status().is3xxRedirection());
            mvc.perform(get("/approvals/" + c.id()).with(accounts.as(suzhou)))
                    .andExpect(r -> assertThat(r.getResponse().getContentAsString()).doesNotContain(code));
            ApprovalCase accepted = reload(c);
            assertThatThrownBy(() -> approvals.refuse(c.id(), accepted.version(), List.of(code), "影响行洪。", suzhou))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
                            .singleElement().satisfies(p -> assertThat(p.reasonZh()).contains("已停用")));

            // restored, cited, then retired again: the decided case still names it
            mvc.perform(post("/admin/refusal-reasons/" + code + "/restore").with(accounts.as(national)).with(csrf()))
                    .andExpect(status().is3xxRedirection());
            approvals.refuse(c.id(), accepted.version(), List.of(code), "拟设位置位于行洪区内。", suzhou);
            mvc.perform(post("/admin/refusal-reasons/" + code + "/retire").with(accounts.as(national)).with(csrf()));
            mvc.perform(get("/approvals/" + c.id()).with(accounts.as(suzhou)))
                    .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains("影响防洪安全"));
            assertThat(audit.forEntity("approval_refusal_reason", code)).extracting(AuditLog.Entry::action)
                    .containsExactly("REFUSAL_REASON_ADDED", "REFUSAL_REASON_RETIRED", "REFUSAL_REASON_RESTORED",
                            "REFUSAL_REASON_RETIRED");
            mvc.perform(get("/admin/refusal-reasons").param("lang", "en").with(accounts.as(national)))
                    .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains("endangers flood control")
                            .contains("Retired"));
        } finally {
            approvals.clock(Clock.system(Approvals.CHINA));
        }
    }

    @Test
    void theDecidingBureauIsRemindedOnceWhenAClockIsAboutToRunOutAndAgainWhenItHas() {
        on("2026-09-29");
        ApprovalCase c = approvals.apply(newIndustrial("纺织", null), party);
        assertThat(c.completenessDeadline()).isEqualTo(d("2026-10-12"));
        String link = "/approvals/" + c.id();
        java.util.function.Function<CurrentUser, List<org.gongzhi.platform.Notices.Notice>> mine = u ->
                notices.inbox(u, false, 200).stream().filter(n -> link.equals(n.link())).toList();

        on("2026-10-08"); // 10-09, Sat 10-10 (worked), 10-12: three working days left
        reminders.send();
        reminders.send(); // the daily job may run twice: one notice
        assertThat(mine.apply(suzhou)).singleElement().satisfies(n -> {
            assertThat(n.titleZh()).startsWith("即将到期：受理审查");
            assertThat(n.bodyZh()).contains("2026-10-12").contains("剩余 3 个工作日").contains("第三十二条");
            assertThat(n.titleEn()).startsWith("Due soon: completeness check");
        });
        assertThat(mine.apply(wuxi)).isEmpty();
        assertThat(mine.apply(party)).as("the applicant is not the one reminded").isEmpty();

        on("2026-10-13"); // overdue, before the deemed-acceptance job has run
        reminders.send();
        assertThat(mine.apply(suzhou)).hasSize(2).anySatisfy(n -> assertThat(n.titleZh()).startsWith("已逾期："));
    }

    @Test
    void anApplicationIsNotAcceptedWithinTheCheckOrWithdrawnByTheApplicant() throws Exception {
        on("2026-05-11");
        ApprovalCase c = approvals.apply(newIndustrial("纺织", null), party);
        assertThatThrownBy(() -> approvals.notAccept(c.id(), c.version(), "", suzhou))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("reason");
        ApprovalCase notAccepted = approvals.notAccept(c.id(), c.version(),
                "拟设排污口排入的为海域，应向海洋生态环境主管部门申请入海排污口设置", suzhou);
        assertThat(notAccepted.state()).isEqualTo(ApprovalCase.State.NOT_ACCEPTED);
        assertThat(notAccepted.open()).isFalse();
        assertThat(documentText(notAccepted, "NOT_ACCEPTED")).contains("不予受理通知书").contains("入海排污口").contains("第三十二条");
        assertThat(approvals.queue(suzhou, true)).extracting(f -> f.c().id()).doesNotContain(c.id());

        // Withdrawn under review: the open pause ends with it, and nothing more can happen to the case.
        ApprovalCase w = approvals.apply(newIndustrial("纺织", null), party);
        upload(w, "BRIEF_ANALYSIS", party);
        upload(w, "PROJECT_BASIS", party);
        ApprovalCase accepted = approvals.accept(w.id(), reload(w).version(), suzhou);
        ApprovalCase paused = approvals.pause(w.id(), accepted.version(), "SITE_INSPECTION", null, null, suzhou);
        assertThatThrownBy(() -> approvals.withdraw(w.id(), paused.version(), suzhou)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> approvals.withdraw(w.id(), paused.version(), otherParty))
                .isInstanceOf(org.gongzhi.platform.NotFoundException.class);
        ApprovalCase withdrawn = approvals.withdraw(w.id(), paused.version(), party);
        assertThat(withdrawn.state()).isEqualTo(ApprovalCase.State.WITHDRAWN);
        assertThat(cases.openPause(w.id())).isEmpty();
        assertThatThrownBy(() -> approvals.resume(w.id(), withdrawn.version(), null, suzhou))
                .isInstanceOf(InvalidInputException.class);
        assertThat(audit.forEntity("approval_case", String.valueOf(w.id()))).extracting(AuditLog.Entry::action)
                .contains("CASE_WITHDRAWN");
        mvc.perform(get("/approvals/" + w.id()).with(accounts.as(party))).andExpect(status().isOk())
                .andExpect(r -> assertThat(r.getResponse().getContentAsString()).contains("已撤回"));
    }
}
