package org.gongzhi.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.UnifiedSocialCreditCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The security matrix of the issue: "Every query is scoped by jurisdiction in the data layer, not just hidden in the
 * UI. A test matrix checks every endpoint against every role and a foreign jurisdiction."
 *
 * <p>The endpoints are not listed here: they are discovered from Spring's handler mappings (controllers and actuator),
 * so an endpoint added later is checked the day it lands. Each one is classified by its path pattern in {@link #RULES};
 * an endpoint no rule matches fails {@link #everyEndpointIsClassified()}, so whoever adds it decides how it is protected.
 *
 * <p>The data: an outfall in 苏州市吴中区 (320506) with its own responsible party, seen by 苏州市 users of every role
 * (the city bureau's admin, regulator, inspector, and the party's user), and 无锡市 (320200) users of every role as the
 * foreign jurisdiction, who must never see the outfall's name or code, the party, or the 苏州 usernames anywhere.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointSecurityMatrixTest {

    // ------------------------------------------------------------------ classification

    /** How an endpoint is protected. */
    enum Access {
        /** No sign-in needed. */
        PUBLIC,
        /**
         * Reads are public; writes are stateless and guarded by their own credential instead of a session (Open311
         * POSTs with an api_key): 403 without it, whoever calls, so a cookie session cannot act through them and they
         * need no CSRF token.
         */
        PUBLIC_WITH_KEY,
        /** Administrators only: everyone else gets 403 from the security filter. */
        ADMIN,
        /** Any signed-in user: their own account, national reference data, forms that show no ledger data. */
        SIGNED_IN,
        /** Lists, maps and exports of jurisdiction-scoped data: never anything from outside the jurisdiction. */
        SCOPED_LIST,
        /** One outfall by its id: 404 outside the jurisdiction, for reads and writes alike. */
        SCOPED_OUTFALL,
        /** One data logger (数采仪) by its MN: 404 outside the jurisdiction of its outfall. */
        SCOPED_DEVICE,
        /** One ledger import batch by its id: only its uploader sees it; others get 403 (role) or 404. */
        SCOPED_IMPORT,
        /**
         * One record of a module by its id (a compliance finding, an approval case, a public request, a campaign, an
         * inspection…): 404 outside the jurisdiction it belongs to. The matrix has no such record of its own (each
         * needs its module's setup), so it checks an id that does not exist; each module's integration test checks a
         * real record against the foreign jurisdiction (e.g. ComplianceIntegrationTest for findings).
         */
        SCOPED_RECORD
    }

    /**
     * A rule: a regular expression over the path pattern as mapped (with its {variables}), and whether a scoped list
     * shows ledger data itself (the map page is a shell whose points come from /outfalls/map/data).
     */
    record Rule(Pattern pattern, Access access, boolean showsData, String why) {
        static Rule of(String regex, Access access, String why) {
            return new Rule(Pattern.compile(regex), access, true, why);
        }
    }

    private static final String VAR = "\\{[^/]+\\}";

    /** Query parameters some reads require, given to every read so that the answer is about access, not a 400. */
    static final Map<String, String> REALISTIC_PARAMS = Map.of("factor", "w01018");

    /** A 1×1 PNG, for endpoints that take a file. */
    static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /**
     * First match wins. Keep these by path shape, not one per endpoint. The rules of each feature module are in a list
     * of their own below, so that work on different modules does not touch the same lines.
     */
    static final List<Rule> RULES;

    static final List<Rule> PLATFORM_LEDGER_MONITORING_RULES = List.of(
            Rule.of("^/login$|^/error$", Access.PUBLIC, "sign-in and error pages"),
            Rule.of("^/v3/api-docs.*$|^/swagger-ui.*$", Access.PUBLIC, "the OpenAPI description and its viewer"),
            Rule.of("^/actuator/health(/.*)?$", Access.PUBLIC, "health probes for load balancers"),
            Rule.of("^/actuator(/.*)?$", Access.ADMIN, "operations endpoints"),
            Rule.of("^/admin(/.*)?$", Access.ADMIN, "administration pages"),
            Rule.of("^/api/v1/(users|audit)(/.*)?$", Access.ADMIN, "user administration and the audit log"),
            Rule.of("^/$|^/account(/.*)?$|^/api/v1/(me|tokens)(/.*)?$", Access.SIGNED_IN, "the caller's own account"),
            Rule.of("^/api/v1/(regions|water-bodies|outfall-types|standard-packs)(/.*)?$", Access.SIGNED_IN,
                    "national reference data (regions, water bodies, taxonomy, standard packs)"),
            Rule.of("^/api/v1/findings/" + VAR + "(/.*)?$", Access.SCOPED_RECORD, "one compliance finding"),
            new Rule(Pattern.compile("^/api/v1/findings$"), Access.SCOPED_LIST, false,
                    "compliance findings of the jurisdiction (the test's outfall has none)"),
            Rule.of("^/api/v1/organizations(/.*)?$", Access.SCOPED_LIST, "organizations of the jurisdiction"),
            Rule.of("^(/api/v1)?/outfalls/exports?([./].*)?$", Access.SCOPED_LIST, "ledger exports"),
            Rule.of("^/api/v1/outfalls/imports/" + VAR + "(/.*)?$|^/outfalls/imports?/" + VAR + "(/.*)?$",
                    Access.SCOPED_IMPORT, "one import batch"),
            Rule.of("^/api/v1/outfalls/imports$|^/outfalls/imports?$", Access.SIGNED_IN,
                    "import upload and form (editors only; the import checks the jurisdiction of every row)"),
            Rule.of("^/api/v1/measurements/imports/" + VAR + "(/.*)?$|^/monitoring/import/" + VAR + "(/.*)?$",
                    Access.SCOPED_IMPORT, "one results import batch (monitoring; only its uploader sees it)"),
            Rule.of("^/api/v1/measurements/imports$|^/monitoring/import(/template\\.csv)?$", Access.SIGNED_IN,
                    "results import upload, form and template (editors, and parties for their own outfalls' self-monitoring; "
                            + "inspectors get 403; every row's outfall is checked in the uploader's jurisdiction)"),
            new Rule(Pattern.compile("^/api/v1/device-alerts$"), Access.SCOPED_LIST, false,
                    "offline alerts of data loggers (the test's device is not offline yet)"),
            Rule.of("^(/api/v1|/monitoring)?/outfalls/" + VAR + "(/.*)?$", Access.SCOPED_OUTFALL,
                    "one outfall, and what hangs off it (history, files, measurements)"),
            Rule.of("^/api/v1/data-loggers/" + VAR + "(/.*)?$|^/monitoring/devices/" + VAR + "(/.*)?$",
                    Access.SCOPED_DEVICE, "one data logger"),
            Rule.of("^/api/v1/data-loggers$|^/monitoring/devices$", Access.SCOPED_LIST, "data loggers of the jurisdiction"),
            new Rule(Pattern.compile("^/api/v1/(data-loggers/unregistered|rejected-frames)$|^/monitoring/rejected$"),
                    Access.SCOPED_LIST, false, "unknown MNs and refused frames (the test has none of 苏州's to show)"),
            new Rule(Pattern.compile("^/outfalls/map$"), Access.SCOPED_LIST, false, "the map page (a shell)"),
            Rule.of("^(/api/v1)?/outfalls$|^/outfalls/map/data$", Access.SCOPED_LIST, "the ledger and its map data"),
            Rule.of("^/outfalls/(new|suggest-name)$", Access.SIGNED_IN, "the new-outfall form and its name helper"));

    /** Issue 4: compliance (findings above, limits, alerts, effluent charts, reports). */
    static final List<Rule> COMPLIANCE_RULES = List.of(
            Rule.of("^/alerts/unread-count$", Access.SIGNED_IN, "the caller's unread-alert count (navigation)"),
            Rule.of("^(/api/v1/alert-channels|/alerts/channels)/" + VAR + "(/.*)?$", Access.SCOPED_RECORD,
                    "one push channel of the caller's organization (404 for anyone else's)"),
            Rule.of("^/api/v1/alert-channels$|^/alerts/channels$", Access.SIGNED_IN,
                    "the caller's own organization's push channels"),
            Rule.of("^(/api/v1)?/alerts/" + VAR + "(/.*)?$", Access.SCOPED_RECORD, "one alert"),
            new Rule(Pattern.compile("^(/api/v1)?/alerts$"), Access.SCOPED_LIST, false,
                    "the alert inbox of the caller's organization (the test's outfall has no findings)"),
            Rule.of("^(/api/v1)?/compliance/outfalls/" + VAR + "(/.*)?$", Access.SCOPED_OUTFALL,
                    "one outfall's effluent charts, series, CSV and monthly reports"),
            new Rule(Pattern.compile("^(/api/v1)?/compliance/dashboard(\\.csv)?$"), Access.SCOPED_LIST, false,
                    "the compliance dashboard of the jurisdiction (the test's outfall has no findings)"),
            Rule.of("^/compliance/packs(/.*)?$", Access.SIGNED_IN, "standard packs (national reference data and local "
                    + "standards); adding a version is for admins of the province (403 otherwise: LocalPacksIntegrationTest)")
    );

    // ------------------------------------------------------------------

    /** Issue 5: the working-day calendar, approval cases and registrations. */
    static final List<Rule> APPROVAL_RULES = List.of(
            Rule.of("^/api/v1/calendar/(working-days/add|days/" + VAR + "|years)$", Access.PUBLIC,
                    "the working-day calendar, public for integrators (rate-limited)"),
            Rule.of("^/api/v1/calendar/notices$", Access.ADMIN, "loading a year's holiday notice"),
            Rule.of("^/api/v1/approval-documents/verify/" + VAR + "$|^/approvals/verify(/" + VAR + ")?$", Access.PUBLIC,
                    "checking an approval document's verification code (rate-limited)"),
            Rule.of("^/api/v1/approval-refusal-reasons$|^/approvals/new$", Access.SIGNED_IN,
                    "the application form and the refusal catalogue"),
            new Rule(Pattern.compile("^/api/v1/approval-statistics$|^/approvals/statistics$"), Access.SCOPED_LIST, false,
                    "approval statistics of the caller's bureau or jurisdiction (counts only)"),
            Rule.of("^/api/v1/approval-cases/" + VAR + "(/.*)?$|^/approvals/" + VAR + "(/.*)?$", Access.SCOPED_RECORD,
                    "one approval or registration case, its files and actions"),
            new Rule(Pattern.compile("^/api/v1/approval-cases$|^/approvals$"), Access.SCOPED_LIST, false,
                    "approval cases of the jurisdiction (the matrix's outfall has none); applying")
    );

    // ------------------------------------------------------------------

    /** Issue 6: public outfall pages, signboards, open data, public requests and Open311. */
    static final List<Rule> PUBLIC_RULES = List.of(
            Rule.of("^/o/" + VAR + "(/.*)?$|^/api/v1/open/.*$", Access.PUBLIC,
                    "an outfall's public page, QR code and signboard; open data (public fields only, rate-limited)"),
            // Open311 clients post with an api_key and no cookie: exempt from CSRF, refused with 403 without the key.
            Rule.of("^/open311/v2/requests(/" + VAR + "/feedback)?\\.\\{format\\}$", Access.PUBLIC_WITH_KEY,
                    "Open311 requests: reading is public, POST (and the requester's feedback) needs an api_key"),
            Rule.of("^/report(/.*)?$|^/r/" + VAR + "(/.*)?$|^/open311/v2/.*$", Access.PUBLIC,
                    "citizens' reports and follow-up links (CSRF-protected forms); Open311 reads"),
            Rule.of("^/signboards$", Access.SIGNED_IN, "the batch signboard form"),
            new Rule(Pattern.compile("^/signboards\\.pdf$"), Access.SCOPED_LIST, false,
                    "batch signboards of a region in the jurisdiction (a PDF: its text is not searchable here; RequestsIntegrationTest checks 无锡 gets none)"),
            new Rule(Pattern.compile("^(/api/v1)?/requests(/metrics)?$"), Access.SCOPED_LIST, false,
                    "public requests and their metrics in the jurisdiction (the test's outfall has none)"),
            Rule.of("^(/api/v1)?/requests/" + VAR + "(/.*)?$", Access.SCOPED_RECORD, "one public request"),
            Rule.of("^/api/v1/request-services$", Access.SIGNED_IN,
                    "the service catalogue (adding a category is for administrators: ServiceCatalogue.create answers 403)"),
            Rule.of("^/api/v1/request-services/" + VAR + "$|^/api/v1/open311/clients$", Access.ADMIN,
                    "changing the service catalogue; Open311 API keys"));

    // ------------------------------------------------------------------

    /** Issue 7: campaigns, inspections, remediation and the responsible party's duties. */
    static final List<Rule> SUPERVISION_RULES = List.of(
            Rule.of("^(/api/v1)?/supervision/outfalls/" + VAR + "(/.*)?$", Access.SCOPED_OUTFALL,
                    "an outfall's supervision history, patrols and 规范化建设 checklist"),
            Rule.of("^/api/v1/(campaigns|campaign-points|sampling-tasks|remediation-plans|inspection-plans|inspections|"
                    + "rectification-orders)/" + VAR + "(/.*)?$|^/api/v1/supervision/(files|patrols)/" + VAR + "(/.*)?$", Access.SCOPED_RECORD,
                    "one campaign, survey point, sampling task, remediation plan, inspection plan, inspection or order, or a file of one"),
            Rule.of("^/supervision/(campaigns|points|inspections|orders|plans)/" + VAR + "(/.*)?$", Access.SCOPED_RECORD,
                    "the page of one campaign, survey point, inspection, rectification order or remediation plan"),
            new Rule(Pattern.compile("^/api/v1/(campaigns|remediation-plans|inspection-plans|inspections|rectification-orders)$"
                    + "|^/supervision(/(tasks|duties|campaigns|inspections|inspection-plans))?$|^/api/v1/supervision/progress(\\.xlsx)?$"),
                    Access.SCOPED_LIST, false,
                    "supervision lists and dashboards of the jurisdiction (the test's outfall has no supervision records)"),
            // The platform's notice inbox, added for issue 7's reminders (org.gongzhi.platform.Notices).
            Rule.of("^/notices/(unread-count|read-all|email)$", Access.SIGNED_IN,
                    "the caller's unread count, marking the caller's own notices read, the caller's own e-mail address"),
            Rule.of("^(/api/v1)?/notices/" + VAR + "/read$", Access.SCOPED_RECORD,
                    "marking one notice of the caller's organization read (404 for anyone else's)"),
            new Rule(Pattern.compile("^(/api/v1)?/notices$"), Access.SCOPED_LIST, false,
                    "the notice inbox of the caller's organization (the test's outfall has no reminders)"));

    static {
        RULES = java.util.stream.Stream.of(PLATFORM_LEDGER_MONITORING_RULES, COMPLIANCE_RULES, APPROVAL_RULES,
                PUBLIC_RULES, SUPERVISION_RULES).flatMap(List::stream).toList();
    }

    /** One method on one path pattern, with the handler that serves it. */
    record Endpoint(HttpMethod method, String pattern, String handler, boolean multipart, Rule rule) {
        Access access() {
            return rule == null ? null : rule.access();
        }

        boolean api() {
            return pattern.startsWith("/api/");
        }

        boolean safe() {
            return method == HttpMethod.GET;
        }

        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    // ------------------------------------------------------------------ fixtures

    @Autowired MockMvc mvc;
    @Autowired ApplicationContext context;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;

    List<Endpoint> endpoints;

    String tag;
    Organization suzhouParty;
    /** 苏州 users by role; the national admin as an extra signed-in user. */
    Map<String, CurrentUser> suzhou = new LinkedHashMap<>();
    Map<String, CurrentUser> wuxi = new LinkedHashMap<>();
    CurrentUser nationalAdmin;
    long outfallId;
    String outfallName;
    String outfallCode;
    String outfallBody;
    Long importId;
    /** A data logger of the outfall, when monitoring exists (its MN is an id the caller types, like an outfall id). */
    String deviceMn;
    boolean deviceRegistered;
    /** A photo of the outfall, when outfalls take files; its name is one of the secrets. */
    Long fileId;
    String fileName;
    /** What 无锡 must never see. */
    List<String> secrets = new ArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        endpoints = discover();
        tag = Long.toString(System.nanoTime(), 36) + ThreadLocalRandom.current().nextInt(1000, 9999);

        Organization szBureau = accounts.regulator(Organization.Level.CITY, "320500");
        suzhouParty = accounts.party("320506", "矩阵苏州" + tag + "化工有限公司", uscc("9132050" + tag));
        suzhou.put("ADMIN", accounts.user(Role.ADMIN, szBureau, "sz-admin-" + tag));
        suzhou.put("REGULATOR", accounts.user(Role.REGULATOR, szBureau, "sz-regulator-" + tag));
        suzhou.put("INSPECTOR", accounts.user(Role.INSPECTOR, szBureau, "sz-inspector-" + tag));
        suzhou.put("PARTY", accounts.user(Role.PARTY, suzhouParty, "sz-party-" + tag));

        Organization wxBureau = accounts.regulator(Organization.Level.CITY, "320200");
        Organization wxParty = accounts.party("320205");
        wuxi.put("ADMIN", accounts.user(Role.ADMIN, wxBureau, "wx-admin-" + tag));
        wuxi.put("REGULATOR", accounts.user(Role.REGULATOR, wxBureau, "wx-regulator-" + tag));
        wuxi.put("INSPECTOR", accounts.user(Role.INSPECTOR, wxBureau, "wx-inspector-" + tag));
        wuxi.put("PARTY", accounts.user(Role.PARTY, wxParty, "wx-party-" + tag));
        nationalAdmin = accounts.existing("admin");

        outfallName = "苏州市吴中区矩阵" + tag + "号排污口";
        outfallBody = """
                {"outfall": {"name": "%s", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320506",
                 "longitude": 120.61, "latitude": 31.27, "parties": [{"organizationId": %d, "lead": true}]},
                 "reason": "矩阵测试"}""".formatted(outfallName, suzhouParty.id());
        MockHttpServletResponse created = mvc.perform(post("/api/v1/outfalls").with(as(suzhou.get("REGULATOR"))).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(outfallBody)).andReturn().getResponse();
        assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);
        JsonNode outfall = json.readTree(created.getContentAsString());
        outfallId = outfall.get("id").asLong();
        outfallCode = outfall.get("nationalCode").asString();
        // A 无锡 outfall too, so that 无锡's lists are not trivially empty.
        mvc.perform(post("/api/v1/outfalls").with(as(wuxi.get("REGULATOR"))).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content(outfallBody.replace(outfallName, "无锡市锡山区矩阵" + tag.toUpperCase() + "排口").replace("320506", "320205")
                        .replace("\"organizationId\": " + suzhouParty.id(), "\"organizationId\": " + wxParty.id())));

        importId = uploadAnImport();
        fileId = uploadAPhoto();
        deviceRegistered = registerADataLogger();

        secrets.addAll(List.of(outfallName, outfallCode, suzhouParty.name(), suzhouParty.uscc(), fileName));
        suzhou.values().forEach(u -> secrets.add(u.username()));
    }

    private static String uscc(String seed) {
        String alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        StringBuilder sb = new StringBuilder();
        for (char c : seed.toUpperCase().toCharArray()) {
            if (alphabet.indexOf(c) >= 0 && sb.length() < 17) {
                sb.append(c);
            }
        }
        while (sb.length() < 17) {
            sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return sb.append(UnifiedSocialCreditCode.checkCharacter(sb.toString())).toString();
    }

    /**
     * An import batch uploaded by the 苏州 regulator, when the import endpoints exist: the CSV export of the outfall
     * uploaded back. Null when there is no import yet (then a made-up id stands in).
     */
    private Long uploadAnImport() throws Exception {
        boolean hasImport = endpoints.stream().anyMatch(e -> e.method() == HttpMethod.POST && e.pattern().equals("/api/v1/outfalls/imports"));
        boolean hasCsv = endpoints.stream().anyMatch(e -> e.pattern().equals("/api/v1/outfalls/export.csv"));
        if (!hasImport || !hasCsv) {
            return null;
        }
        byte[] csv = mvc.perform(get("/api/v1/outfalls/export.csv").param("region", "320506")
                .param("party", String.valueOf(suzhouParty.id())).with(as(suzhou.get("REGULATOR"))))
                .andReturn().getResponse().getContentAsByteArray();
        MockHttpServletResponse r = mvc.perform(multipart("/api/v1/outfalls/imports")
                .file(new MockMultipartFile("file", "ledger.csv", "text/csv", csv))
                .with(as(suzhou.get("REGULATOR"))).with(csrf())).andReturn().getResponse();
        if (r.getStatus() / 100 != 2) {
            return null;
        }
        JsonNode id = json.readTree(r.getContentAsString()).get("id");
        return id == null ? null : id.asLong();
    }

    /** A photo attached to the outfall by the 苏州 regulator, when the endpoint for it exists; else null. */
    private Long uploadAPhoto() throws Exception {
        fileName = "矩阵" + tag + "现场照片.png";
        if (endpoints.stream().noneMatch(e -> e.method() == HttpMethod.POST && e.pattern().equals("/api/v1/outfalls/{id}/files"))) {
            return null;
        }
        MockHttpServletResponse r = mvc.perform(multipart("/api/v1/outfalls/" + outfallId + "/files")
                .file(new MockMultipartFile("file", fileName, "image/png", PNG))
                .with(as(suzhou.get("REGULATOR"))).with(csrf())).andReturn().getResponse();
        assertThat(r.getStatus()).as("photo upload: " + r.getContentAsString()).isEqualTo(201);
        return json.readTree(r.getContentAsString()).get("id").asLong();
    }

    /** A data logger (数采仪) for the outfall, registered by the 苏州 regulator, when the endpoint for it exists. */
    private boolean registerADataLogger() throws Exception {
        deviceMn = "MATRIX" + tag.toUpperCase();
        if (endpoints.stream().noneMatch(e -> e.method() == HttpMethod.POST && e.pattern().equals("/api/v1/data-loggers"))) {
            return false;
        }
        MockHttpServletResponse r = mvc.perform(post("/api/v1/data-loggers").with(as(suzhou.get("REGULATOR"))).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"mn": "%s", "password": "123456", "outfallId": %d, "factors": ["w01018"], "intervalSeconds": 600}"""
                        .formatted(deviceMn, outfallId))).andReturn().getResponse();
        assertThat(r.getStatus()).as("data logger registration: " + r.getContentAsString()).isEqualTo(201);
        return true;
    }

    // ------------------------------------------------------------------ discovery

    private List<Endpoint> discover() {
        Set<String> seen = new TreeSet<>();
        List<Endpoint> found = new ArrayList<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
                RequestMappingInfo info = e.getKey();
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                // An unrestricted mapping (like /error) answers every method; checking GET and POST covers reads and writes.
                List<HttpMethod> httpMethods = methods.isEmpty() ? List.of(HttpMethod.GET, HttpMethod.POST)
                        : methods.stream().map(m -> HttpMethod.valueOf(m.name())).toList();
                String handler = e.getValue().getBeanType().getSimpleName() + "#" + e.getValue().getMethod().getName();
                boolean multipart = java.util.Arrays.stream(e.getValue().getMethodParameters())
                        .anyMatch(p -> MultipartFile.class.isAssignableFrom(p.getParameterType())
                                || p.getGenericParameterType().getTypeName().contains(MultipartFile.class.getName()));
                for (String pattern : info.getPatternValues()) {
                    for (HttpMethod method : httpMethods) {
                        if (method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
                            continue;
                        }
                        if (seen.add(method + " " + pattern)) {
                            found.add(new Endpoint(method, pattern, handler, multipart, classify(pattern)));
                        }
                    }
                }
            }
        }
        // Functional routes (the public outfall page is one, for speed): "(GET && /o/{code})" names method and path.
        for (org.springframework.web.servlet.function.RouterFunction<?> routes
                : context.getBeansOfType(org.springframework.web.servlet.function.RouterFunction.class).values()) {
            routes.accept(new org.springframework.web.servlet.function.RouterFunctions.Visitor() {
                @Override
                public void route(org.springframework.web.servlet.function.RequestPredicate predicate,
                                  org.springframework.web.servlet.function.HandlerFunction<?> handler) {
                    String text = predicate.toString();
                    java.util.regex.Matcher path = java.util.regex.Pattern.compile("(/[^\\s)]+)\\)*$").matcher(text);
                    assertThat(path.find()).as("route predicate " + text).isTrue();
                    java.util.regex.Matcher methods = java.util.regex.Pattern.compile("\\b(GET|POST|PUT|PATCH|DELETE)\\b").matcher(text);
                    while (methods.find()) {
                        if (seen.add(methods.group(1) + " " + path.group(1))) {
                            found.add(new Endpoint(HttpMethod.valueOf(methods.group(1)), path.group(1), "route " + text, false,
                                    classify(path.group(1))));
                        }
                    }
                }

                @Override public void startNested(org.springframework.web.servlet.function.RequestPredicate predicate) { }
                @Override public void endNested(org.springframework.web.servlet.function.RequestPredicate predicate) { }
                @Override public void resources(java.util.function.Function<org.springframework.web.servlet.function.ServerRequest,
                        java.util.Optional<org.springframework.core.io.Resource>> lookup) { }
                @Override public void attributes(Map<String, Object> attributes) { }
                @Override public void unknown(org.springframework.web.servlet.function.RouterFunction<?> routerFunction) { }
            });
        }
        found.sort(Comparator.comparing(Endpoint::pattern).thenComparing(e -> e.method().name()));
        return found;
    }

    static Rule classify(String pattern) {
        return RULES.stream().filter(r -> r.pattern().matcher(pattern).matches()).findFirst().orElse(null);
    }

    private List<Endpoint> endpoints(Access... access) {
        Set<Access> wanted = Set.of(access);
        return endpoints.stream().filter(e -> e.access() != null && wanted.contains(e.access())).toList();
    }

    // ------------------------------------------------------------------ requests

    private RequestPostProcessor as(CurrentUser user) {
        return accounts.as(user);
    }

    private static final Pattern PATH_VAR = Pattern.compile("\\{\\*?([^}:]+)(?::[^/]*?)?\\}|\\*\\*|\\*");

    /** The pattern with realistic values for its variables, as seen by a user of the given jurisdiction. */
    private String path(Endpoint e, CurrentUser viewer) {
        Matcher m = PATH_VAR.matcher(e.pattern());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            m.appendReplacement(sb, Matcher.quoteReplacement(value(e, name, viewer)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private String value(Endpoint e, String name, CurrentUser viewer) {
        if (name == null) {
            return "x"; // a ** or * wildcard
        }
        return switch (e.access()) {
            case SCOPED_OUTFALL -> name.toLowerCase().contains("file") ? String.valueOf(fileId == null ? Integer.MAX_VALUE : fileId)
                    : String.valueOf(outfallId);
            case SCOPED_IMPORT -> String.valueOf(importId == null ? Integer.MAX_VALUE : importId);
            case SCOPED_DEVICE -> deviceMn;
            case SCOPED_RECORD -> String.valueOf(Integer.MAX_VALUE);
            default -> {
                if (e.pattern().contains("/users/")) {
                    yield String.valueOf(suzhou.get("REGULATOR").id());
                } else if (e.pattern().contains("/organizations/")) {
                    yield String.valueOf(suzhouParty.id());
                } else if (e.pattern().contains("/outfalls/")) {
                    yield String.valueOf(outfallId);
                } else if (name.toLowerCase().contains("code") || e.pattern().contains("/regions/")) {
                    yield "320506";
                } else if (name.toLowerCase().contains("format")) {
                    yield "csv";
                }
                yield "1";
            }
        };
    }

    /** Whether every variable of the pattern gets a value that exists (the outfall, or its photo when there is one). */
    private boolean variablesAreReal(Endpoint e) {
        Matcher m = PATH_VAR.matcher(e.pattern());
        while (m.find()) {
            String name = m.group(1) == null ? "" : m.group(1).toLowerCase();
            boolean real = name.equals("id") || name.equals("outfallid") || (name.contains("file") && fileId != null)
                    || (e.access() == Access.SCOPED_DEVICE && name.equals("mn") && deviceRegistered);
            if (!real) {
                return false;
            }
        }
        return true;
    }

    private AbstractMockHttpServletRequestBuilder<?> build(Endpoint e, String path) {
        AbstractMockHttpServletRequestBuilder<?> b = e.multipart() && !e.safe()
                ? multipart(e.method(), path).file(new MockMultipartFile("file", "矩阵.png", "image/png", PNG))
                : request(e.method(), path);
        if (e.safe()) {
            REALISTIC_PARAMS.forEach(b::param);
        }
        // As a browser asks for a page (so that sign-in redirects), while still taking JSON from the page's data URLs.
        return e.api() ? b.accept(MediaType.APPLICATION_JSON, MediaType.ALL) : b.accept(MediaType.TEXT_HTML, MediaType.ALL);
    }

    /** The response; an exception that escapes the dispatcher is what a client sees as a 500, so it becomes one. */
    private MockHttpServletResponse perform(AbstractMockHttpServletRequestBuilder<?> b) throws Exception {
        try {
            return mvc.perform(b).andReturn().getResponse();
        } catch (Exception ex) {
            MockHttpServletResponse r = new MockHttpServletResponse();
            r.setStatus(500);
            Throwable cause = ex.getCause() == null ? ex : ex.getCause();
            r.getWriter().write("(exception) " + cause);
            return r;
        }
    }

    /** The response as text: for XLSX and other zip containers, the text of every entry. */
    private static String text(MockHttpServletResponse r) throws IOException {
        byte[] bytes = r.getContentAsByteArray();
        if (bytes.length > 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4) {
            // Read through the central directory: streamed XLSX entries carry their sizes only after the data.
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile("matrix", ".zip");
            try {
                java.nio.file.Files.write(tmp, bytes);
                StringBuilder sb = new StringBuilder();
                try (ZipFile zip = new ZipFile(tmp.toFile())) {
                    for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                        sb.append(new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8)).append('\n');
                    }
                }
                return sb.toString();
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean redirectsToLogin(MockHttpServletResponse r) {
        String location = r.getRedirectedUrl();
        return r.getStatus() / 100 == 3 && location != null && location.replaceAll("\\?.*$", "").endsWith("/login");
    }

    private static String describe(MockHttpServletResponse r) {
        return r.getStatus() + (r.getRedirectedUrl() == null ? "" : " → " + r.getRedirectedUrl());
    }

    private static void assertNoFailures(String what, List<String> failures) {
        assertThat(failures).as(what + ":\n  " + String.join("\n  ", failures)).isEmpty();
    }

    // ------------------------------------------------------------------ the matrix

    @Test
    void everyEndpointIsClassified() {
        // The matrix as discovered, for whoever reads the test output.
        StringBuilder table = new StringBuilder("Endpoint security matrix: " + endpoints.size() + " endpoints\n");
        endpoints.forEach(e -> table.append("  %-7s %-55s %-15s %s%n".formatted(e.method(), e.pattern(),
                e.access() == null ? "UNCLASSIFIED" : e.access(), e.handler())));
        System.out.print(table);
        List<String> unclassified = endpoints.stream().filter(e -> e.rule() == null)
                .map(e -> e + "  (" + e.handler() + ")").toList();
        assertThat(unclassified)
                .as("""
                        These endpoints match no rule in EndpointSecurityMatrixTest.RULES. Decide how each is protected \
                        (public, admin only, any signed-in user, or jurisdiction-scoped) and add or widen a rule by path \
                        shape:
                          %s""".formatted(String.join("\n  ", unclassified)))
                .isEmpty();
        // The discovery itself works: the ledger's own endpoints are among those found.
        assertThat(endpoints).extracting(Endpoint::toString)
                .contains("GET /api/v1/outfalls/{id}", "GET /outfalls/{id}", "GET /api/v1/outfalls", "POST /admin/users",
                        "GET /o/{code}");
    }

    @Test
    void anonymousCallersAreSentToSignInExceptOnThePublicEndpoints() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Endpoint e : endpoints) {
            if (e.rule() == null) {
                continue;
            }
            AbstractMockHttpServletRequestBuilder<?> b = build(e, path(e, null));
            if (!e.safe()) {
                b = b.with(csrf()); // so that what is tested is the sign-in, not the CSRF token
            }
            MockHttpServletResponse r = perform(b);
            if (e.access() == Access.PUBLIC || (e.access() == Access.PUBLIC_WITH_KEY && e.safe())) {
                if (r.getStatus() == 401 || r.getStatus() == 403 || redirectsToLogin(r)) {
                    failures.add(e + " is public but refused an anonymous caller: " + describe(r));
                }
            } else if (e.access() == Access.PUBLIC_WITH_KEY) {
                if (r.getStatus() != 403) {
                    failures.add(e + " needs its own key: expected 403 without it, got " + describe(r));
                }
            } else if (e.api()) {
                if (r.getStatus() != 401) {
                    failures.add(e + " expected 401, got " + describe(r));
                }
            } else if (!redirectsToLogin(r)) {
                failures.add(e + " expected a redirect to /login, got " + describe(r));
            }
        }
        assertNoFailures("anonymous access", failures);
    }

    @Test
    void everyRoleReadsEveryEndpointWithoutServerErrorsAndOnlyAdminsReachAdminEndpoints() throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, CurrentUser> users = new LinkedHashMap<>(suzhou);
        users.put("national ADMIN", nationalAdmin);
        for (Endpoint e : endpoints) {
            if (e.rule() == null || (e.access() == Access.PUBLIC && e.pattern().equals("/error"))) {
                continue;
            }
            for (Map.Entry<String, CurrentUser> u : users.entrySet()) {
                CurrentUser user = u.getValue();
                boolean admin = user.role() == Role.ADMIN;
                if (e.safe()) {
                    MockHttpServletResponse r = perform(build(e, path(e, user)).with(as(user)));
                    if (r.getStatus() >= 500) {
                        failures.add(e + " as " + u.getKey() + ": server error " + describe(r) + " "
                                + abbreviate(r.getContentAsString()));
                    } else if (e.access() == Access.ADMIN && !admin && r.getStatus() != 403) {
                        failures.add(e + " as " + u.getKey() + ": admin only, expected 403, got " + describe(r));
                    } else if ((e.access() == Access.SCOPED_OUTFALL || e.access() == Access.SCOPED_DEVICE)
                            && r.getStatus() == 404 && variablesAreReal(e)) {
                        failures.add(e + " as " + u.getKey() + ": the outfall is in their jurisdiction, got 404");
                    } else if (r.getStatus() == 401 || redirectsToLogin(r)) {
                        failures.add(e + " as " + u.getKey() + ": signed in but refused as anonymous: " + describe(r));
                    }
                } else if (e.access() == Access.ADMIN && !admin) {
                    MockHttpServletResponse r = perform(build(e, path(e, user)).with(as(user)).with(csrf()));
                    if (r.getStatus() != 403) {
                        failures.add(e + " as " + u.getKey() + ": admin only, expected 403, got " + describe(r));
                    }
                }
            }
        }
        assertNoFailures("role matrix", failures);
    }

    @Test
    void aForeignJurisdictionGets404ForTheOutfallAndCannotChangeIt() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Endpoint e : endpoints(Access.SCOPED_OUTFALL, Access.SCOPED_DEVICE, Access.SCOPED_IMPORT, Access.SCOPED_RECORD)) {
            boolean strict = e.safe() && e.access() != Access.SCOPED_IMPORT;
            for (Map.Entry<String, CurrentUser> u : wuxi.entrySet()) {
                AbstractMockHttpServletRequestBuilder<?> b = build(e, path(e, u.getValue())).with(as(u.getValue()));
                if (!e.safe()) {
                    b = b.with(csrf());
                    // A well-formed change, so that what refuses it is the jurisdiction, not a malformed body.
                    b = e.multipart() ? b.param("kind", "PHOTO") : e.api() ? b.contentType(MediaType.APPLICATION_JSON)
                            .content(outfallBody.replace("\"reason\"", "\"version\": 1, \"reason\"").replace(outfallName, "被篡改"))
                            : b.param("name", "被篡改").param("typeCode", "IND_ENT").param("regionCode", "320506")
                                    .param("lifecycle", "VERIFIED").param("version", "1").param("reason", "越权");
                }
                MockHttpServletResponse r = perform(b);
                // Reads must be 404, exactly as for an id that does not exist. Writes must be refused: any 4xx, or a
                // page shown again with its errors; never done (2xx from the API, a redirect from a page) nor a 500.
                int status = r.getStatus();
                boolean refused = strict ? status == 404
                        : status / 100 == 4 || (!e.api() && status == 200 && !e.safe());
                if (!refused) {
                    failures.add(e + " as 无锡 " + u.getKey() + ": expected " + (strict ? "404" : "a refusal") + ", got "
                            + describe(r) + " " + abbreviate(r.getContentAsString()));
                }
                leaks(e, "无锡 " + u.getKey(), r, failures);
            }
        }
        if (!deviceRegistered && !endpoints(Access.SCOPED_DEVICE).isEmpty()) {
            failures.add("data logger endpoints exist but none could be registered for the test");
        }
        if (importId == null && !endpoints(Access.SCOPED_IMPORT).isEmpty()) {
            failures.add("import endpoints exist but no import could be uploaded for the test; the foreign checks of "
                    + endpoints(Access.SCOPED_IMPORT) + " ran against a made-up id only");
        }
        // and nothing changed
        JsonNode now = json.readTree(perform(get("/api/v1/outfalls/" + outfallId).with(as(suzhou.get("REGULATOR"))))
                .getContentAsString());
        if (now.get("version").asInt() != 1 || !now.get("name").asString().equals(outfallName)) {
            failures.add("the outfall was changed by a foreign jurisdiction: " + now);
        }
        assertNoFailures("foreign jurisdiction, one outfall", failures);
    }

    @Test
    void aForeignJurisdictionNeverSeesTheOutfallInAnyListPageOrExport() throws Exception {
        List<String> failures = new ArrayList<>();
        List<Map<String, String>> filters = List.of(Map.of(), Map.of("region", "320506"),
                Map.of("region", "320506", "party", String.valueOf(suzhouParty.id()), "size", "500"),
                Map.of("q", "矩阵" + tag), Map.of("kind", "PARTY"));
        // Ids of 苏州's things passed as parameters must not pull 苏州's data into a 无锡 response either.
        Map<String, String> foreignIds = Map.of("partyId", String.valueOf(suzhouParty.id()), "organizationId",
                String.valueOf(suzhouParty.id()), "outfallId", String.valueOf(outfallId));
        for (Endpoint e : endpoints) {
            if (!e.safe() || e.rule() == null || e.access() == Access.PUBLIC || e.access() == Access.PUBLIC_WITH_KEY) {
                continue;
            }
            List<Map<String, String>> variants = new ArrayList<>(e.access() == Access.SCOPED_LIST ? filters : List.of(Map.of()));
            variants.add(foreignIds);
            for (Map.Entry<String, CurrentUser> u : wuxi.entrySet()) {
                for (Map<String, String> params : variants) {
                    AbstractMockHttpServletRequestBuilder<?> b = build(e, path(e, u.getValue())).with(as(u.getValue()));
                    params.forEach(b::param);
                    leaks(e, "无锡 " + u.getKey() + " " + params, perform(b), failures);
                }
            }
            // The check is only worth something if the same request shows the outfall to 苏州.
            if (e.access() == Access.SCOPED_LIST && e.rule().showsData()) {
                AbstractMockHttpServletRequestBuilder<?> b = build(e, path(e, suzhou.get("REGULATOR"))).with(as(suzhou.get("REGULATOR")))
                        .param("region", "320506").param("party", String.valueOf(suzhouParty.id())).param("kind", "PARTY");
                String body = text(perform(b));
                if (secrets.stream().noneMatch(body::contains)) {
                    failures.add(e + " as 苏州 REGULATOR does not show the outfall either, so its foreign check proves nothing: "
                            + abbreviate(body));
                }
            }
        }
        assertNoFailures("foreign jurisdiction, lists and pages", failures);
    }

    private void leaks(Endpoint e, String who, MockHttpServletResponse r, List<String> failures) throws IOException {
        String body = text(r);
        for (String secret : secrets) {
            if (body.contains(secret)) {
                failures.add(e + " as " + who + " (" + r.getStatus() + ") shows 苏州's \"" + secret + "\"");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    // ------------------------------------------------------------------ CSRF

    @Test
    void everyStateChangingEndpointRefusesACookieSessionWithoutCsrfToken() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Endpoint e : endpoints) {
            if (e.safe() || e.rule() == null || e.pattern().equals("/error")) {
                continue;
            }
            for (CurrentUser user : List.of(suzhou.get("ADMIN"), suzhou.get("REGULATOR"))) {
                MockHttpServletResponse r = perform(build(e, path(e, user)).with(as(user)));
                if (r.getStatus() != 403) {
                    failures.add(e + " as " + user.role() + " without a CSRF token: expected 403, got " + describe(r));
                }
            }
        }
        assertNoFailures("CSRF", failures);
    }

    @Test
    void aRealSignInSessionNeedsTheCsrfTokenWhileABearerTokenDoesNot() throws Exception {
        CurrentUser regulator = suzhou.get("REGULATOR");
        MockHttpSession session = (MockHttpSession) mvc.perform(formLogin("/login").user(regulator.username())
                .password(accounts.password(regulator))).andReturn().getRequest().getSession(false);
        assertThat(session).isNotNull();
        String body = outfallBody.replace(outfallName, "苏州市吴中区矩阵" + tag + "号二排污口");

        assertThat(perform(post("/api/v1/outfalls").session(session).contentType(MediaType.APPLICATION_JSON).content(body))
                .getStatus()).as("cookie session without CSRF token").isEqualTo(403);
        assertThat(perform(post("/api/v1/tokens").session(session)).getStatus()).isEqualTo(403);
        assertThat(perform(get("/api/v1/me").session(session)).getStatus()).as("the session itself works").isEqualTo(200);
        assertThat(perform(post("/api/v1/outfalls").session(session).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content(body)).getStatus()).as("cookie session with CSRF token").isEqualTo(201);

        String token = accounts.token(regulator);
        assertThat(perform(post("/api/v1/outfalls").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).content(body.replace("二排污口", "三排污口"))).getStatus())
                .as("bearer token without CSRF token").isEqualTo(201);
        assertThat(perform(post("/api/v1/outfalls").header("Authorization", "Bearer gz_not-a-token")
                .contentType(MediaType.APPLICATION_JSON).content(body)).getStatus())
                .as("a bad bearer token is refused, not ignored").isEqualTo(401);
    }
}
