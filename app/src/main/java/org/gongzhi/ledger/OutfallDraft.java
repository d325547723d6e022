package org.gongzhi.ledger;

import java.util.List;

/**
 * What a person, an integration or an import row supplies to create or change an outfall. The regime is not
 * here: it follows from the type. The national code is optional: left empty, it is issued by the
 * {@link NationalCodeRule}; supplied, it must be acceptable to it and unused.
 */
public record OutfallDraft(String nationalCode, String localCode, String name, String typeCode, Lifecycle lifecycle,
                           String regionCode, Long waterBodyId, Double longitude, Double latitude,
                           DischargeMode dischargeMode, DischargePattern dischargePattern, Double designCapacity,
                           List<PartyRef> parties, List<Outfall.SamplingPoint> samplingPoints,
                           List<Outfall.InspectionWell> inspectionWells, Outfall.Signboard signboard) {

    /** A responsible party by organization id, whether it leads, and its share of the discharge in percent. */
    public record PartyRef(long organizationId, boolean lead, Double sharePercent) {
    }

    public OutfallDraft {
        parties = parties == null ? List.of() : List.copyOf(parties);
        samplingPoints = samplingPoints == null ? List.of() : List.copyOf(samplingPoints);
        inspectionWells = inspectionWells == null ? List.of() : List.copyOf(inspectionWells);
    }

    /**
     * The same draft in the form it is stored: trimmed text, empty text as null, coordinates to 6 decimals and
     * amounts to 2 (the column scales), a single party as the lead. Comparing normalized drafts tells whether a
     * change (or a re-imported row) changes anything.
     */
    public OutfallDraft normalized() {
        List<PartyRef> ps = parties.size() == 1
                ? List.of(new PartyRef(parties.get(0).organizationId(), true, round(parties.get(0).sharePercent(), 2)))
                : parties.stream().map(p -> new PartyRef(p.organizationId(), p.lead(), round(p.sharePercent(), 2))).toList();
        return new OutfallDraft(trim(nationalCode), trim(localCode), trim(name), trim(typeCode), lifecycle, trim(regionCode),
                waterBodyId, round(longitude, 6), round(latitude, 6), dischargeMode, dischargePattern,
                round(designCapacity, 2), ps, samplingPoints, inspectionWells, signboard);
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Double round(Double d, int scale) {
        return d == null ? null : java.math.BigDecimal.valueOf(d).setScale(scale, java.math.RoundingMode.HALF_UP).doubleValue();
    }

    /** The draft that would reproduce an outfall as it is: the starting point of an edit form. */
    public static OutfallDraft of(Outfall o) {
        return new OutfallDraft(o.nationalCode(), o.localCode(), o.name(), o.typeCode(), o.lifecycle(), o.regionCode(),
                o.waterBodyId(), o.longitude(), o.latitude(), o.dischargeMode(), o.dischargePattern(),
                o.designCapacity(),
                o.parties().stream().map(p -> new PartyRef(p.organizationId(), p.lead(), p.sharePercent())).toList(),
                o.samplingPoints(), o.inspectionWells(), o.signboard());
    }
}
