package org.gongzhi.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * 诉求: one public request (工单) as staff see it. Contact details are here for the bureau only; they never appear on a
 * public page or in Open311 output.
 */
public record Request(long id, String token, String serviceCode, Channel channel, Status status, String description,
                      Map<String, String> attributes, Long outfallId, String outfallCode, Double longitude,
                      Double latitude, String address, String regionCode, String routedBy, long firstOrgId,
                      long assignedOrgId, String contactName, String contactPhone, String contactEmail, String deviceId,
                      String client, Instant receivedAt, Instant responseDue, Instant resolveDue, Instant respondedAt,
                      Instant repliedAt, Instant closedAt, Instant remindedAt, Instant escalatedAt, String reply,
                      Boolean resolved, Rating rating, Instant ratedAt, int reopenCount, Long duplicateOf,
                      Moderation moderation, Instant updatedAt, int version) {

    public enum Channel { OUTFALL_PAGE, WEB, OPEN311 }

    /** received → dispatched → in progress → responded → closed (Beijing Regulation Arts 11–15). */
    public enum Status {
        RECEIVED("已受理", "Received"), DISPATCHED("已派单", "Dispatched"), IN_PROGRESS("办理中", "In progress"),
        RESPONDED("已答复", "Responded"), CLOSED("已办结", "Closed");

        private final String zh;
        private final String en;

        Status(String zh, String en) {
            this.zh = zh;
            this.en = en;
        }

        public String zh() { return zh; }
        public String en() { return en; }
    }

    /** The requester's evaluation (Art 8); 基本满意 counts with a configurable weight in the satisfaction rate. */
    public enum Rating {
        SATISFIED("满意", "Satisfied"), BASICALLY_SATISFIED("基本满意", "Basically satisfied"),
        UNSATISFIED("不满意", "Unsatisfied");

        private final String zh;
        private final String en;

        Rating(String zh, String en) {
            this.zh = zh;
            this.en = en;
        }

        public String zh() { return zh; }
        public String en() { return en; }
    }

    /** Whether the description and photos may be shown publicly: only after a person has looked at them. */
    public enum Moderation { PENDING, APPROVED, REJECTED }

    public boolean open() {
        return status != Status.CLOSED;
    }

    /** The deadline that applies now: the response deadline until someone responds, then the resolution deadline. */
    public Instant due() {
        return respondedAt == null ? responseDue : resolveDue;
    }

    public boolean overdue(Instant now) {
        return (status != Status.RESPONDED && status != Status.CLOSED) && now.isAfter(due());
    }

    /** Due soon: less than a fifth of the window (from receipt) is left. */
    public boolean dueSoon(Instant now) {
        if (status == Status.RESPONDED || status == Status.CLOSED || overdue(now)) {
            return false;
        }
        Duration window = Duration.between(receivedAt, due());
        return Duration.between(now, due()).compareTo(window.dividedBy(5)) < 0;
    }

    /** Whether the requester may rate now: a reply they have not rated yet. */
    public boolean rateable() {
        return status == Status.RESPONDED && repliedAt != null && (ratedAt == null || ratedAt.isBefore(repliedAt));
    }
}
