package org.gongzhi.disclosure;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.gongzhi.approval.PublicLegalBasis;
import org.gongzhi.compliance.OpenFindings;
import org.gongzhi.compliance.PublicCompliance;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.ledger.OutfallType;
import org.gongzhi.ledger.OutfallTypes;
import org.gongzhi.monitoring.MeasurementKind;
import org.gongzhi.monitoring.MeasurementQueries;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.gongzhi.supervision.PublicRemediation;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * What the public may see of an outfall: its public fields (configured per field), the latest hourly values and the
 * daily means of the last 30 days from online monitoring, and from the owning modules' public reads the legal basis
 * in force (approvals), the limits in force and the 12-month compliance summary (compliance) and the remediation
 * status (supervision). Everything here is read without a user, so nothing but the configured public fields ever
 * leaves this class. Pages are cached for a short time (opened from signboards by many phones at once, and the
 * figures change hourly at most).
 */
@Service
public class PublicOutfalls {

    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    /** Every field: the 办法's disclosure duty covers all of them (docs/disclosure.md, "Which fields are public"). */
    static final String DEFAULT_FIELDS = "TYPE,LIFECYCLE,PARTIES,PARTY_USCC,WATER_BODY,REGION,LOCATION,DISCHARGE,REGIME,"
            + "LEGAL_BASIS,LIMITS,MONITORING,COMPLIANCE,COMPLIANCE_SUMMARY,REMEDIATION,SIGNBOARD,BUREAU";
    /** The window of the public chart: 30 days, as the issue asks. */
    static final int CHART_DAYS = 30;

    /** A responsible party as disclosed; {@code uscc} only when PARTY_USCC is public. */
    public record PublicParty(String name, String uscc, boolean lead) {
    }

    /** The latest value of one factor (hourly mean). */
    public record Latest(String factor, String nameZh, String nameEn, String unit, double value, Instant at) {
        /** The time in China, as the page shows it. */
        public String atText() {
            return java.time.format.DateTimeFormatter.ofPattern("MM-dd HH:mm").format(at.atZone(CHINA));
        }
    }

    /** One day's summary of one factor: mean of the day, min and max, how many values went into it. */
    public record DaySummary(LocalDate day, String factor, double mean, double min, double max, int count) {
    }

    /** The daily series of one factor over the chart window. */
    public record Series(String factor, String nameZh, String nameEn, String unit, List<DaySummary> days) {
        public double max() {
            return days.stream().mapToDouble(DaySummary::max).max().orElse(0);
        }
    }

    /**
     * The public record of one outfall; a field that is not public is null (or empty). {@code legalBasis} is null
     * also when none is in force; {@code limits} is null when not public, empty when none is in force;
     * {@code complianceSummary} and {@code remediation} are read for the page only (null in lists).
     */
    public record PublicOutfall(String nationalCode, String name, String typeCode, String typeZh, String typeEn,
                                String lifecycle, String lifecycleZh, String lifecycleEn, List<PublicParty> parties,
                                String waterBody, String regionCode, String regionName, Double longitude, Double latitude,
                                String dischargeMode, String dischargePattern, String regime, String regimeZh,
                                String regimeEn, Boolean signboardInstalled, LocalDate signboardInstalledOn,
                                String bureau, String bureauPhone, Instant updatedAt, List<Latest> latest,
                                List<Series> series, LocalDate seriesFrom, LocalDate seriesTo, Integer openFindings,
                                PublicLegalBasis.InForce legalBasis, List<PublicCompliance.LimitInForce> limits,
                                PublicCompliance.Summary complianceSummary, PublicRemediation.Status remediation) {
        public LocalDate updatedOn() {
            return LocalDate.ofInstant(updatedAt, CHINA);
        }

        public boolean hasMonitoring() {
            return latest != null && !latest.isEmpty() || series != null && !series.isEmpty();
        }
    }

    private final Ledger ledger;
    private final OutfallTypes types;
    private final Regions regions;
    private final WaterBodies waterBodies;
    private final MeasurementQueries measurements;
    private final Bureaus bureaus;
    private final OpenFindings findings;
    private final PublicLegalBasis legalBasis;
    private final PublicCompliance compliance;
    private final PublicRemediation remediation;
    private final Set<PublicField> fields;
    private final Duration cacheFor;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    /** Reads expired entries again off the request threads; bounded, so a crawl cannot queue the whole ledger. */
    private final java.util.concurrent.ThreadPoolExecutor refresher = new java.util.concurrent.ThreadPoolExecutor(2, 2, 30,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(1_000), r -> {
                Thread t = new Thread(r, "public-page-refresh");
                t.setDaemon(true);
                return t;
            });

    /** {@code refreshing}: one request is reading the outfall again; until it is done the others get this value. */
    private record Cached(long until, Optional<PublicOutfall> value, java.util.concurrent.atomic.AtomicBoolean refreshing) {
    }

    PublicOutfalls(Ledger ledger, OutfallTypes types, Regions regions, WaterBodies waterBodies,
                   MeasurementQueries measurements, Bureaus bureaus, OpenFindings findings, PublicLegalBasis legalBasis,
                   PublicCompliance compliance, PublicRemediation remediation,
                   @Value("${gongzhi.disclosure.public-fields:" + DEFAULT_FIELDS + "}") List<String> fields,
                   @Value("${gongzhi.disclosure.cache:PT60S}") Duration cacheFor) {
        this.ledger = ledger;
        this.types = types;
        this.regions = regions;
        this.waterBodies = waterBodies;
        this.measurements = measurements;
        this.bureaus = bureaus;
        this.findings = findings;
        this.legalBasis = legalBasis;
        this.compliance = compliance;
        this.remediation = remediation;
        EnumSet<PublicField> set = EnumSet.noneOf(PublicField.class);
        fields.stream().map(String::trim).filter(s -> !s.isEmpty()).map(PublicField::parse).forEach(set::add);
        this.fields = Set.copyOf(set);
        this.cacheFor = cacheFor;
        refresher.allowCoreThreadTimeOut(true);
    }

    public boolean isPublic(PublicField field) {
        return fields.contains(field);
    }

    /** The public record of the outfall with this national code (codes are upper case); empty if there is none. */
    public Optional<PublicOutfall> find(String nationalCode) {
        if (nationalCode == null || nationalCode.length() > 64) {
            return Optional.empty();
        }
        String code = nationalCode.trim().toUpperCase(Locale.ROOT);
        long now = System.nanoTime();
        Cached c = cache.get(code);
        if (c == null) {
            return read(code, now);
        }
        if (c.until() - now <= 0 && c.refreshing().compareAndSet(false, true)) {
            // Expired: read again in the background while every request, this one too, gets the previous record (at
            // most one reading old). A crowd of phones then never waits for the database, and never reads the same
            // outfall all at once (docs/benchmarks.md: that stampede cost seconds under 200 clients).
            try {
                refresher.execute(() -> {
                    try {
                        read(code, System.nanoTime());
                    } catch (RuntimeException e) {
                        c.refreshing().set(false); // the next request tries again
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                c.refreshing().set(false);
            }
        }
        return c.value();
    }

    private Optional<PublicOutfall> read(String code, long now) {
        Optional<PublicOutfall> value = ledger.findByNationalCode(code, CurrentUser.system()).map(this::disclose);
        if (cache.size() > 20_000) {
            cache.clear(); // a crawl over every code: start over rather than hold the whole ledger
        }
        cache.put(code, new Cached(now + cacheFor.toNanos(), value, new java.util.concurrent.atomic.AtomicBoolean()));
        return value;
    }

    /**
     * The public records of outfalls already read (open-data lists, signboards), without monitoring, compliance
     * summary and remediation; the legal bases in one query.
     */
    public List<PublicOutfall> discloseWithoutMonitoring(List<Outfall> list) {
        Map<Long, PublicLegalBasis.InForce> bases = isPublic(PublicField.LEGAL_BASIS)
                ? legalBasis.of(list.stream().map(Outfall::id).toList()) : Map.of();
        return list.stream().map(o -> disclose(o, false, bases.get(o.id()))).toList();
    }

    /** The public record of an outfall already read, without monitoring (as {@link #discloseWithoutMonitoring(List)}). */
    public PublicOutfall discloseWithoutMonitoring(Outfall o) {
        return discloseWithoutMonitoring(List.of(o)).get(0);
    }

    private PublicOutfall disclose(Outfall o) {
        return disclose(o, true, isPublic(PublicField.LEGAL_BASIS) ? legalBasis.of(o.id()).orElse(null) : null);
    }

    /** The one place that decides what of an outfall is public; {@code basis} already read (null when not public). */
    private PublicOutfall disclose(Outfall o, boolean withMonitoring, PublicLegalBasis.InForce basis) {
        Optional<OutfallType> type = isPublic(PublicField.TYPE) ? types.find(o.typeCode()) : Optional.empty();
        List<PublicParty> parties = isPublic(PublicField.PARTIES) ? o.parties().stream()
                .map(p -> new PublicParty(p.name(), isPublic(PublicField.PARTY_USCC) ? p.uscc() : null, p.lead())).toList()
                : List.of();
        String waterBody = isPublic(PublicField.WATER_BODY) && o.waterBodyId() != null
                ? waterBodies.find(o.waterBodyId()).map(WaterBody::name).orElse(null) : null;
        boolean region = isPublic(PublicField.REGION);
        boolean location = isPublic(PublicField.LOCATION);
        boolean discharge = isPublic(PublicField.DISCHARGE);
        boolean regime = isPublic(PublicField.REGIME);
        boolean lifecycle = isPublic(PublicField.LIFECYCLE);
        boolean signboard = isPublic(PublicField.SIGNBOARD) && o.signboard() != null;
        Optional<Organization> bureau = isPublic(PublicField.BUREAU) ? bureaus.responsibleFor(o.regionCode()) : Optional.empty();
        List<Latest> latest = List.of();
        List<Series> series = List.of();
        LocalDate to = LocalDate.now(CHINA);
        LocalDate from = to.minusDays(CHART_DAYS - 1);
        if (withMonitoring && isPublic(PublicField.MONITORING)) {
            latest = latest(o.id());
            series = series(o.id(), from, to);
        }
        return new PublicOutfall(o.nationalCode(), o.name(), type.map(OutfallType::code).orElse(null),
                type.map(OutfallType::nameZh).orElse(null), type.map(OutfallType::nameEn).orElse(null),
                lifecycle ? o.lifecycle().name() : null, lifecycle ? o.lifecycle().zh() : null,
                lifecycle ? o.lifecycle().en() : null, parties, waterBody,
                region ? o.regionCode() : null, region ? regions.fullName(o.regionCode()) : null,
                location ? o.longitude() : null, location ? o.latitude() : null,
                discharge && o.dischargeMode() != null ? o.dischargeMode().zh() : null,
                discharge && o.dischargePattern() != null ? o.dischargePattern().zh() : null,
                regime ? o.regime().name() : null, regime ? o.regime().zh() : null, regime ? o.regime().en() : null,
                signboard ? o.signboard().installed() : null, signboard ? o.signboard().installedOn() : null,
                bureau.map(Organization::name).orElse(null), bureau.map(Organization::contactPhone).orElse(null),
                o.updatedAt(), latest, series, from, to,
                // How many findings (exceedances, missing data) are open, from compliance.OpenFindings.
                withMonitoring && isPublic(PublicField.COMPLIANCE)
                        ? findings.countsByOutfall(List.of(o.id())).getOrDefault(o.id(), 0) : null,
                basis,
                isPublic(PublicField.LIMITS) ? compliance.limitsInForce(o.id(), to) : null,
                withMonitoring && isPublic(PublicField.COMPLIANCE_SUMMARY) ? compliance.summary(o.id()) : null,
                withMonitoring && isPublic(PublicField.REMEDIATION) ? remediation.of(o.id()) : null);
    }

    /** The last hourly mean of each factor within the last two days. */
    private List<Latest> latest(long outfallId) {
        Instant now = Instant.now();
        Map<String, MeasurementQueries.Value> last = new TreeMap<>();
        for (MeasurementQueries.Value v : measurements.values(outfallId, List.of(MeasurementKind.HOUR), List.of(),
                now.minus(2, ChronoUnit.DAYS), now.plus(1, ChronoUnit.HOURS))) {
            if (v.value() != null) {
                last.merge(v.factor(), v, (a, b) -> b.dataTime().isAfter(a.dataTime()) ? b : a);
            }
        }
        return last.values().stream().map(v -> {
            Factors.Factor f = Factors.of(v.factor());
            return new Latest(v.factor(), f.zh(), f.en(), f.unit(), v.value(), v.dataTime());
        }).toList();
    }

    private List<Series> series(long outfallId, LocalDate from, LocalDate to) {
        Map<String, List<DaySummary>> byFactor = dailySummaries(outfallId, from, to).stream()
                .collect(Collectors.groupingBy(DaySummary::factor, TreeMap::new, Collectors.toList()));
        List<Series> out = new ArrayList<>();
        byFactor.forEach((factor, days) -> {
            Factors.Factor f = Factors.of(factor);
            out.add(new Series(factor, f.zh(), f.en(), f.unit(), days));
        });
        return out;
    }

    /**
     * Daily summaries of every factor for the days {@code from..to} (China time, both included): the data logger's
     * own daily values (CN 2031) where it sent them, else the mean of its hourly values (CN 2061) of that day.
     */
    public List<DaySummary> dailySummaries(long outfallId, LocalDate from, LocalDate to) {
        Instant start = from.atStartOfDay(CHINA).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(CHINA).toInstant();
        Map<String, Map<LocalDate, List<MeasurementQueries.Value>>> days = new TreeMap<>();
        Map<String, Map<LocalDate, MeasurementQueries.Value>> daily = new TreeMap<>();
        for (MeasurementQueries.Value v : measurements.values(outfallId, List.of(MeasurementKind.DAY, MeasurementKind.HOUR),
                List.of(), start, end)) {
            if (v.value() == null) {
                continue;
            }
            LocalDate day = LocalDate.ofInstant(v.dataTime(), CHINA);
            if (v.kind() == MeasurementKind.DAY) {
                daily.computeIfAbsent(v.factor(), k -> new TreeMap<>()).put(day, v);
            } else {
                days.computeIfAbsent(v.factor(), k -> new TreeMap<>()).computeIfAbsent(day, k -> new ArrayList<>()).add(v);
            }
        }
        List<DaySummary> out = new ArrayList<>();
        Set<String> factors = new java.util.TreeSet<>(days.keySet());
        factors.addAll(daily.keySet());
        for (String factor : factors) {
            Map<LocalDate, DaySummary> merged = new TreeMap<>();
            days.getOrDefault(factor, Map.of()).forEach((day, values) -> merged.put(day, new DaySummary(day, factor,
                    values.stream().mapToDouble(MeasurementQueries.Value::value).average().orElseThrow(),
                    values.stream().mapToDouble(v -> v.min() == null ? v.value() : v.min()).min().orElseThrow(),
                    values.stream().mapToDouble(v -> v.max() == null ? v.value() : v.max()).max().orElseThrow(),
                    values.size())));
            daily.getOrDefault(factor, Map.of()).forEach((day, v) -> merged.put(day, new DaySummary(day, factor, v.value(),
                    v.min() == null ? v.value() : v.min(), v.max() == null ? v.value() : v.max(), 1)));
            merged.values().stream().sorted(Comparator.comparing(DaySummary::day)).forEach(out::add);
        }
        return out;
    }

    /** Forgets cached pages (tests, and after a change that must show at once). */
    public void evict() {
        cache.clear();
    }
}
