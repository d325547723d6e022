package org.gongzhi.demo;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.gongzhi.ledger.DischargeMode;
import org.gongzhi.ledger.DischargePattern;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.Lifecycle;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.ledger.OutfallDraft;
import org.gongzhi.ledger.OutfallType;
import org.gongzhi.ledger.OutfallTypes;
import org.gongzhi.platform.Basin;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.UnifiedSocialCreditCode;
import org.gongzhi.platform.UserAccounts;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Generates the demo city once (it checks for its own regulator first), deterministically from a fixed seed, so
 * every demo shows the same ledger. Everything goes through the modules' public APIs, with validation and audit,
 * as if a regulator had typed it in.
 */
@Component
@Order(10)
@ConditionalOnProperty(name = "gongzhi.demo.enabled", havingValue = "true")
class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    static final String CITY_BUREAU = "苏州市生态环境局";

    private record County(String code, String name, double lon, double lat, String[] places) {
    }

    private static final List<County> SUZHOU = List.of(
            new County("320505", "虎丘区", 120.50, 31.36, new String[] {"浒墅关", "通安", "东渚", "枫桥"}),
            new County("320506", "吴中区", 120.55, 31.22, new String[] {"木渎", "胥口", "东山", "光福", "甪直", "临湖"}),
            new County("320507", "相城区", 120.64, 31.42, new String[] {"渭塘", "黄埭", "望亭", "阳澄湖", "北桥"}),
            new County("320508", "姑苏区", 120.61, 31.31, new String[] {"平江", "金阊", "沧浪", "虎丘"}),
            new County("320509", "吴江区", 120.64, 31.05, new String[] {"松陵", "同里", "平望", "盛泽", "震泽", "黎里"}),
            new County("320576", "苏州工业园区", 120.74, 31.32, new String[] {"娄葑", "斜塘", "唯亭", "胜浦"}),
            new County("320581", "常熟市", 120.75, 31.65, new String[] {"虞山", "梅李", "海虞", "古里", "沙家浜", "支塘"}),
            new County("320582", "张家港市", 120.55, 31.87, new String[] {"杨舍", "塘桥", "金港", "锦丰", "乐余", "凤凰"}),
            new County("320583", "昆山市", 120.98, 31.38, new String[] {"玉山", "巴城", "周市", "陆家", "花桥", "千灯", "周庄"}),
            new County("320585", "太仓市", 121.13, 31.46, new String[] {"城厢", "沙溪", "浏河", "浮桥", "璜泾"}));

    private static final List<County> WUXI = List.of(
            new County("320211", "滨湖区", 120.27, 31.50, new String[] {"马山", "胡埭", "雪浪"}),
            new County("320282", "宜兴市", 119.82, 31.36, new String[] {"丁蜀", "周铁", "和桥"}));

    /** How many outfalls of each type the city has: roughly the mix a survey of a Yangtze-delta city finds. */
    private static final Map<String, Integer> MIX = new LinkedHashMap<>();

    static {
        MIX.put("IND_ENT", 80);
        MIX.put("IND_ENT_STORM", 30);
        MIX.put("IND_MINE", 2);
        MIX.put("PARK_WWTP", 8);
        MIX.put("PARK_WWTP_STORM", 4);
        MIX.put("URBAN_WWTP", 20);
        MIX.put("AGR_LIVESTOCK", 10);
        MIX.put("AGR_AQUA", 18);
        MIX.put("OTH_IRRIGATION", 6);
        MIX.put("OTH_PORT", 8);
        MIX.put("OTH_SMALL_LIVESTOCK", 6);
        MIX.put("OTH_SMALL_AQUA", 10);
        MIX.put("OTH_URBAN_SCATTERED", 22);
        MIX.put("OTH_RURAL_WWTP", 18);
        MIX.put("OTH_RURAL_SCATTERED", 22);
        MIX.put("OTH_URBAN_STORM", 30);
        MIX.put("OTH_OTHER", 4);
    }

    private static final String[] INDUSTRIES = {"化工", "印染", "电镀", "造纸", "食品", "电子", "制药", "纺织", "金属制品",
            "精细化工", "新材料", "环保科技", "机械", "光电"};
    private static final String[] BRANDS = {"恒力", "盛虹", "永联", "华芳", "新民", "东方", "长江", "太湖", "金湖", "吴越", "姑苏",
            "阳澄", "虞山", "娄江", "沙洲", "振华", "中鼎", "瑞泰", "博远", "德隆", "嘉禾", "天和", "亨通", "宏达", "润丰", "鑫源"};

    private final Organizations organizations;
    private final UserAccounts users;
    private final WaterBodies waterBodies;
    private final Regions regions;
    private final Ledger ledger;
    private final OutfallTypes types;
    private final TransactionTemplate tx;
    private final String password;

    DemoData(Organizations organizations, UserAccounts users, WaterBodies waterBodies, Regions regions, Ledger ledger,
             OutfallTypes types, TransactionTemplate tx, @Value("${gongzhi.demo.password:gongzhi-demo}") String password) {
        this.organizations = organizations;
        this.users = users;
        this.waterBodies = waterBodies;
        this.regions = regions;
        this.ledger = ledger;
        this.types = types;
        this.tx = tx;
        this.password = password;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.findUser("suzhou").isPresent()) {
            log.info("Demo data already loaded");
            printLogins();
            return;
        }
        long start = System.nanoTime();
        Random random = new Random(2025_01_01L);
        CurrentUser system = CurrentUser.system();

        Organization cityBureau = regulator(CITY_BUREAU, Organization.Level.CITY, "320500", null);
        Organization wuzhongBureau = regulator("苏州市吴中生态环境局", Organization.Level.COUNTY, "320506", null);
        Organization wuxiBureau = regulator("无锡市生态环境局", Organization.Level.CITY, "320200", null);
        Organization taihuBureau = regulator("生态环境部太湖流域东海海域生态环境监督管理局", Organization.Level.BASIN_BUREAU, null, Basin.TAIHU);

        Map<String, WaterBody> water = new LinkedHashMap<>();
        for (Object[] w : new Object[][] {
                {"长江", WaterBody.Kind.RIVER, Basin.YANGTZE, "II", null},
                {"太湖", WaterBody.Kind.LAKE, Basin.TAIHU, "III", null},
                {"京杭大运河（苏州段）", WaterBody.Kind.CANAL, Basin.TAIHU, "IV", "320500"},
                {"吴淞江", WaterBody.Kind.RIVER, Basin.TAIHU, "IV", "320500"},
                {"阳澄湖", WaterBody.Kind.LAKE, Basin.TAIHU, "III", "320500"},
                {"望虞河", WaterBody.Kind.RIVER, Basin.TAIHU, "III", "320500"},
                {"太浦河", WaterBody.Kind.RIVER, Basin.TAIHU, "III", "320500"},
                {"娄江", WaterBody.Kind.RIVER, Basin.TAIHU, "IV", "320500"},
                {"元和塘", WaterBody.Kind.RIVER, Basin.TAIHU, "IV", "320500"},
                {"浏河", WaterBody.Kind.RIVER, Basin.TAIHU, "IV", "320500"},
                {"张家港河", WaterBody.Kind.RIVER, Basin.TAIHU, "IV", "320500"},
                {"常浒河", WaterBody.Kind.RIVER, Basin.TAIHU, "IV", "320500"},
                {"梁溪河", WaterBody.Kind.RIVER, Basin.TAIHU, "IV", "320200"}}) {
            WaterBody wb = waterBodies.findByName((String) w[0]).orElseGet(() -> tx.execute(s -> waterBodies.create(
                    (String) w[0], (WaterBody.Kind) w[1], (Basin) w[2], null, (String) w[3], (String) w[4], regions)));
            water.put(wb.name(), wb);
        }

        CurrentUser cityUser = users.createUser("suzhou", "王海（苏州市局）", Role.REGULATOR, cityBureau.id(), password, system);
        users.createUser("suzhou-admin", "李明（苏州市局管理员）", Role.ADMIN, cityBureau.id(), password, system);
        users.createUser("wuzhong", "陈静（吴中分局）", Role.REGULATOR, wuzhongBureau.id(), password, system);
        users.createUser("inspector", "赵强（执法检查）", Role.INSPECTOR, cityBureau.id(), password, system);
        CurrentUser wuxiUser = users.createUser("wuxi", "周涛（无锡市局）", Role.REGULATOR, wuxiBureau.id(), password, system);
        users.createUser("taihu", "吴芳（太湖局）", Role.REGULATOR, taihuBureau.id(), password, system);

        int created = generate(SUZHOU, MIX, 1.0, cityUser, water, random, true);
        Map<String, Integer> small = new LinkedHashMap<>();
        MIX.forEach((k, v) -> small.put(k, Math.max(v / 12, k.startsWith("IND_ENT") || k.equals("URBAN_WWTP") ? 2 : 0)));
        created += generate(WUXI, small, 0.0, wuxiUser, Map.of("太湖", water.get("太湖"), "梁溪河", water.get("梁溪河")),
                random, false);
        log.info("Demo data: {} outfalls in {} ms", created, (System.nanoTime() - start) / 1_000_000);
        printLogins();
    }

    private void printLogins() {
        System.out.println("""

                  Demo users 演示账号 (password 密码: %s)
                    suzhou        苏州市生态环境局 regulator 监管人员
                    suzhou-admin  苏州市生态环境局 administrator 管理员
                    wuzhong       吴中分局 (county 县级) regulator
                    inspector     苏州市 inspector 检查人员
                    party         an enterprise 责任主体
                    wuxi          无锡市 regulator (another city: sees none of Suzhou's outfalls)
                    taihu         太湖流域局 basin bureau 流域局
                """.formatted(password));
    }

    private Organization regulator(String name, Organization.Level level, String region, Basin basin) {
        return tx.execute(s -> organizations.create(new Organization(0, Organization.Kind.REGULATOR, name, level, region,
                basin, null, null, null), CurrentUser.system()));
    }

    private Organization party(String name, Organization.PartyType type, String region, Random random) {
        String uscc = null;
        if (type != Organization.PartyType.GOVERNMENT_BACKSTOP) {
            String alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
            StringBuilder sb = new StringBuilder("91").append(region);
            for (int i = 0; i < 9; i++) {
                sb.append(alphabet.charAt(random.nextInt(i == 8 ? 10 : alphabet.length())));
            }
            uscc = sb.append(UnifiedSocialCreditCode.checkCharacter(sb.toString())).toString();
        }
        String code = uscc;
        return organizations.findPartyByName(name).orElseGet(() -> tx.execute(s -> organizations.create(
                new Organization(0, Organization.Kind.PARTY, name, null, region, null, type, code,
                        "0512-6" + (1000000 + random.nextInt(8999999))), CurrentUser.system())));
    }

    private int generate(List<County> counties, Map<String, Integer> mix, double yangtzeShare, CurrentUser user,
                         Map<String, WaterBody> water, Random random, boolean withPartyUser) {
        List<WaterBody> waters = new ArrayList<>(water.values());
        Map<String, Integer> seqPerPlace = new LinkedHashMap<>();
        Map<String, Organization> backstops = new LinkedHashMap<>();
        int n = 0;
        Organization firstEnterprise = null;
        for (var entry : mix.entrySet()) {
            OutfallType type = types.find(entry.getKey()).orElseThrow();
            for (int i = 0; i < entry.getValue(); i++) {
                County county = counties.get(random.nextInt(counties.size()));
                String place = county.places()[random.nextInt(county.places().length)];
                List<OutfallDraft.PartyRef> parties = new ArrayList<>();
                String landmark;
                switch (type.level1()) {
                    case INDUSTRIAL, URBAN_WWTP -> {
                        Organization.PartyType pt = switch (type.code()) {
                            case "PARK_WWTP", "PARK_WWTP_STORM" -> Organization.PartyType.PARK_OPERATOR;
                            case "URBAN_WWTP" -> Organization.PartyType.WWTP_OPERATOR;
                            default -> Organization.PartyType.ENTERPRISE;
                        };
                        String name = switch (pt) {
                            case PARK_OPERATOR -> (counties == SUZHOU ? "苏州" : "无锡") + place + "工业园污水处理有限公司";
                            case WWTP_OPERATOR -> county.name() + place + "污水处理有限公司";
                            default -> (counties == SUZHOU ? "苏州" : "无锡") + BRANDS[random.nextInt(BRANDS.length)]
                                    + INDUSTRIES[random.nextInt(INDUSTRIES.length)] + "有限公司";
                        };
                        Organization p = party(name, pt, county.code(), random);
                        if (firstEnterprise == null && pt == Organization.PartyType.ENTERPRISE) {
                            firstEnterprise = p;
                        }
                        if (pt == Organization.PartyType.PARK_OPERATOR && random.nextBoolean()) {
                            // A shared park outfall: the operator leads, two tenants share the load (办法 Art 16).
                            Organization t1 = party((counties == SUZHOU ? "苏州" : "无锡") + BRANDS[random.nextInt(BRANDS.length)] + "印染有限公司",
                                    Organization.PartyType.ENTERPRISE, county.code(), random);
                            Organization t2 = party((counties == SUZHOU ? "苏州" : "无锡") + BRANDS[random.nextInt(BRANDS.length)] + "电镀有限公司",
                                    Organization.PartyType.ENTERPRISE, county.code(), random);
                            parties.add(new OutfallDraft.PartyRef(p.id(), true, 60.0));
                            if (t1.id() != p.id()) {
                                parties.add(new OutfallDraft.PartyRef(t1.id(), false, 25.0));
                            }
                            if (t2.id() != p.id() && t2.id() != t1.id()) {
                                parties.add(new OutfallDraft.PartyRef(t2.id(), false, 15.0));
                            }
                            if (parties.size() < 3) {
                                parties.clear();
                                parties.add(new OutfallDraft.PartyRef(p.id(), true, null));
                            }
                        } else {
                            parties.add(new OutfallDraft.PartyRef(p.id(), true, null));
                        }
                        landmark = switch (pt) {
                            case PARK_OPERATOR -> place + "工业园污水处理厂";
                            case WWTP_OPERATOR -> place + "污水处理厂";
                            default -> name.replace("有限公司", "").replace("苏州", "").replace("无锡", "");
                        };
                    }
                    default -> {
                        if (random.nextInt(3) > 0) {
                            Organization gov = backstops.computeIfAbsent(county.code(), c -> party(
                                    regions.fullName(c) + "人民政府", Organization.PartyType.GOVERNMENT_BACKSTOP, c, random));
                            parties.add(new OutfallDraft.PartyRef(gov.id(), true, null));
                        }
                        landmark = place + (random.nextBoolean() ? "村" : "");
                    }
                }
                int seq = seqPerPlace.merge(county.code() + landmark + type.code(), 1, Integer::sum);
                String name = cityOf(county.code()) + county.name() + landmark + seq + "#" + type.nameZh();
                WaterBody wb = random.nextDouble() < 0.15 * yangtzeShare && water.containsKey("长江") && (county.code().equals("320582")
                        || county.code().equals("320581") || county.code().equals("320585")) ? water.get("长江")
                        : waters.get(random.nextInt(waters.size()));
                double lon = round(county.lon() + (random.nextDouble() - 0.5) * 0.18);
                double lat = round(county.lat() + (random.nextDouble() - 0.5) * 0.14);
                Lifecycle target = lifecycle(type, random);
                boolean supervised = target == Lifecycle.UNDER_SUPERVISION;
                OutfallDraft draft = new OutfallDraft(null, "SZ-" + county.code().substring(4) + "-" + String.format("%04d", ++n),
                        name, type.code(), target == Lifecycle.SUSPECTED ? Lifecycle.SUSPECTED : Lifecycle.VERIFIED, county.code(), wb.id(), lon, lat,
                        DischargeMode.values()[random.nextInt(DischargeMode.values().length - 1)],
                        type.level1() == OutfallType.Level1.INDUSTRIAL || type.code().equals("URBAN_WWTP")
                                ? DischargePattern.CONTINUOUS_STABLE : DischargePattern.values()[5 + random.nextInt(5)],
                        capacity(type, random),
                        parties,
                        supervised || target == Lifecycle.MONITORED ? List.of(new Outfall.SamplingPoint("1#采样点",
                                round(lon + 0.0003), round(lat + 0.0002), true, null)) : List.of(),
                        supervised && type.requiresApproval() ? List.of(new Outfall.InspectionWell("1#检查井",
                                round(lon + 0.0005), round(lat + 0.0004), null)) : List.of(),
                        supervised ? new Outfall.Signboard(true, LocalDate.of(2025, 1 + random.nextInt(10), 1 + random.nextInt(28)),
                                random.nextBoolean() ? "立式" : "平面式", random.nextInt(10) < 7, null) : null);
                Outfall o = ledger.create(draft, "2025年排查整治台账录入", user);
                if (target != Lifecycle.VERIFIED) {
                    // Walk the outfall to its state, as the campaign would have, so its history shows the steps.
                    for (Lifecycle step : path(target)) {
                        OutfallDraft d = OutfallDraft.of(o);
                        o = ledger.update(o.id(), new OutfallDraft(d.nationalCode(), d.localCode(), d.name(), d.typeCode(),
                                step, d.regionCode(), d.waterBodyId(), d.longitude(), d.latitude(), d.dischargeMode(),
                                d.dischargePattern(), d.designCapacity(), d.parties(), d.samplingPoints(),
                                d.inspectionWells(), d.signboard()), o.version(), reason(step), user);
                    }
                }
            }
        }
        if (withPartyUser && firstEnterprise != null) {
            users.createUser("party", "孙丽（" + firstEnterprise.name() + "）", Role.PARTY, firstEnterprise.id(), password,
                    CurrentUser.system());
        }
        return n;
    }

    private String cityOf(String countyCode) {
        return regions.find(countyCode.substring(0, 4) + "00").map(r -> r.name()).orElse("");
    }

    private static Lifecycle lifecycle(OutfallType type, Random random) {
        int r = random.nextInt(100);
        if (type.requiresApproval()) {
            return r < 85 ? Lifecycle.UNDER_SUPERVISION : r < 95 ? Lifecycle.REMEDIATION_PLANNED : Lifecycle.MONITORED;
        }
        return r < 8 ? Lifecycle.SUSPECTED : r < 20 ? Lifecycle.VERIFIED : r < 30 ? Lifecycle.MONITORED
                : r < 40 ? Lifecycle.TRACED : r < 52 ? Lifecycle.REMEDIATION_PLANNED : r < 58 ? Lifecycle.REMEDIATED
                : r < 92 ? Lifecycle.UNDER_SUPERVISION : r < 97 ? Lifecycle.CANCELLED : Lifecycle.NOT_AN_OUTFALL;
    }

    /** The steps from VERIFIED to a target state, as 查测溯治管 goes. */
    private static List<Lifecycle> path(Lifecycle target) {
        return switch (target) {
            case SUSPECTED, VERIFIED -> List.of();
            case NOT_AN_OUTFALL -> List.of(Lifecycle.NOT_AN_OUTFALL);
            case MONITORED -> List.of(Lifecycle.MONITORED);
            case TRACED -> List.of(Lifecycle.MONITORED, Lifecycle.TRACED);
            case REMEDIATION_PLANNED -> List.of(Lifecycle.MONITORED, Lifecycle.TRACED, Lifecycle.REMEDIATION_PLANNED);
            case REMEDIATED -> List.of(Lifecycle.MONITORED, Lifecycle.TRACED, Lifecycle.REMEDIATION_PLANNED, Lifecycle.REMEDIATED);
            case UNDER_SUPERVISION -> List.of(Lifecycle.MONITORED, Lifecycle.UNDER_SUPERVISION);
            case CANCELLED -> List.of(Lifecycle.MONITORED, Lifecycle.TRACED, Lifecycle.REMEDIATION_PLANNED, Lifecycle.CANCELLED);
        };
    }

    private static String reason(Lifecycle step) {
        return switch (step) {
            case MONITORED -> "完成采样监测";
            case TRACED -> "完成溯源，明确责任主体";
            case REMEDIATION_PLANNED -> "制定“一口一策”整治方案";
            case REMEDIATED -> "整治完成，现场验收";
            case UNDER_SUPERVISION -> "纳入日常监管";
            case CANCELLED -> "依法取缔（合并接管）";
            case NOT_AN_OUTFALL -> "现场核实：非入河排污口";
            default -> "状态更新";
        };
    }

    private static Double capacity(OutfallType type, Random random) {
        if (type.code().contains("WWTP")) {
            return 10_000.0 + random.nextInt(20) * 5_000;
        }
        return type.level1() == OutfallType.Level1.INDUSTRIAL ? 50.0 + random.nextInt(60) * 50 : null;
    }

    private static double round(double d) {
        return Math.round(d * 1e6) / 1e6;
    }
}
