package org.gongzhi.approval;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One case as stored: an approval application (审批: 新设/改设/扩大), a change (变更), a cancellation (注销) or a
 * registration (登记). Deadlines are dates (China time) fixed when their clock starts and moved only by a recorded
 * pause or the extension.
 */
public record ApprovalCase(long id, Kind kind, SettingType settingType, State state, String caseNumber, long applicantOrgId,
                    String applicantName, String enteredBy, boolean paper, Long outfallId, Proposed outfall,
                    Application application, boolean needsFullReport, List<String> fullReportReasons,
                    Authority authority, LocalDate receivedOn, LocalDate completenessDeadline,
                    LocalDate supplementRequestedOn, String supplementItems, LocalDate supplementedOn,
                    LocalDate acceptedOn, boolean deemedAccepted, LocalDate decisionDeadline, boolean extended,
                    String extensionReason, LocalDate decidedOn, String decisionNumber, Decision decision,
                    List<String> refusalCodes, String refusalText, String returnReasons, int version,
                    Instant createdAt, Instant updatedAt) {

    public enum Kind {
        APPROVAL("设置审批", "approval"), CHANGE("变更", "change"), CANCELLATION("注销", "cancellation"),
        REGISTRATION("登记", "registration");

        final String zh;
        final String en;

        Kind(String zh, String en) {
            this.zh = zh;
            this.en = en;
        }

        public String zh() { return zh; }
        public String en() { return en; }
    }

    /** 新设, 改设 (a new location or discharge mode), 扩大 (more volume): each needs an approval (办法; §1.6). */
    public enum SettingType {
        NEW("新设", "new"), MODIFY("改设", "relocation or modification"), EXPAND("扩大", "expansion");

        final String zh;
        final String en;

        SettingType(String zh, String en) {
            this.zh = zh;
            this.en = en;
        }

        public String zh() { return zh; }
        public String en() { return en; }
    }

    public enum State {
        SUBMITTED("已收到，待审查", "received, completeness check"),
        SUPPLEMENT_REQUESTED("待补正", "supplement requested"),
        ACCEPTED("已受理，审查中", "accepted, under review"),
        PAUSED("审查暂停计时", "review clock paused"),
        APPROVED("准予设置", "approved"),
        REFUSED("不予许可", "refused"),
        REGISTERED("已登记", "registered"),
        CONFIRMED("已办结", "confirmed"),
        RETURNED("已退回", "returned"),
        NOT_ACCEPTED("不予受理", "not accepted"),
        WITHDRAWN("已撤回", "withdrawn");

        final String zh;
        final String en;

        State(String zh, String en) {
            this.zh = zh;
            this.en = en;
        }

        public String zh() { return zh; }
        public String en() { return en; }

        public boolean closed() {
            return this == APPROVED || this == REFUSED || this == REGISTERED || this == CONFIRMED || this == NOT_ACCEPTED
                    || this == WITHDRAWN;
        }
    }

    /** The outfall as applied for (or, for a change, as it is to become). */
    public record Proposed(String name, String typeCode, String regionCode, Long waterBodyId, Double longitude, Double latitude,
                    String dischargeMode, String dischargePattern, String destination, BigDecimal designCapacity) {
    }

    /**
     * The 申请书: project, the facts that decide whether a full 论证报告 is needed (industry, toxic discharge, volume),
     * the key pollutants applied for and, for a shared outfall, each party's share (办法 Art 16).
     */
    public record Application(String projectName, String projectBasis, String industry, boolean toxicDischarge,
                       String eiaLevel, List<Pollutant> pollutants, List<PartyShare> shares, String description) {
        public Application {
            pollutants = pollutants == null ? List.of() : List.copyOf(pollutants);
            shares = shares == null ? List.of() : List.copyOf(shares);
        }
    }

    /** A key pollutant: HJ 212 factor code, concentration (mg/L) and yearly quantity (t/a). */
    public record Pollutant(String factor, BigDecimal concentration, BigDecimal tonsPerYear) {
    }

    /** One party of a shared outfall: its volume (m³/d) and pollutants (办法 Art 16). */
    public record PartyShare(long organizationId, BigDecimal volume, String pollutants) {
    }

    /** Which bureau decides: level and region (or basin), and the rule that chose it. */
    public record Authority(String level, String regionCode, String basin, Long ruleId, String ruleNote) {
    }

    /** What an approval decision (决定书) permits. */
    public record Decision(String location, String waterBody, String dischargeMode, String destination, BigDecimal permittedVolume,
                    LocalDate validFrom, List<ApprovalDecided.DecidedLimit> limits, String conditions) {
        public Decision {
            limits = limits == null ? List.of() : List.copyOf(limits);
        }
    }

    /** A paused interval of the review clock. */
    public record Pause(long id, String reason, String note, LocalDate startedOn, LocalDate endedOn, Integer pausedDays,
                 String startedBy, String endedBy) {
    }

    /** An uploaded material. */
    public record Material(long id, String kind, long fileId, String filename, String contentType, long sizeBytes,
                    LocalDate uploadedOn, String uploadedBy) {
    }

    /** A generated document (the stored PDF is never changed). */
    public record Document(long id, String kind, String number, String verificationCode, long fileId, String sha256,
                    LocalDate issuedOn, String issuedBy) {
    }

    public boolean open() {
        return !state.closed();
    }
}
