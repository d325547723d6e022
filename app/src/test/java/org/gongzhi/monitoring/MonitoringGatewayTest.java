package org.gongzhi.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.hj212.Hj212Packet;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The gateway over real TCP sockets: authentication, ack after commit, idempotent resends, rejected frames. */
@SpringBootTest(properties = "gongzhi.gateway.port=0")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class MonitoringGatewayTest {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    static final DateTimeFormatter T = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final AtomicInteger SEQ = new AtomicInteger();

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired Gateway gateway;
    @Autowired JdbcClient jdbc;
    @Autowired MeterRegistry meters;

    CurrentUser suzhou;
    CurrentUser wuxi;
    Organization party;
    long outfallId;
    String mn;

    @BeforeEach
    void setUp() throws Exception {
        suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        party = accounts.party("320506");
        outfallId = outfall(suzhou, "320506");
        mn = "TEST" + System.nanoTime() % 1_000_000_000L + "A" + SEQ.incrementAndGet();
    }

    // ---- fixtures ----------------------------------------------------------------------------------------------

    long outfall(CurrentUser as, String region) throws Exception {
        String body = """
                {"outfall": {"name": "监测测试排污口%d", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "%s",
                 "longitude": 120.6, "latitude": 31.2, "parties": [{"organizationId": %d, "lead": true}]},
                 "reason": "测试"}""".formatted(SEQ.incrementAndGet(), region, party.id());
        MvcResult r = mvc.perform(post("/api/v1/outfalls").with(accounts.as(as)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isCreated()).andReturn();
        return json.readTree(r.getResponse().getContentAsString()).get("id").asLong();
    }

    void register(String mn, String pw, long outfall) throws Exception {
        mvc.perform(post("/api/v1/data-loggers").with(accounts.as(suzhou)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"mn": "%s", "password": "%s", "outfallId": %d, "factors": ["w01018", "w21003"],
                                 "intervalSeconds": 600, "lenientCrc": false}""".formatted(mn, pw, outfall)))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.mn").value(mn));
    }

    private static org.springframework.test.web.servlet.request.RequestPostProcessor csrf() {
        return SecurityMockMvcRequestPostProcessors.csrf();
    }

    static String qn() {
        return LocalDateTime.now(CHINA).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS"));
    }

    static Hj212Message minuteData(String mn, String pw, LocalDateTime dataTime, double cod, double nh3) {
        return Hj212Message.builder().qn(qn()).st("32").cn(2051).pw(pw).mn(mn).flag(5)
                .group("DataTime", dataTime.format(T))
                .group("w01018-Min", "1.5", "w01018-Avg", Double.toString(cod), "w01018-Max", "40.2", "w01018-Flag", "N")
                .group("w21003-Avg", Double.toString(nh3), "w21003-Flag", "N")
                .build();
    }

    static LocalDateTime recentMinute() {
        return LocalDateTime.now(CHINA).truncatedTo(ChronoUnit.MINUTES).minusMinutes(10 + SEQ.incrementAndGet() % 50);
    }

    long rows(long outfall) {
        return jdbc.sql("SELECT count(*) FROM measurement WHERE outfall_id = ?").param(outfall).query(Long.class).single();
    }

    long rejected(String reason, String mn) {
        return jdbc.sql("SELECT count(*) FROM rejected_frame WHERE reason = ? AND mn IS NOT DISTINCT FROM ?")
                .params(reason, mn).query(Long.class).single();
    }

    double counter(String name) {
        var c = meters.find(name).counter();
        return c == null ? 0 : c.count();
    }

    /** Rejected frames are written asynchronously by the batch writer: wait for the row. */
    void awaitRejected(String reason, String mn, long atLeast) throws InterruptedException {
        long until = System.currentTimeMillis() + 5000;
        while (rejected(reason, mn) < atLeast && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertThat(rejected(reason, mn)).as("rejected_frame rows %s for %s", reason, mn).isGreaterThanOrEqualTo(atLeast);
    }

    // ---- tests -------------------------------------------------------------------------------------------------

    @Test
    void minuteDataAskingForAnAckIsAcknowledgedOnlyOnceItsRowsAreQueryable() throws Exception {
        register(mn, "pw123456", outfallId);
        Hj212Message m = minuteData(mn, "pw123456", recentMinute(), 31.5, 2.25);
        try (Hj212Client logger = new Hj212Client(gateway.port())) {
            logger.send(m);
            Hj212Packet ack = logger.reply(5000);
            assertThat(ack).as("9014 data answer").isNotNull();
            // the moment the ack is read, the rows are there: the ack was sent after commit
            assertThat(rows(outfallId)).isEqualTo(2);
            assertThat(ack.cn()).isEqualTo(9014);
            assertThat(ack.qn()).isEqualTo(m.qn());
            assertThat(ack.st()).isEqualTo("91");
            assertThat(ack.mn()).isEqualTo(mn);
        }
        mvc.perform(get("/api/v1/outfalls/" + outfallId + "/measurements/latest").with(accounts.as(suzhou)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.factor == 'w01018')].avg").value(31.5))
                .andExpect(jsonPath("$[?(@.factor == 'w01018')].kind").value("MINUTE"))
                .andExpect(jsonPath("$[?(@.factor == 'w21003')].avg").value(2.25));
        // raw packet archived, compressed
        assertThat(jdbc.sql("SELECT count(*) FROM raw_packet WHERE mn = ?").param(mn).query(Long.class).single()).isEqualTo(1);
        mvc.perform(get("/api/v1/data-loggers/" + mn + "/status").with(accounts.as(suzhou)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.online").value(true))
                .andExpect(jsonPath("$.kind").value("MINUTE"))
                .andExpect(jsonPath("$.completeness[?(@.factor == 'w01018')].received").value(
                        m.get("DataTime").startsWith(LocalDateTime.now(CHINA).format(DateTimeFormatter.BASIC_ISO_DATE)) ? 1 : 0));
    }

    @Test
    void aResendIsAcknowledgedAgainButStoredOnceAndCountedAsDuplicate() throws Exception {
        register(mn, "pw123456", outfallId);
        byte[] frame = Hj212Encoder.encode(minuteData(mn, "pw123456", recentMinute(), 20.0, 1.0));
        double duplicatesBefore = counter("gongzhi.gateway.duplicates");
        try (Hj212Client logger = new Hj212Client(gateway.port())) {
            logger.send(frame);
            assertThat(logger.reply(5000)).isNotNull();
            logger.send(frame);
            Hj212Packet second = logger.reply(5000);
            assertThat(second).as("the resend is acknowledged too").isNotNull();
            assertThat(second.cn()).isEqualTo(9014);
        }
        assertThat(rows(outfallId)).isEqualTo(2);
        assertThat(counter("gongzhi.gateway.duplicates") - duplicatesBefore).isEqualTo(2.0);
    }

    @Test
    void unknownMnAndWrongPasswordAreRefusedRecordedListedAndCanBeBound() throws Exception {
        LocalDateTime t = recentMinute();
        try (Hj212Client logger = new Hj212Client(gateway.port())) {
            logger.send(minuteData(mn, "secret01", t, 10, 1));
            Hj212Packet answer = logger.reply(5000);
            assertThat(answer).isNotNull();
            assertThat(answer.cn()).as("no 9014 for data that was not stored").isEqualTo(9011);
            assertThat(answer.cp().get("QnRtn")).isEqualTo("4");
        }
        awaitRejected(RejectedFrames.AUTH_UNKNOWN_MN, mn, 1);
        assertThat(rows(outfallId)).isZero();
        mvc.perform(get("/api/v1/data-loggers/unregistered").with(accounts.as(suzhou)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.mn == '" + mn + "')].count").value(1));

        mvc.perform(post("/api/v1/data-loggers/" + mn + "/bind").with(accounts.as(suzhou)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"password\": \"secret01\", \"outfallId\": " + outfallId + ", \"factors\": [\"w01018\"]}"))
                .andExpect(status().isCreated());
        mvc.perform(get("/api/v1/data-loggers/unregistered").with(accounts.as(suzhou)))
                .andExpect(jsonPath("$[?(@.mn == '" + mn + "')]").isEmpty());

        try (Hj212Client logger = new Hj212Client(gateway.port())) {
            logger.send(minuteData(mn, "wrong-pw", t, 10, 1));
            Hj212Packet answer = logger.reply(5000);
            assertThat(answer.cn()).isEqualTo(9011);
            assertThat(answer.cp().get("QnRtn")).isEqualTo("3");
            logger.send(minuteData(mn, "secret01", t, 10, 1));
            assertThat(logger.reply(5000).cn()).isEqualTo(9014);
            // the connection remembers the PW it verified: a wrong one after it is still refused
            logger.send(minuteData(mn, "secret02", t.plusMinutes(1), 10, 1));
            Hj212Packet again = logger.reply(5000);
            assertThat(again.cn()).isEqualTo(9011);
            assertThat(again.cp().get("QnRtn")).isEqualTo("3");
            logger.send(minuteData(mn, "secret01", t.plusMinutes(2), 10, 1));
            assertThat(logger.reply(5000).cn()).isEqualTo(9014);
        }
        awaitRejected(RejectedFrames.AUTH_BAD_PASSWORD, mn, 2);
        assertThat(rows(outfallId)).isEqualTo(4);
    }

    @Test
    void badCrcAndGarbageAreRecordedWithTheirReasonWhileTheConnectionKeepsServing() throws Exception {
        register(mn, "pw123456", outfallId);
        byte[] good = Hj212Encoder.encode(minuteData(mn, "pw123456", recentMinute(), 12.0, 0.5));
        byte[] bad = Hj212Encoder.encode(minuteData(mn, "pw123456", recentMinute().minusHours(2), 13.0, 0.6));
        String crc = new String(bad, bad.length - 6, 4, StandardCharsets.US_ASCII);
        String wrong = crc.equals("0000") ? "0001" : "0000";
        System.arraycopy(wrong.getBytes(StandardCharsets.US_ASCII), 0, bad, bad.length - 6, 4);
        double before = meters.find("gongzhi.gateway.rejected").tag("reason", "BAD_CRC").counter() == null ? 0
                : meters.find("gongzhi.gateway.rejected").tag("reason", "BAD_CRC").counter().count();
        try (Hj212Client logger = new Hj212Client(gateway.port())) {
            logger.send("GARBAGE\u0001\u0002 from " .concat(mn).concat("\r\n").getBytes(StandardCharsets.UTF_8));
            logger.send(bad);
            logger.send(good);
            Hj212Packet ack = logger.reply(5000);
            assertThat(ack).isNotNull();
            assertThat(ack.cn()).isEqualTo(9014);
            assertThat(logger.reply(300)).as("nothing answers the bad frames").isNull();
        }
        awaitRejected("BAD_CRC", mn, 1);
        assertThat(jdbc.sql("SELECT count(*) FROM rejected_frame WHERE reason = 'BAD_HEADER' AND position(? in convert_from(raw, 'UTF8')) > 0")
                .param(mn).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT remote FROM rejected_frame WHERE reason = 'BAD_CRC' AND mn = ?").param(mn)
                .query(String.class).single()).startsWith("127.0.0.1:");
        assertThat(meters.find("gongzhi.gateway.rejected").tag("reason", "BAD_CRC").counter().count() - before).isEqualTo(1);
        assertThat(rows(outfallId)).as("only the good frame is stored").isEqualTo(2);

        // the log is there for the city's regulator, and not for another city's
        mvc.perform(get("/api/v1/rejected-frames").param("reason", "BAD_CRC").param("size", "500").with(accounts.as(suzhou)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[?(@.mn == '" + mn + "')].reason").value("BAD_CRC"));
        mvc.perform(get("/api/v1/rejected-frames").param("reason", "BAD_CRC").param("size", "500").with(accounts.as(wuxi)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[?(@.mn == '" + mn + "')]").isEmpty());
    }

    @Test
    void whenTheDatabaseRefusesTheRowsNoAckIsSentAndTheResendSucceedsLater() throws Exception {
        register(mn, "pw123456", outfallId);
        byte[] frame = Hj212Encoder.encode(minuteData(mn, "pw123456", recentMinute(), 50.0, 5.0));
        String constraint = "test_outage_" + outfallId;
        // an honest failure: the database refuses every row of this outfall, so the batch transaction rolls back
        jdbc.sql("ALTER TABLE measurement ADD CONSTRAINT " + constraint + " CHECK (outfall_id <> " + outfallId + ")").update();
        double failures = counter("gongzhi.gateway.store.failures");
        try (Hj212Client logger = new Hj212Client(gateway.port())) {
            logger.send(frame);
            assertThat(logger.reply(1500)).as("no ack for data that is not durable").isNull();
            assertThat(rows(outfallId)).isZero();
            assertThat(jdbc.sql("SELECT count(*) FROM raw_packet WHERE mn = ?").param(mn).query(Long.class).single())
                    .as("the raw archive rolled back with the rows").isZero();
            assertThat(counter("gongzhi.gateway.store.failures")).isGreaterThan(failures);

            jdbc.sql("ALTER TABLE measurement DROP CONSTRAINT " + constraint).update();
            logger.send(frame); // the logger resends
            Hj212Packet ack = logger.reply(5000);
            assertThat(ack).isNotNull();
            assertThat(ack.cn()).isEqualTo(9014);
        } finally {
            jdbc.sql("ALTER TABLE measurement DROP CONSTRAINT IF EXISTS " + constraint).update();
        }
        assertThat(rows(outfallId)).isEqualTo(2);
    }

    @Test
    void splitUploadIsStoredWhenAllPartsArrivedAndEachPartIsAcknowledged() throws Exception {
        register(mn, "pw123456", outfallId);
        String dt = recentMinute().format(T);
        Hj212Message p1 = Hj212Message.builder().qn(qn()).st("32").cn(2051).pw("pw123456").mn(mn).flag(7).parts(2, 1)
                .group("DataTime", dt).group("w01018-Avg", "11.0", "w01018-Flag", "N").build();
        Hj212Message p2 = Hj212Message.builder().qn(qn() + "").st("32").cn(2051).pw("pw123456").mn(mn).flag(7).parts(2, 2)
                .group("DataTime", dt).group("w21003-Avg", "0.7", "w21003-Flag", "N").build();
        try (Hj212Client logger = new Hj212Client(gateway.port())) {
            logger.send(p1);
            assertThat(logger.reply(500)).as("part 1 alone is not yet stored").isNull();
            logger.send(p2);
            assertThat(logger.reply(5000)).isNotNull();
            assertThat(logger.reply(5000)).isNotNull();
        }
        assertThat(rows(outfallId)).isEqualTo(2);
    }

    @Test
    void aForeignJurisdictionSeesNeitherTheDeviceNorItsMeasurements() throws Exception {
        register(mn, "pw123456", outfallId);
        try (Hj212Client logger = new Hj212Client(gateway.port())) {
            logger.send(minuteData(mn, "pw123456", recentMinute(), 31.5, 2.25));
            assertThat(logger.reply(5000)).isNotNull();
        }
        mvc.perform(get("/api/v1/data-loggers").with(accounts.as(suzhou)))
                .andExpect(jsonPath("$[?(@.mn == '" + mn + "')].outfallId").value((int) outfallId));
        mvc.perform(get("/api/v1/data-loggers").with(accounts.as(wuxi)))
                .andExpect(status().isOk()).andExpect(jsonPath("$[?(@.mn == '" + mn + "')]").isEmpty());
        mvc.perform(get("/api/v1/data-loggers/" + mn).with(accounts.as(wuxi))).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/data-loggers/" + mn + "/status").with(accounts.as(wuxi))).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/outfalls/" + outfallId + "/measurements/latest").with(accounts.as(wuxi)))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/outfalls/" + outfallId + "/measurements").param("factor", "w01018").with(accounts.as(wuxi)))
                .andExpect(status().isNotFound());
        // nor register a device on it
        mvc.perform(post("/api/v1/data-loggers").with(accounts.as(wuxi)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"mn\": \"X" + mn + "\", \"password\": \"p\", \"outfallId\": " + outfallId + "}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("outfallId"));
    }

    @Test
    void registrationRefusesBadInputByFieldAndATakenMnWith409() throws Exception {
        mvc.perform(post("/api/v1/data-loggers").with(accounts.as(suzhou)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"mn\": \"bad mn;\", \"password\": \"\", \"factors\": [\"w01018;\"], \"intervalSeconds\": 5}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[?(@.field == 'mn')].reason_en").exists())
                .andExpect(jsonPath("$.errors[?(@.field == 'password')].reason_zh").value("访问密码（PW）必填"))
                .andExpect(jsonPath("$.errors[?(@.field == 'outfallId')]").exists())
                .andExpect(jsonPath("$.errors[?(@.field == 'factors')]").exists())
                .andExpect(jsonPath("$.errors[?(@.field == 'intervalSeconds')]").exists());
        register(mn, "pw123456", outfallId);
        mvc.perform(post("/api/v1/data-loggers").with(accounts.as(suzhou)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"mn\": \"" + mn + "\", \"password\": \"x\", \"outfallId\": " + outfallId + "}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("https://gongzhi.org/problems/duplicate-mn"));
        // an inspector may look but not register
        CurrentUser inspector = accounts.user(Role.INSPECTOR, accounts.regulator(Organization.Level.CITY, "320500"));
        mvc.perform(post("/api/v1/data-loggers").with(accounts.as(inspector)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"mn\": \"I" + mn + "\", \"password\": \"x\", \"outfallId\": " + outfallId + "}"))
                .andExpect(status().isForbidden());
    }

    @Test
    void theTimeSeriesIsDownsampledOnTheServer() throws Exception {
        // a day of minute values 0..1439 at 00:00..23:59 (China time), yesterday
        Instant day = LocalDateTime.now(CHINA).truncatedTo(ChronoUnit.DAYS).minusDays(1).atZone(CHINA).toInstant();
        jdbc.sql("""
                INSERT INTO measurement (outfall_id, kind, data_time, factor, source, avg, received_at)
                SELECT ?, 'MINUTE', ?::timestamptz + make_interval(mins => g), 'w01018', 'HJ212', g, now()
                FROM generate_series(0, 1439) g""").params(outfallId, java.sql.Timestamp.from(day)).update();
        MvcResult r = mvc.perform(get("/api/v1/outfalls/" + outfallId + "/measurements").with(accounts.as(suzhou))
                        .param("factor", "w01018").param("kind", "MINUTE").param("from", day.toString())
                        .param("to", day.plus(1, ChronoUnit.DAYS).toString()).param("points", "48"))
                .andExpect(status().isOk()).andReturn();
        JsonNode s = json.readTree(r.getResponse().getContentAsString());
        assertThat(s.get("bucketSeconds").asLong()).isEqualTo(1800);
        JsonNode pts = s.get("points");
        assertThat(pts.size()).isEqualTo(48);
        JsonNode first = pts.get(0);
        assertThat(first.get("n").asLong()).isEqualTo(30);
        assertThat(first.get("min").asDouble()).isEqualTo(0.0);
        assertThat(first.get("max").asDouble()).isEqualTo(29.0);
        assertThat(first.get("avg").asDouble()).isEqualTo(14.5);
        assertThat(pts.get(47).get("max").asDouble()).isEqualTo(1439.0);
        // asking for more points than values returns the values themselves
        MvcResult all = mvc.perform(get("/api/v1/outfalls/" + outfallId + "/measurements").with(accounts.as(suzhou))
                        .param("factor", "w01018").param("from", day.toString())
                        .param("to", day.plus(1, ChronoUnit.DAYS).toString()).param("points", "5000"))
                .andExpect(status().isOk()).andReturn();
        assertThat(json.readTree(all.getResponse().getContentAsString()).get("points").size()).isEqualTo(1440);
        mvc.perform(get("/api/v1/outfalls/" + outfallId + "/measurements").with(accounts.as(suzhou))
                        .param("factor", "w01018").param("points", "0"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("points"));
    }
}
