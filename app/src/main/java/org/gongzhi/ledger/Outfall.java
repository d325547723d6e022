package org.gongzhi.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * 入河排污口: one entry of the ledger, as it is now or as it was in a past version. Coordinates are decimal
 * degrees in CGCS2000 (which differs from WGS84 by centimetres, negligible at ledger precision).
 */
public record Outfall(long id, String nationalCode, String localCode, String name, String typeCode, Regime regime,
                      Lifecycle lifecycle, String regionCode, Long waterBodyId, Double longitude, Double latitude,
                      DischargeMode dischargeMode, DischargePattern dischargePattern, Double designCapacity,
                      List<Party> parties, List<SamplingPoint> samplingPoints, List<InspectionWell> inspectionWells,
                      Signboard signboard, int version, Instant createdAt, Instant updatedAt, String updatedBy) {

    /** A responsible party (责任主体) of the outfall; a shared outfall has several, one lead, each with a share (办法 Art 16). */
    public record Party(long organizationId, String name, String uscc, boolean lead, Double sharePercent) {
    }

    /** 监测采样点 (HJ 1309 §5). */
    public record SamplingPoint(String name, Double longitude, Double latitude, boolean accessible, String note) {
    }

    /** 检查井 (HJ 1309 §6). */
    public record InspectionWell(String name, Double longitude, Double latitude, String note) {
    }

    /** 标识牌 (HJ 1309 §7, GB 15562.1): whether it is up, when, what shape, and whether it carries the QR code. */
    public record Signboard(boolean installed, LocalDate installedOn, String form, boolean qrCode, String note) {
    }

    public Party leadParty() {
        return parties.stream().filter(Party::lead).findFirst().orElse(parties.isEmpty() ? null : parties.get(0));
    }
}
