package org.gongzhi.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.gongzhi.calendar.DayKind;
import org.gongzhi.calendar.WorkingCalendar;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** The calendar's public reads (no sign-in, rate-limited) and loading a new year's notice by file and by form. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class CalendarApiTest {

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired WorkingCalendar calendar;
    @Autowired AuditLog audit;

    static RequestPostProcessor from(String address) {
        return r -> {
            r.setRemoteAddr(address);
            return r;
        };
    }

    @Test
    void anyoneAddsWorkingDaysAndReadsADayWithoutSigningIn() throws Exception {
        mvc.perform(get("/api/v1/calendar/working-days/add").param("date", "2026-02-13").param("days", "2"))
                .andExpect(status().isOk())
                .andExpect(content().json("{\"date\": \"2026-02-24\"}", org.springframework.test.json.JsonCompareMode.STRICT));
        mvc.perform(get("/api/v1/calendar/days/2026-02-14"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.working").value(true))
                .andExpect(jsonPath("$.kind").value("MAKEUP_WORKDAY"))
                .andExpect(jsonPath("$.holidayName").value("春节"))
                .andExpect(jsonPath("$.reasonZh").value("春节调休上班"));
        mvc.perform(get("/api/v1/calendar/days/2026-10-03"))
                .andExpect(jsonPath("$.working").value(false))
                .andExpect(jsonPath("$.kind").value("HOLIDAY"))
                .andExpect(jsonPath("$.reasonEn").value("public holiday: 国庆节"));
        mvc.perform(get("/api/v1/calendar/days/2026-03-07")).andExpect(jsonPath("$.kind").value("WEEKEND"));
        mvc.perform(get("/api/v1/calendar/years")).andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.year == 2026)].sources[0]")
                        .value("https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"));
    }

    @Test
    void aYearWithoutItsNoticeAndBadInputAnswerBilingualProblems() throws Exception {
        mvc.perform(get("/api/v1/calendar/days/2027-01-04"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.errors[0].field").value("date"))
                .andExpect(jsonPath("$.errors[0].reason_zh").value(org.hamcrest.Matchers.containsString("2027 年的节假日安排通知尚未载入")))
                .andExpect(jsonPath("$.errors[0].reason_en").value(org.hamcrest.Matchers.containsString("2027 is not loaded")));
        // Crossing into 2027 is refused too, not counted as ordinary weeks.
        mvc.perform(get("/api/v1/calendar/working-days/add").param("date", "2026-12-31").param("days", "1"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason_en").value(org.hamcrest.Matchers.containsString("2027")));
        mvc.perform(get("/api/v1/calendar/working-days/add").param("date", "2026-02-30").param("days", "x"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("date"))
                .andExpect(jsonPath("$.errors[1].field").value("days"))
                .andExpect(jsonPath("$.errors[1].reason_en").value("the number of working days must be a whole number"));
        mvc.perform(get("/api/v1/calendar/working-days/add").param("date", "2026-02-03"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("days"));
        mvc.perform(get("/api/v1/calendar/days/tomorrow"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason_zh").value("日期格式应为 YYYY-MM-DD"));
    }

    @Test
    void eachAddressGetsSixtyCallsAtOnceThenTooManyRequests() throws Exception {
        for (int i = 0; i < 60; i++) {
            mvc.perform(get("/api/v1/calendar/days/2026-05-01").with(from("203.0.113.7"))).andExpect(status().isOk());
        }
        mvc.perform(get("/api/v1/calendar/days/2026-05-01").with(from("203.0.113.7")))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().exists("Retry-After"))
                .andExpect(jsonPath("$.title").value("请求过于频繁 / Too many requests"));
        // Another address is not affected.
        mvc.perform(get("/api/v1/calendar/days/2026-05-01").with(from("203.0.113.8"))).andExpect(status().isOk());
    }

    @Test
    void aNationalAdministratorLoadsANewYearFromAFileOthersCannot() throws Exception {
        CurrentUser admin = accounts.user(Role.ADMIN, accounts.regulator(Organization.Level.MINISTRY, null));
        CurrentUser cityAdmin = accounts.user(Role.ADMIN, accounts.regulator(Organization.Level.CITY, "320500"));
        CurrentUser regulator = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        byte[] notice = """
                {"year": 2031, "papers": ["https://www.gov.cn/example-2031"], "days": [
                  {"name": "元旦", "date": "2031-01-01", "isOffDay": true},
                  {"name": "春节", "date": "2031-01-22", "isOffDay": true},
                  {"name": "春节", "date": "2031-01-26", "isOffDay": false}]}""".getBytes(StandardCharsets.UTF_8);
        MockMultipartFile file = new MockMultipartFile("file", "2031.json", "application/json", notice);

        assertThat(calendar.loadedYears()).doesNotContain(2031);
        mvc.perform(multipart("/api/v1/calendar/notices").file(file).with(accounts.as(regulator)).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(multipart("/api/v1/calendar/notices").file(file).with(accounts.as(cityAdmin)).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(multipart("/api/v1/calendar/notices").file(file).with(accounts.as(admin)).with(csrf()))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.year").value(2031))
                .andExpect(jsonPath("$.daysOff").value(2))
                .andExpect(jsonPath("$.makeupWorkdays").value(1));
        assertThat(calendar.day(LocalDate.parse("2031-01-26")).kind()).isEqualTo(DayKind.MAKEUP_WORKDAY); // a Sunday
        assertThat(calendar.nextWorkingDay(LocalDate.parse("2031-01-01"))).isEqualTo(LocalDate.parse("2031-01-02"));
        assertThat(audit.forEntity("calendar_notice", "2031")).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo(admin.username()));

        // Loaded once: a second load is refused, naming the year.
        mvc.perform(multipart("/api/v1/calendar/notices").file(file).with(accounts.as(admin)).with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("year"));
        // A malformed notice: every problem at once, with its row.
        byte[] bad = """
                {"year": 2032, "papers": [], "days": [
                  {"name": "元旦", "date": "2032-13-01", "isOffDay": true},
                  {"name": "", "date": "2032-02-10", "isOffDay": false}]}""".getBytes(StandardCharsets.UTF_8);
        mvc.perform(multipart("/api/v1/calendar/notices").file(new MockMultipartFile("file", "2032.json", "application/json", bad))
                        .with(accounts.as(admin)).with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("sources"))
                .andExpect(jsonPath("$.errors[1].row").value(1))
                .andExpect(jsonPath("$.errors[2].row").value(2))
                .andExpect(jsonPath("$.errors[2].field").value("name"))
                .andExpect(jsonPath("$.errors[2].reason_en").value("give the holiday's name (40 characters at most)"));
        assertThat(calendar.loadedYears()).doesNotContain(2032);
    }

    @Test
    void theAdminPageTakesANoticeTypedInTheForm() throws Exception {
        CurrentUser admin = accounts.user(Role.ADMIN, accounts.regulator(Organization.Level.MINISTRY, null));
        mvc.perform(post("/admin/calendar").with(accounts.as(admin)).with(csrf())
                        .param("year", "2033").param("sources", "国办发明电〔2032〕1号")
                        .param("days", "2033-01-01 元旦 休\n2034-01-03 元旦 班"))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("第 2 行：日期不在该通知的年份内")));
        assertThat(calendar.loadedYears()).doesNotContain(2033);
        mvc.perform(post("/admin/calendar").with(accounts.as(admin)).with(csrf())
                        .param("year", "2033").param("sources", "国办发明电〔2032〕1号")
                        .param("days", "2033-01-01 元旦 休\n2033-01-02 元旦 班"))
                .andExpect(status().is3xxRedirection());
        assertThat(calendar.day(LocalDate.parse("2033-01-02")).working()).isTrue();
        mvc.perform(get("/admin/calendar").with(accounts.as(admin)))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("国办发明电〔2032〕1号")));
    }
}
