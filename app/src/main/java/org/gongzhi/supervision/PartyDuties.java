package org.gongzhi.supervision;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.ledger.Lifecycle;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Jurisdiction;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The responsible party's duties (办法; outfall-regulation.md §1.10): patrol and maintain the outfall's channel,
 * outlet and facilities, on a required frequency ({@code gongzhi.supervision.patrol-interval-days}, default 30,
 * or per outfall), with overdue reminders; and 规范化建设 (HJ 1309: sampling point, inspection well, signboard,
 * video/online monitoring, 一口一档 archive) submitted with evidence and reviewed by the regulator.
 */
@Service
class PartyDuties {

    static final String PATROL_FILES = "patrol_log";
    static final String STANDARD_FILES = "standardization";

    /**
     * The 规范化建设 items (HJ 1309) with the clause each follows; their names are in the message bundle (sv.item.*).
     * The inspector's {@link Checklist} checks some of the same things on site, with its own wording.
     */
    enum Item {
        SAMPLING_POINT("HJ 1309 §5"), INSPECTION_WELL("HJ 1309 §6"), SIGNBOARD("HJ 1309 §7; GB 15562.1"),
        MONITORING("HJ 1309 §8"), ARCHIVE("HJ 1309 §9");

        private final String basis;

        Item(String basis) {
            this.basis = basis;
        }

        public String basis() {
            return basis;
        }
    }

    /** One patrol entry, with the ids of its photos (served by GET /api/v1/supervision/files/{id}). */
    record Patrol(long id, long outfallId, LocalDate patrolledOn, String person, String checked, String problems,
                  String createdBy, Instant createdAt, List<Long> photoIds) {
    }

    record PatrolInput(LocalDate patrolledOn, String person, String checked, String problems) {
    }

    /** Where an outfall stands with its patrols: the last one, the required interval and the next due date. */
    /** @param partyId the outfall's lead party, who patrols it */
    record PatrolStatus(long outfallId, String outfallName, String nationalCode, LocalDate last, int intervalDays,
                        LocalDate due, boolean overdue, Long partyId) {
    }

    record Standardization(Item item, String status, String note, String submittedBy, Instant submittedAt,
                           String reviewedBy, Instant reviewedAt, String reviewNote) {
    }

    private final JdbcClient jdbc;
    private final Scope scope;
    private final Ledger ledger;
    private final AuditLog audit;
    private final org.gongzhi.platform.StoredFiles files;
    private final int defaultInterval;

    PartyDuties(JdbcClient jdbc, Scope scope, Ledger ledger, AuditLog audit, org.gongzhi.platform.StoredFiles files,
                @Value("${gongzhi.supervision.patrol-interval-days:30}") int defaultInterval) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.ledger = ledger;
        this.audit = audit;
        this.files = files;
        this.defaultInterval = defaultInterval;
    }

    private static void requirePartyOrRegulator(CurrentUser user) {
        if (user.jurisdiction().scope() != Jurisdiction.Scope.PARTY && !user.canEditLedger()) {
            throw new ForbiddenException("the party or a regulator records this");
        }
    }

    @Transactional
    Patrol logPatrol(long outfallId, PatrolInput in, CurrentUser user) {
        requirePartyOrRegulator(user);
        Outfall o = ledger.find(outfallId, user);
        List<FieldProblem> problems = new ArrayList<>();
        LocalDate today = LocalDate.now(Remediation.CHINA);
        if (in.patrolledOn() == null || in.patrolledOn().isAfter(today)) {
            problems.add(FieldProblem.of("patrolledOn", in.patrolledOn(), "巡查日期必填且不能晚于今天", "the patrol date is required and not in the future"));
        }
        if (Campaigns.blank(in.person())) {
            problems.add(FieldProblem.of("person", in.person(), "巡查人必填", "who patrolled is required"));
        }
        if (Campaigns.blank(in.checked())) {
            problems.add(FieldProblem.of("checked", in.checked(), "须记录检查内容（排污通道、口门、附属设施）",
                    "record what was checked (channel, outlet, facilities)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        long id = jdbc.sql("""
                INSERT INTO patrol_log (outfall_id, region_code, water_body_id, party_id, patrolled_on, person, checked, problems, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(o.id(), o.regionCode(), o.waterBodyId(), Campaigns.leadParty(o), in.patrolledOn(), in.person().trim(),
                        in.checked().trim(), Campaigns.blank(in.problems()) ? null : in.problems().trim(), user.username())
                .query(Long.class).single();
        Patrol p = patrols(o.id(), user).stream().filter(x -> x.id() == id).findFirst().orElseThrow();
        audit.record(user, "CREATE", PATROL_FILES, String.valueOf(id), null, null, p);
        return p;
    }

    List<Patrol> patrols(long outfallId, CurrentUser user) {
        ledger.find(outfallId, user);
        Scope.Clause s = scope.of("p", user);
        return jdbc.sql("""
                SELECT p.id, p.outfall_id, p.patrolled_on, p.person, p.checked, p.problems, p.created_by, p.created_at
                FROM patrol_log p WHERE p.outfall_id = :o AND """ + s.sql() + " ORDER BY p.patrolled_on DESC, p.id DESC LIMIT 200")
                .param("o", outfallId).params(s.params())
                .query((rs, i) -> new Patrol(rs.getLong(1), rs.getLong(2), rs.getObject(3, LocalDate.class), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant(),
                        files.list(PATROL_FILES, rs.getLong(1)).stream().map(org.gongzhi.platform.StoredFiles.StoredFile::id).toList()))
                .list();
    }

    /** One patrol entry the caller can see (for its photos). */
    Patrol patrol(long id, CurrentUser user) {
        Scope.Clause s = scope.of("p", user);
        long outfall = jdbc.sql("SELECT p.outfall_id FROM patrol_log p WHERE p.id = :id AND " + s.sql()).param("id", id)
                .params(s.params()).query(Long.class).optional()
                .orElseThrow(() -> new org.gongzhi.platform.NotFoundException("patrol " + id));
        return patrols(outfall, user).stream().filter(p -> p.id() == id).findFirst().orElseThrow();
    }

    /** The regulator sets how often the party must patrol this outfall. */
    @Transactional
    void setInterval(long outfallId, int days, CurrentUser user) {
        Campaigns.requireRegulator(user);
        ledger.find(outfallId, user);
        if (days < 1 || days > 366) {
            throw new InvalidInputException(FieldProblem.of("intervalDays", days, "巡查周期应在1–366天之间", "the interval is 1 to 366 days"));
        }
        jdbc.sql("""
                INSERT INTO patrol_requirement (outfall_id, interval_days, set_by) VALUES (?, ?, ?)
                ON CONFLICT (outfall_id) DO UPDATE SET interval_days = EXCLUDED.interval_days, set_by = EXCLUDED.set_by, set_at = now()""")
                .params(outfallId, days, user.username()).update();
        audit.record(user, "SET_PATROL_INTERVAL", "outfall", String.valueOf(outfallId), null, null, Map.of("intervalDays", days));
    }

    /**
     * Patrol status of the outfalls the caller can see (a party: its own), those overdue first. An outfall never
     * patrolled is due from its creation in the ledger.
     */
    List<PatrolStatus> patrolStatus(CurrentUser user, String regionCode, int limit) {
        List<Outfall> outfalls = new ArrayList<>();
        LedgerQuery q = new LedgerQuery(regionCode, null, null, null, null, null, null, null, LedgerQuery.Sort.CODE, false, 0,
                LedgerQuery.MAX_PAGE_SIZE);
        ledger.forEach(q, user, o -> {
            if (o.lifecycle() != Lifecycle.CANCELLED && o.lifecycle() != Lifecycle.NOT_AN_OUTFALL && o.lifecycle() != Lifecycle.SUSPECTED
                    && !o.parties().isEmpty()) {
                outfalls.add(o);
            }
        });
        if (outfalls.isEmpty()) {
            return List.of();
        }
        Long[] ids = outfalls.stream().map(Outfall::id).toArray(Long[]::new);
        Map<Long, LocalDate> last = new LinkedHashMap<>();
        jdbc.sql("SELECT outfall_id, max(patrolled_on) FROM patrol_log WHERE outfall_id = ANY(?) GROUP BY outfall_id").param(ids)
                .query((rs, i) -> Map.entry(rs.getLong(1), rs.getObject(2, LocalDate.class))).list()
                .forEach(e -> last.put(e.getKey(), e.getValue()));
        Map<Long, Integer> interval = new LinkedHashMap<>();
        jdbc.sql("SELECT outfall_id, interval_days FROM patrol_requirement WHERE outfall_id = ANY(?)").param(ids)
                .query((rs, i) -> Map.entry(rs.getLong(1), rs.getInt(2))).list()
                .forEach(e -> interval.put(e.getKey(), e.getValue()));
        LocalDate today = LocalDate.now(Remediation.CHINA);
        return outfalls.stream().map(o -> {
            int days = interval.getOrDefault(o.id(), defaultInterval);
            LocalDate from = last.getOrDefault(o.id(), o.createdAt().atZone(Remediation.CHINA).toLocalDate());
            LocalDate due = from.plusDays(days);
            return new PatrolStatus(o.id(), o.name(), o.nationalCode(), last.get(o.id()), days, due, due.isBefore(today),
                    Campaigns.leadParty(o));
        }).sorted(Comparator.comparing(PatrolStatus::due)).limit(limit).toList();
    }

    // ---- 规范化建设 ---------------------------------------------------------------------------------------------

    List<Standardization> standardization(long outfallId, CurrentUser user) {
        ledger.find(outfallId, user);
        Scope.Clause s = scope.of("s", user);
        Map<Item, Standardization> found = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT s.item, s.status, s.note, s.submitted_by, s.submitted_at, s.reviewed_by, s.reviewed_at, s.review_note
                FROM standardization_item s WHERE s.outfall_id = :o AND """ + s.sql())
                .param("o", outfallId).params(s.params())
                .query((rs, i) -> new Standardization(Item.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getString(6), Campaigns.instant(rs, 7), rs.getString(8)))
                .list().forEach(x -> found.put(x.item(), x));
        List<Standardization> all = new ArrayList<>();
        for (Item item : Item.values()) {
            all.add(found.getOrDefault(item, new Standardization(item, "MISSING", null, null, null, null, null, null)));
        }
        return all;
    }

    /** The 规范化建设 checklists of many outfalls the caller can see, in one query (the duties page). */
    Map<Long, List<Standardization>> standardization(List<Long> outfallIds, CurrentUser user) {
        Scope.Clause s = scope.of("s", user);
        Map<Long, Map<Item, Standardization>> found = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT s.outfall_id, s.item, s.status, s.note, s.submitted_by, s.submitted_at, s.reviewed_by, s.reviewed_at, s.review_note
                FROM standardization_item s WHERE s.outfall_id = ANY(:o) AND """ + s.sql())
                .param("o", outfallIds.toArray(Long[]::new)).params(s.params())
                .query((rs, i) -> Map.entry(rs.getLong(1), new Standardization(Item.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7),
                        Campaigns.instant(rs, 8), rs.getString(9))))
                .list().forEach(e -> found.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).put(e.getValue().item(), e.getValue()));
        Map<Long, List<Standardization>> out = new LinkedHashMap<>();
        for (Long id : outfallIds) {
            Map<Item, Standardization> have = found.getOrDefault(id, Map.of());
            List<Standardization> all = new ArrayList<>();
            for (Item item : Item.values()) {
                all.add(have.getOrDefault(item, new Standardization(item, "MISSING", null, null, null, null, null, null)));
            }
            out.put(id, all);
        }
        return out;
    }

    /** The party submits an item as built, with evidence files attached before (owner "standardization", id = outfall). */
    @Transactional
    Standardization submit(long outfallId, Item item, String note, CurrentUser user) {
        requirePartyOrRegulator(user);
        Outfall o = ledger.find(outfallId, user);
        List<FieldProblem> problems = new ArrayList<>();
        if (item == null) {
            problems.add(FieldProblem.of("item", null, "须选择建设项目", "choose the item"));
        }
        Evidence.checkReport(files, STANDARD_FILES + ":" + (item == null ? "" : item.name()), outfallId, "note", note,
                "须说明建设情况", "describe what was built", problems);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        jdbc.sql("""
                INSERT INTO standardization_item (outfall_id, item, region_code, water_body_id, party_id, status, note,
                                                  submitted_by, submitted_at)
                VALUES (?, ?, ?, ?, ?, 'SUBMITTED', ?, ?, now())
                ON CONFLICT (outfall_id, item) DO UPDATE SET status = 'SUBMITTED', note = EXCLUDED.note,
                    submitted_by = EXCLUDED.submitted_by, submitted_at = now(), reviewed_by = NULL, reviewed_at = NULL,
                    review_note = NULL""")
                .params(outfallId, item.name(), o.regionCode(), o.waterBodyId(), Campaigns.leadParty(o), note.trim(),
                        user.username()).update();
        Standardization s = standardization(outfallId, user).stream().filter(x -> x.item() == item).findFirst().orElseThrow();
        audit.record(user, "SUBMIT", "standardization_item", outfallId + ":" + item, null, null, s);
        return s;
    }

    /** The regulator accepts a submitted item or sends it back with a reason. */
    @Transactional
    Standardization review(long outfallId, Item item, boolean accept, String note, CurrentUser user) {
        Campaigns.requireRegulator(user);
        ledger.find(outfallId, user);
        Standardization before = standardization(outfallId, user).stream().filter(x -> x.item() == item).findFirst().orElseThrow();
        if (!"SUBMITTED".equals(before.status())) {
            throw new InvalidInputException(FieldProblem.of("status", before.status(), "只能审核已提交的项目", "only a submitted item can be reviewed"));
        }
        Evidence.requireReason(accept, note, "reviewNote");
        jdbc.sql("UPDATE standardization_item SET status = ?, reviewed_by = ?, reviewed_at = now(), review_note = ? WHERE outfall_id = ? AND item = ?")
                .params(accept ? "ACCEPTED" : "REJECTED", user.username(), Campaigns.blank(note) ? null : note.trim(), outfallId,
                        item.name()).update();
        Standardization after = standardization(outfallId, user).stream().filter(x -> x.item() == item).findFirst().orElseThrow();
        audit.record(user, accept ? "ACCEPT" : "SEND_BACK", "standardization_item", outfallId + ":" + item, note, before, after);
        return after;
    }
}
