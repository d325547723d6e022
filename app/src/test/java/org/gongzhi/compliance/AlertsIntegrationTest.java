package org.gongzhi.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.gongzhi.approval.ApprovalDecided;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Approval decisions become limits; findings become alerts: to the county regulator and the party first, once per
 * outfall × factor × window, pushed to a signed webhook (a real local HTTP server) with retries, and escalated to the
 * city and then the province when nobody acknowledges; e-mail through a real SMTP conversation.
 */
@SpringBootTest(properties = "gongzhi.compliance.webhooks.allow-private-targets=true") // the receiver runs on 127.0.0.1
@AutoConfigureMockMvc
@ActiveProfiles("test")
class AlertsIntegrationTest {

    private static final AtomicInteger SEQ = new AtomicInteger();

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired ApplicationContext context;
    @Autowired ApplicationEventPublisher events;
    @Autowired TransactionTemplate tx;
    @Autowired ComplianceEngine engine;
    @Autowired Alerts alerts;
    @Autowired AlertChannels channels;
    @Autowired Findings findings;
    @Autowired AuditLog audit;
    @Autowired JdbcClient jdbc;

    CurrentUser county;
    CurrentUser city;
    CurrentUser province;
    CurrentUser inspector;
    CurrentUser partyUser;
    CurrentUser wuxi;
    Organization party;

    @BeforeEach
    void setUp() {
        Organization countyOrg = accounts.regulator(Organization.Level.COUNTY, "320506");
        county = accounts.user(Role.REGULATOR, countyOrg);
        inspector = accounts.user(Role.INSPECTOR, countyOrg);
        city = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        province = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.PROVINCE, "320000"));
        wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        party = accounts.party("320506");
        partyUser = accounts.user(Role.PARTY, party);
    }

    long outfall() throws Exception {
        String body = """
                {"outfall": {"name": "告警测试排污口%d", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320506",
                 "longitude": 120.6, "latitude": 31.2, "parties": [{"organizationId": %d, "lead": true}]},
                 "reason": "测试"}""".formatted(SEQ.incrementAndGet(), party.id());
        var r = mvc.perform(post("/api/v1/outfalls").with(accounts.as(city)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isCreated()).andReturn();
        return json.readTree(r.getResponse().getContentAsString()).get("id").asLong();
    }

    JsonNode read(CurrentUser as, String url) throws Exception {
        var r = mvc.perform(get(url).with(accounts.as(as))).andExpect(status().isOk()).andReturn();
        return json.readTree(r.getResponse().getContentAsString());
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(50);
        }
    }

    static JsonNode alertOf(JsonNode inbox, long outfall) {
        for (JsonNode a : inbox.get("alerts")) {
            if (a.get("outfallId").asLong() == outfall) {
                return a;
            }
        }
        return null;
    }

    // ---- approval decisions -----------------------------------------------------------------------------------

    void publish(ApprovalDecided e) {
        tx.executeWithoutResult(s -> events.publishEvent(e));
    }

    List<Map<String, Object>> decisionLimits(long outfall) {
        return jdbc.sql("SELECT factor, value, low, high, clause, valid_from, valid_to FROM outfall_limit "
                + "WHERE outfall_id = ? AND source = 'DECISION' ORDER BY valid_from, factor").param(outfall).query().listOfRows();
    }

    @Test
    void aDecisionsLimitsApplyFromItsFirstDay_theEarlierDecisionEndsTheDayBefore_aRedeliveryChangesNothing() throws Exception {
        long outfall = outfall();
        var cod40 = new ApprovalDecided.DecidedLimit("w01018", "DAILY_MEAN", "LE", new BigDecimal("40"), null, null, "mg/L");
        var ph = new ApprovalDecided.DecidedLimit("w01001", "DAILY_MEAN", "RANGE", null, new BigDecimal("6"), new BigDecimal("9"), "无量纲");
        var first = new ApprovalDecided(9001, outfall, "苏环排口审〔2026〕12号", LocalDate.of(2026, 3, 1),
                LocalDate.of(2026, 3, 5), List.of(cod40, ph), city.username());
        publish(first);
        await("the first decision's limits", () -> decisionLimits(outfall).size() == 2);
        mvc.perform(get("/api/v1/outfalls/" + outfall + "/limits").param("day", "2026-03-05").with(accounts.as(county)))
                .andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers
                        .jsonPath("$.limits[?(@.factor == 'w01018')].clause").value("苏环排口审〔2026〕12号"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers
                        .jsonPath("$.limits[?(@.factor == 'w01018')].source").value("DECISION"));

        // a new decision from 1 July: the first one's limits end on 30 June (valid_to exclusive = 1 July)
        var cod30 = new ApprovalDecided.DecidedLimit("w01018", "DAILY_MEAN", "LE", new BigDecimal("30"), null, null, "mg/L");
        publish(new ApprovalDecided(9002, outfall, "苏环排口审〔2026〕40号", LocalDate.of(2026, 6, 20),
                LocalDate.of(2026, 7, 1), List.of(cod30), city.username()));
        await("the second decision's limit", () -> decisionLimits(outfall).size() == 3);
        List<Map<String, Object>> rows = decisionLimits(outfall);
        assertThat(rows.get(0).get("valid_to")).hasToString("2026-07-01");
        assertThat(rows.get(1).get("valid_to")).hasToString("2026-07-01");
        assertThat(rows.get(2).get("clause")).isEqualTo("苏环排口审〔2026〕40号");
        assertThat(rows.get(2).get("valid_to")).isNull();
        JsonNode june30 = read(county, "/api/v1/outfalls/" + outfall + "/limits?day=2026-06-30");
        JsonNode july1 = read(county, "/api/v1/outfalls/" + outfall + "/limits?day=2026-07-01");
        assertThat(june30.get("limits").toString()).contains("\"value\":40").contains("12号");
        assertThat(july1.get("limits").toString()).contains("\"value\":30").doesNotContain("12号");

        // the same event delivered again adds nothing; a decision with a COD limit in L/s is refused as a whole
        publish(first);
        publish(new ApprovalDecided(9003, outfall, "苏环排口审〔2026〕41号", LocalDate.of(2026, 8, 1),
                LocalDate.of(2026, 8, 2), List.of(cod30, new ApprovalDecided.DecidedLimit("w01018", "DAILY_MAX", "LE",
                new BigDecimal("5"), null, null, "L/s")), city.username()));
        Thread.sleep(300);
        assertThat(decisionLimits(outfall)).hasSize(3);
        assertThat(audit.forEntity("outfall", String.valueOf(outfall))).extracting(AuditLog.Entry::action)
                .filteredOn("DECISION_LIMITS"::equals).hasSize(2);
    }

    // ---- alerts ---------------------------------------------------------------------------------------------

    static Hj212Message realtime(String mn, String pw, LocalDateTime t, double cod) {
        return Hj212Message.builder().qn(t.format(TestGateway.T) + "000").st("32").cn(2011).pw(pw).mn(mn).flag(5)
                .group("DataTime", t.format(TestGateway.T))
                .group("w01018-Rtd", Double.toString(cod), "w01018-Flag", "N")
                .build();
    }

    @Test
    void anExceedanceAlertsCountyAndParty_oncePerWindow_signedWebhookRetried_escalatesToCityThenProvince() throws Exception {
        // a receiver that fails the first delivery and accepts the next
        List<Map<String, String>> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(Map.of("timestamp", ex.getRequestHeaders().getFirst("X-Gongzhi-Timestamp"),
                    "signature", ex.getRequestHeaders().getFirst("X-Gongzhi-Signature"),
                    "body", new String(body, StandardCharsets.UTF_8)));
            int code = calls.incrementAndGet() == 1 ? 500 : 204;
            ex.sendResponseHeaders(code, -1);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            mvc.perform(post("/api/v1/alert-channels").with(accounts.as(inspector)).with(csrf())
                    .contentType(MediaType.APPLICATION_JSON).content("{\"kind\": \"WEBHOOK\", \"target\": \"" + url + "\"}"))
                    .andExpect(status().isForbidden());
            mvc.perform(post("/api/v1/alert-channels").with(accounts.as(county)).with(csrf())
                    .contentType(MediaType.APPLICATION_JSON).content("{\"kind\": \"WEBHOOK\", \"target\": \"ftp://x\"}"))
                    .andExpect(status().isUnprocessableContent());
            var created = mvc.perform(post("/api/v1/alert-channels").with(accounts.as(county)).with(csrf())
                    .contentType(MediaType.APPLICATION_JSON).content("{\"kind\": \"WEBHOOK\", \"target\": \"" + url + "\"}"))
                    .andExpect(status().isCreated()).andReturn();
            JsonNode channel = json.readTree(created.getResponse().getContentAsString());
            String secret = channel.get("secret").asString();
            long channelId = channel.get("channel").get("id").asLong();
            assertThat(secret).hasSize(64);
            assertThat(read(county, "/api/v1/alert-channels").toString()).doesNotContain(secret);
            mvc.perform(get("/api/v1/alert-channels/" + channelId + "/deliveries").with(accounts.as(wuxi)))
                    .andExpect(status().isNotFound());

            long outfall = outfall();
            String mn = "ALRT" + System.nanoTime() % 1_000_000_000L + "A" + SEQ.incrementAndGet();
            mvc.perform(post("/api/v1/data-loggers").with(accounts.as(city)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                    .content("""
                            {"mn": "%s", "password": "pw654321", "outfallId": %d, "factors": ["w01018"], "intervalSeconds": 60}"""
                            .formatted(mn, outfall))).andExpect(status().isCreated());
            LocalDate today = LocalDate.now(Evaluator.CHINA);
            mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(city)).with(csrf())
                    .contentType(MediaType.APPLICATION_JSON).content("""
                            {"packCode": "GB18918-2002", "grade": "一级A", "builtBefore2006": false, "validFrom": "%s",
                             "reason": "登记"}""".formatted(today.minusDays(1)))).andExpect(status().isOk());
            assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();

            // COD 80 mg/L against the daily 50: an early warning now, the day still running
            LocalDateTime now = LocalDateTime.now(Evaluator.CHINA).truncatedTo(ChronoUnit.MINUTES);
            TestGateway.sendAll(context, List.of(realtime(mn, "pw654321", now.minusMinutes(2), 80.0)));
            assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();

            JsonNode a = alertOf(read(county, "/api/v1/alerts"), outfall);
            assertThat(a).as("the county regulator's inbox").isNotNull();
            assertThat(a.get("kind").asString()).isEqualTo("INSTANT_EXCEEDANCE");
            assertThat(a.get("level").asString()).isEqualTo("COUNTY");
            assertThat(a.get("read").asBoolean()).isFalse();
            assertThat(a.get("summaryZh").asString()).contains("化学需氧量（w01018）").contains("80").contains("60%");
            assertThat(alertOf(read(partyUser, "/api/v1/alerts"), outfall)).as("the party's inbox").isNotNull();
            assertThat(alertOf(read(city, "/api/v1/alerts"), outfall)).as("the city, before escalation").isNull();
            assertThat(read(county, "/api/v1/alerts").get("unread").asLong()).isGreaterThanOrEqualTo(1);
            long alertId = a.get("id").asLong();

            // a worse value the same day updates the finding but is the same alert: no second push
            TestGateway.sendAll(context, List.of(realtime(mn, "pw654321", now.minusMinutes(1), 90.0)));
            assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();
            assertThat(jdbc.sql("SELECT count(*) FROM alert WHERE outfall_id = ?").param(outfall).query(Long.class).single()).isEqualTo(1);

            // the webhook: first answer 500, retried after the backoff, then delivered; each attempt logged
            await("the first attempt", () -> calls.get() >= 1);
            await("the first attempt logged", () -> !channels.attempts(channelId, county).isEmpty());
            channels.deliverDue(Instant.now().plus(channels.backoff(1)).plusSeconds(15));
            await("the retry", () -> calls.get() >= 2);
            JsonNode log = read(county, "/api/v1/alert-channels/" + channelId + "/deliveries");
            assertThat(log.get("deliveries")).hasSize(1);
            assertThat(log.get("deliveries").get(0).get("status").asString()).isEqualTo("DELIVERED");
            assertThat(log.get("deliveries").get(0).get("attempts").asInt()).isEqualTo(2);
            assertThat(log.get("attempts")).extracting(x -> x.get("httpStatus").asInt()).containsExactly(204, 500);
            Map<String, String> push = received.get(1);
            assertThat(push.get("signature")).isEqualTo("sha256=" + AlertChannels.sign(secret, push.get("timestamp"), push.get("body")));
            JsonNode body = json.readTree(push.get("body"));
            assertThat(body.get("alertId").asLong()).isEqualTo(alertId);
            assertThat(body.get("event").asString()).isEqualTo("RAISED");
            assertThat(body.get("outfallName").asString()).startsWith("告警测试排污口");

            // nobody acknowledges: after escalate-after (4 h) the city is told as well
            mvc.perform(get("/api/v1/alerts/" + alertId).with(accounts.as(wuxi))).andExpect(status().isNotFound());
            assertThat(alerts.escalateDue(Instant.now().plus(Duration.ofHours(4)).plusSeconds(60))).isGreaterThanOrEqualTo(1);
            assertThat(alertOf(read(city, "/api/v1/alerts"), outfall)).as("the city after escalation").isNotNull();
            assertThat(alertOf(read(province, "/api/v1/alerts"), outfall)).as("the province, not yet").isNull();
            assertThat(audit.forEntity("alert", String.valueOf(alertId))).extracting(AuditLog.Entry::action)
                    .containsExactly("ESCALATE");

            // acknowledgement: not by an inspector, not from Wuxi; the party acknowledges once
            String ack = "{\"note\": \"已停产排查\"}";
            mvc.perform(post("/api/v1/alerts/" + alertId + "/acknowledge").with(accounts.as(inspector)).with(csrf())
                    .contentType(MediaType.APPLICATION_JSON).content(ack)).andExpect(status().isForbidden());
            mvc.perform(post("/api/v1/alerts/" + alertId + "/acknowledge").with(accounts.as(wuxi)).with(csrf())
                    .contentType(MediaType.APPLICATION_JSON).content(ack)).andExpect(status().isNotFound());
            mvc.perform(post("/api/v1/alerts/" + alertId + "/acknowledge").with(accounts.as(partyUser)).with(csrf())
                    .contentType(MediaType.APPLICATION_JSON).content(ack)).andExpect(status().isOk());
            mvc.perform(post("/api/v1/alerts/" + alertId + "/acknowledge").with(accounts.as(county)).with(csrf())
                    .contentType(MediaType.APPLICATION_JSON).content(ack)).andExpect(status().isUnprocessableContent());
            JsonNode detail = read(county, "/api/v1/alerts/" + alertId);
            assertThat(detail.get("alert").get("status").asString()).isEqualTo("ACKNOWLEDGED");
            assertThat(detail.get("alert").get("acknowledgedBy").asString()).isEqualTo(partyUser.username());
            assertThat(detail.get("alert").get("read").asBoolean()).isTrue();
            assertThat(detail.get("recipients")).extracting(r -> r.get("organizationId").asLong())
                    .contains(county.organizationId(), party.id(), city.organizationId())
                    .doesNotContain(province.organizationId(), wuxi.organizationId());
            // acknowledged: the clock stops, the province is never told
            alerts.escalateDue(Instant.now().plus(Duration.ofHours(20)));
            assertThat(alertOf(read(province, "/api/v1/alerts"), outfall)).isNull();

            // the inbox page and the nav count
            String page = mvc.perform(get("/alerts").with(accounts.as(county))).andExpect(status().isOk()).andReturn()
                    .getResponse().getContentAsString();
            assertThat(page).contains("化学需氧量（w01018）");
        } finally {
            server.stop(0);
        }
    }

    // ---- e-mail over SMTP ---------------------------------------------------------------------------------------

    /** A minimal SMTP server: enough of RFC 5321 for one message, which it keeps. */
    static final class SmtpSink implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<String> recipients = new CopyOnWriteArrayList<>();
        final Thread thread = new Thread(this::serve, "smtp-sink");

        SmtpSink() throws java.io.IOException {
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                     PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
                    reply(out, "220 sink ready");
                    for (String line; (line = in.readLine()) != null; ) {
                        String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                        switch (cmd) {
                            case "EHLO", "HELO" -> reply(out, "250 sink");
                            case "RCPT" -> {
                                recipients.add(line);
                                reply(out, "250 ok");
                            }
                            case "DATA" -> {
                                reply(out, "354 go ahead");
                                StringBuilder m = new StringBuilder();
                                for (String l; (l = in.readLine()) != null && !l.equals("."); ) {
                                    m.append(l).append('\n');
                                }
                                messages.add(m.toString());
                                reply(out, "250 queued");
                            }
                            case "QUIT" -> {
                                reply(out, "221 bye");
                                return;
                            }
                            default -> reply(out, "250 ok");
                        }
                    }
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }

        private static void reply(PrintWriter out, String line) {
            out.print(line + "\r\n");
            out.flush();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    @Test
    void anAlertForADayThatLooksShortOfDataIsWithdrawnWhenTheRestOfTheDayArrives() throws Exception {
        long outfall = outfall();
        String mn = "WDRW" + System.nanoTime() % 1_000_000_000L + "A" + SEQ.incrementAndGet();
        mvc.perform(post("/api/v1/data-loggers").with(accounts.as(city)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("""
                        {"mn": "%s", "password": "pw654321", "outfallId": %d, "factors": ["w01018"], "intervalSeconds": 3600}"""
                        .formatted(mn, outfall))).andExpect(status().isCreated());
        LocalDate day = LocalDate.now(Evaluator.CHINA).minusDays(2);
        mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(city)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"packCode": "GB18918-2002", "grade": "一级A", "builtBefore2006": false, "validFrom": "%s",
                         "reason": "登记"}""".formatted(day.minusDays(1)))).andExpect(status().isOk());
        assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();

        // a logger catching up uploads the first half of a closed day: too few valid hours (12 < 20) for now
        List<Hj212Message> first = new java.util.ArrayList<>();
        List<Hj212Message> rest = new java.util.ArrayList<>();
        for (int h = 0; h < 24; h++) {
            (h < 12 ? first : rest).add(TestGateway.hour(mn, "pw654321", day.atTime(h, 0), 30.0, "N", 1.0, 20.0));
        }
        TestGateway.sendAll(context, first);
        assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();
        JsonNode a = alertOf(read(county, "/api/v1/alerts"), outfall);
        assertThat(a).isNotNull();
        assertThat(a.get("kind").asString()).isEqualTo("INSUFFICIENT_DATA");
        long unreadBefore = read(county, "/api/v1/alerts").get("unread").asLong();

        // the rest of the day arrives: the day is compliant, the finding resolved, the alert withdrawn by the system
        TestGateway.sendAll(context, rest);
        assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();
        JsonNode after = read(county, "/api/v1/alerts/" + a.get("id").asLong());
        assertThat(after.toString()).contains("WITHDRAWN");
        assertThat(jdbc.sql("SELECT DISTINCT status FROM alert WHERE outfall_id = ?").param(outfall).query(String.class)
                .list()).as("COD and NH3-N both looked short, both are withdrawn").containsExactly("WITHDRAWN");
        long withdrawn = jdbc.sql("SELECT count(*) FROM alert WHERE outfall_id = ?").param(outfall).query(Long.class).single();
        assertThat(read(county, "/api/v1/alerts").get("unread").asLong()).as("withdrawn alerts are not unread")
                .isEqualTo(unreadBefore - withdrawn);
        assertThat(jdbc.sql("SELECT status FROM finding WHERE id = ?").param(a.get("findingId").asLong())
                .query(String.class).single()).isEqualTo("RESOLVED");
    }

    @Test
    void anAlertIsMailedThroughTheOutboxOverSmtp() throws Exception {
        long outfall = outfall();
        var d = new Findings.Draft(outfall, "w01018", "DAILY_MEAN", Evaluator.dayStart(LocalDate.now(Evaluator.CHINA).minusDays(1)),
                Evaluator.dayStart(LocalDate.now(Evaluator.CHINA)), Findings.Kind.VIOLATION, Map.of("clause", "GB 18918-2002 表1"),
                "GB18918-2002", 1, new BigDecimal("62"), new BigDecimal("50"), "mg/L", Map.of(), new BigDecimal("24.00"),
                new BigDecimal("1.24"), false);
        long alertId = tx.execute(s -> {
            long findingId = findings.upsert(d).orElseThrow().id();
            alerts.raise(findingId, d, Instant.now());
            return jdbc.sql("SELECT id FROM alert WHERE finding_id = ?").param(findingId).query(Long.class).single();
        });
        try (SmtpSink sink = new SmtpSink()) {
            JavaMailSenderImpl sender = new JavaMailSenderImpl();
            sender.setHost("127.0.0.1");
            sender.setPort(sink.port());
            sender.setDefaultEncoding("UTF-8");
            ObjectProvider<JavaMailSender> provider = context.getBeanProvider(JavaMailSender.class);
            AlertChannels mailing = new AlertChannels(jdbc, audit, json, new ObjectProvider<>() {
                @Override
                public JavaMailSender getObject() {
                    return sender;
                }

                @Override
                public JavaMailSender getIfAvailable() {
                    return sender;
                }
            }, true, "alerts@gongzhi.test", Duration.ofSeconds(10), Duration.ofHours(1), 3, Duration.ofSeconds(5), false);
            assertThat(provider.getIfAvailable()).as("no mail sender in the default configuration").isNull();
            long channelId = tx.execute(s -> mailing.create(AlertChannels.Kind.EMAIL, "duty@suzhou.example.cn", county)).channel().id();
            tx.executeWithoutResult(s -> mailing.enqueue(alertId, "RAISED", "{\"outfallName\": \"告警测试\", \"summaryZh\": \"超标\"}",
                    List.of(county.organizationId()), Instant.now()));
            mailing.deliverDue(Instant.now()); // (or the outbox's own after-commit wake-up got there first)
            await("the e-mail delivered", () -> "DELIVERED".equals(mailing.deliveries(channelId, county).get(0).status()));
            assertThat(sink.recipients).anyMatch(r -> r.contains("duty@suzhou.example.cn"));
            assertThat(sink.messages).hasSize(1);
            assertThat(mailing.deliveries(channelId, county).get(0).status()).isEqualTo("DELIVERED");
        }
        // and with e-mail off (the default), an e-mail channel is refused with a reason
        mvc.perform(post("/api/v1/alert-channels").with(accounts.as(county)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"kind\": \"EMAIL\", \"target\": \"a@b.cn\"}"))
                .andExpect(status().isUnprocessableContent());

        // unacknowledged, it climbs county → city → province, one level per escalate-after
        assertThat(alerts.escalateDue(Instant.now().plus(Duration.ofHours(4)).plusSeconds(60))).isGreaterThanOrEqualTo(1);
        assertThat(alerts.escalateDue(Instant.now().plus(Duration.ofHours(8)).plusSeconds(120))).isGreaterThanOrEqualTo(1);
        JsonNode atProvince = alertOf(read(province, "/api/v1/alerts"), outfall);
        assertThat(atProvince).as("the province after two escalations").isNotNull();
        assertThat(atProvince.get("level").asString()).isEqualTo("PROVINCE");
        assertThat(audit.forEntity("alert", String.valueOf(alertId))).extracting(AuditLog.Entry::action)
                .containsExactly("ESCALATE", "ESCALATE");
    }

    @Test
    void aWebhookMayNotPointIntoTheLocalNetwork_byDefault() {
        AlertChannels strict = new AlertChannels(jdbc, audit, json, context.getBeanProvider(JavaMailSender.class), false,
                "x@y.cn", Duration.ofSeconds(10), Duration.ofHours(1), 3, Duration.ofSeconds(5), false);
        for (String target : List.of("http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://192.168.1.10/hook",
                "http://169.254.169.254/latest/meta-data", "http://[::1]/hook", "http://no-such-host.invalid/hook")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> tx.executeWithoutResult(s ->
                            strict.create(AlertChannels.Kind.WEBHOOK, target, county)))
                    .as(target).isInstanceOf(org.gongzhi.platform.InvalidInputException.class)
                    .hasMessageContaining("target");
        }
    }
}
