package org.gongzhi.ledger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gongzhi.platform.FieldProblem;

/**
 * The outfall form as the browser sends it: all text, so that a value that does not parse can be shown back
 * next to its field with the reason, instead of failing the whole request.
 */
public class OutfallForm {

    String nationalCode, localCode, name, typeCode, lifecycle, regionCode, waterBodyId, longitude, latitude,
            dischargeMode, dischargePattern, designCapacity, spName, spLongitude, spLatitude, wellName, wellLongitude,
            wellLatitude, signboardDate, reason, version, lead;
    boolean signboardInstalled, signboardQr;
    List<String> partyId = new ArrayList<>(), partyShare = new ArrayList<>();

    static OutfallForm of(Outfall o) {
        OutfallForm f = new OutfallForm();
        f.nationalCode = o.nationalCode();
        f.localCode = o.localCode();
        f.name = o.name();
        f.typeCode = o.typeCode();
        f.lifecycle = o.lifecycle().name();
        f.regionCode = o.regionCode();
        f.waterBodyId = str(o.waterBodyId());
        f.longitude = str(o.longitude());
        f.latitude = str(o.latitude());
        f.dischargeMode = o.dischargeMode() == null ? null : o.dischargeMode().name();
        f.dischargePattern = o.dischargePattern() == null ? null : o.dischargePattern().name();
        f.designCapacity = str(o.designCapacity());
        for (int i = 0; i < o.parties().size(); i++) {
            Outfall.Party p = o.parties().get(i);
            f.partyId.add(String.valueOf(p.organizationId()));
            f.partyShare.add(str(p.sharePercent()));
            if (p.lead()) {
                f.lead = String.valueOf(i);
            }
        }
        if (!o.samplingPoints().isEmpty()) {
            Outfall.SamplingPoint sp = o.samplingPoints().get(0);
            f.spName = sp.name();
            f.spLongitude = str(sp.longitude());
            f.spLatitude = str(sp.latitude());
        }
        if (!o.inspectionWells().isEmpty()) {
            Outfall.InspectionWell w = o.inspectionWells().get(0);
            f.wellName = w.name();
            f.wellLongitude = str(w.longitude());
            f.wellLatitude = str(w.latitude());
        }
        if (o.signboard() != null) {
            f.signboardInstalled = o.signboard().installed();
            f.signboardQr = o.signboard().qrCode();
            f.signboardDate = o.signboard().installedOn() == null ? null : o.signboard().installedOn().toString();
        }
        f.version = String.valueOf(o.version());
        return f;
    }

    /** The draft, with every value that does not parse reported as a problem on its field. */
    OutfallDraft toDraft(List<FieldProblem> problems, Outfall before) {
        Double lon = number("longitude", longitude, problems);
        Double lat = number("latitude", latitude, problems);
        List<OutfallDraft.PartyRef> parties = new ArrayList<>();
        for (int i = 0; i < partyId.size(); i++) {
            if (partyId.get(i) == null || partyId.get(i).isBlank()) {
                continue;
            }
            Long id = integer("parties", partyId.get(i), problems);
            Double share = i < partyShare.size() ? number("parties", partyShare.get(i), problems) : null;
            if (id != null) {
                parties.add(new OutfallDraft.PartyRef(id, String.valueOf(i).equals(lead), share));
            }
        }
        List<Outfall.SamplingPoint> points = blank(spName) && blank(spLongitude) ? List.of()
                : List.of(new Outfall.SamplingPoint(spName, number("samplingPoints", spLongitude, problems),
                        number("samplingPoints", spLatitude, problems), true, null));
        List<Outfall.InspectionWell> wells = blank(wellName) && blank(wellLongitude) ? List.of()
                : List.of(new Outfall.InspectionWell(wellName, number("inspectionWells", wellLongitude, problems),
                        number("inspectionWells", wellLatitude, problems), null));
        // Keep the sampling points and wells beyond the first, which the form does not show.
        if (before != null && before.samplingPoints().size() > 1 && !points.isEmpty()) {
            List<Outfall.SamplingPoint> all = new ArrayList<>(points);
            all.addAll(before.samplingPoints().subList(1, before.samplingPoints().size()));
            points = all;
        }
        if (before != null && before.inspectionWells().size() > 1 && !wells.isEmpty()) {
            List<Outfall.InspectionWell> all = new ArrayList<>(wells);
            all.addAll(before.inspectionWells().subList(1, before.inspectionWells().size()));
            wells = all;
        }
        LocalDate signDate = null;
        if (!blank(signboardDate)) {
            try {
                signDate = LocalDate.parse(signboardDate.trim());
            } catch (RuntimeException e) {
                problems.add(FieldProblem.of("signboard", signboardDate, "日期格式应为YYYY-MM-DD", "date must be YYYY-MM-DD"));
            }
        }
        Outfall.Signboard old = before == null ? null : before.signboard();
        Outfall.Signboard sign = signboardInstalled || signDate != null || signboardQr || old != null
                ? new Outfall.Signboard(signboardInstalled, signDate, old == null ? null : old.form(), signboardQr,
                        old == null ? null : old.note())
                : null;
        return new OutfallDraft(nationalCode, localCode, name, typeCode,
                enumValue("lifecycle", Lifecycle.class, lifecycle, problems), regionCode,
                integer("waterBodyId", waterBodyId, problems), lon, lat,
                enumValue("dischargeMode", DischargeMode.class, dischargeMode, problems),
                enumValue("dischargePattern", DischargePattern.class, dischargePattern, problems),
                number("designCapacity", designCapacity, problems), parties, points, wells, sign);
    }

    /** Problems grouped by the form field they belong to, in the reader's language. */
    static Map<String, List<String>> byField(List<FieldProblem> problems, Locale locale) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        boolean en = "en".equals(locale.getLanguage());
        for (FieldProblem p : problems) {
            String key = p.field().contains("[") ? p.field().substring(0, p.field().indexOf('[')) : p.field();
            key = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            map.computeIfAbsent(key, k -> new ArrayList<>()).add(en ? p.reasonEn() : p.reasonZh());
        }
        return map;
    }

    static Double number(String field, String text, List<FieldProblem> problems) {
        if (blank(text)) {
            return null;
        }
        try {
            return Double.valueOf(text.trim());
        } catch (NumberFormatException e) {
            problems.add(FieldProblem.of(field, text, "应为数字", "must be a number"));
            return null;
        }
    }

    static Long integer(String field, String text, List<FieldProblem> problems) {
        if (blank(text)) {
            return null;
        }
        try {
            return Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            problems.add(FieldProblem.of(field, text, "应为整数", "must be a whole number"));
            return null;
        }
    }

    static <E extends Enum<E>> E enumValue(String field, Class<E> type, String text, List<FieldProblem> problems) {
        if (blank(text)) {
            return null;
        }
        try {
            return Enum.valueOf(type, text.trim());
        } catch (IllegalArgumentException e) {
            problems.add(FieldProblem.of(field, text, "不是有效选项", "not a valid choice"));
            return null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String str(Object o) {
        return o == null ? null : (o instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue())
                : String.valueOf(o));
    }

    // Accessors for data binding and templates.
    public String getNationalCode() { return nationalCode; }
    public void setNationalCode(String v) { nationalCode = v; }
    public String getLocalCode() { return localCode; }
    public void setLocalCode(String v) { localCode = v; }
    public String getName() { return name; }
    public void setName(String v) { name = v; }
    public String getTypeCode() { return typeCode; }
    public void setTypeCode(String v) { typeCode = v; }
    public String getLifecycle() { return lifecycle; }
    public void setLifecycle(String v) { lifecycle = v; }
    public String getRegionCode() { return regionCode; }
    public void setRegionCode(String v) { regionCode = v; }
    public String getWaterBodyId() { return waterBodyId; }
    public void setWaterBodyId(String v) { waterBodyId = v; }
    public String getLongitude() { return longitude; }
    public void setLongitude(String v) { longitude = v; }
    public String getLatitude() { return latitude; }
    public void setLatitude(String v) { latitude = v; }
    public String getDischargeMode() { return dischargeMode; }
    public void setDischargeMode(String v) { dischargeMode = v; }
    public String getDischargePattern() { return dischargePattern; }
    public void setDischargePattern(String v) { dischargePattern = v; }
    public String getDesignCapacity() { return designCapacity; }
    public void setDesignCapacity(String v) { designCapacity = v; }
    public String getSpName() { return spName; }
    public void setSpName(String v) { spName = v; }
    public String getSpLongitude() { return spLongitude; }
    public void setSpLongitude(String v) { spLongitude = v; }
    public String getSpLatitude() { return spLatitude; }
    public void setSpLatitude(String v) { spLatitude = v; }
    public String getWellName() { return wellName; }
    public void setWellName(String v) { wellName = v; }
    public String getWellLongitude() { return wellLongitude; }
    public void setWellLongitude(String v) { wellLongitude = v; }
    public String getWellLatitude() { return wellLatitude; }
    public void setWellLatitude(String v) { wellLatitude = v; }
    public String getSignboardDate() { return signboardDate; }
    public void setSignboardDate(String v) { signboardDate = v; }
    public boolean isSignboardInstalled() { return signboardInstalled; }
    public void setSignboardInstalled(boolean v) { signboardInstalled = v; }
    public boolean isSignboardQr() { return signboardQr; }
    public void setSignboardQr(boolean v) { signboardQr = v; }
    public String getReason() { return reason; }
    public void setReason(String v) { reason = v; }
    public String getVersion() { return version; }
    public void setVersion(String v) { version = v; }
    public String getLead() { return lead; }
    public void setLead(String v) { lead = v; }
    public List<String> getPartyId() { return partyId; }
    public void setPartyId(List<String> v) { partyId = v; }
    public List<String> getPartyShare() { return partyShare; }
    public void setPartyShare(List<String> v) { partyShare = v; }

    public String partyIdAt(int i) { return i < partyId.size() ? partyId.get(i) : null; }
}
