package org.gongzhi.requests;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Jurisdiction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SQL of requests. Every staff read carries the jurisdiction clause ({@link #scope}): a regional bureau sees the
 * requests of its region and those dispatched to it or first received by it (首接负责); a basin bureau those
 * dispatched to or first received by it; a responsible party none (a tip-off's material never goes to the accused,
 * 信访工作条例 Art 30).
 */
@Repository
class RequestStore {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    RequestStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The WHERE clause that limits requests to what the user may see; binds :jPrefix and :jOrg as needed. */
    static String scope(Jurisdiction j) {
        return switch (j.scope()) {
            case NATIONAL -> "TRUE";
            case REGION -> "(r.region_code LIKE :jPrefix OR r.assigned_org_id = :jOrg OR r.first_org_id = :jOrg)";
            case BASIN -> "(r.assigned_org_id = :jOrg OR r.first_org_id = :jOrg)";
            case PARTY -> "FALSE";
        };
    }

    static JdbcClient.StatementSpec bindScope(JdbcClient.StatementSpec spec, CurrentUser user) {
        return switch (user.jurisdiction().scope()) {
            case NATIONAL, PARTY -> spec;
            case REGION -> spec.param("jPrefix", user.jurisdiction().regionPrefix() + "%").param("jOrg", user.organizationId());
            case BASIN -> spec.param("jOrg", user.organizationId());
        };
    }

    record NewRequest(String token, String serviceCode, Request.Channel channel, String description,
                      Map<String, String> attributes, Long outfallId, String outfallCode, Double longitude, Double latitude,
                      String address, String regionCode, String routedBy, long orgId, String contactName,
                      String contactPhone, String contactEmail, String deviceId, String client, Instant receivedAt,
                      Instant responseDue, Instant resolveDue) {
    }

    long insert(NewRequest n) {
        return jdbc.sql("""
                INSERT INTO public_request (token, service_code, channel, status, description, attributes, outfall_id,
                    outfall_code, longitude, latitude, address, region_code, routed_by, first_org_id, assigned_org_id,
                    contact_name, contact_phone, contact_email, device_id, client, received_at, response_due,
                    resolve_due, updated_at)
                VALUES (:token, :service, :channel, 'RECEIVED', :description, CAST(:attributes AS jsonb), :outfallId,
                    :outfallCode, :lon, :lat, :address, :region, :routedBy, :org, :org, :name, :phone, :email, :device,
                    :client, :received, :responseDue, :resolveDue, :received)
                RETURNING id""")
                .param("token", n.token()).param("service", n.serviceCode()).param("channel", n.channel().name())
                .param("description", n.description()).param("attributes", json.writeValueAsString(n.attributes()))
                .param("outfallId", n.outfallId()).param("outfallCode", n.outfallCode()).param("lon", n.longitude())
                .param("lat", n.latitude()).param("address", n.address()).param("region", n.regionCode())
                .param("routedBy", n.routedBy()).param("org", n.orgId()).param("name", n.contactName())
                .param("phone", n.contactPhone()).param("email", n.contactEmail()).param("device", n.deviceId())
                .param("client", n.client()).param("received", ts(n.receivedAt()))
                .param("responseDue", ts(n.responseDue())).param("resolveDue", ts(n.resolveDue()))
                .query(Long.class).single();
    }

    long count() {
        return jdbc.sql("SELECT count(*) FROM public_request").query(Long.class).single();
    }

    /** Any request by id, without scope: for the system's own steps (intake, the requester's token, jobs). */
    Optional<Request> byId(long id) {
        return jdbc.sql(SELECT + " WHERE r.id = :id").param("id", id).query(this::map).optional();
    }

    /** Requests by id, without scope, in the order of {@code ids} (public views choose what to show of them). */
    List<Request> byIds(List<Long> ids) {
        Map<Long, Request> found = new java.util.HashMap<>();
        jdbc.sql(SELECT + " WHERE r.id = ANY(:ids)").param("ids", ids.toArray(Long[]::new)).query(this::map).list()
                .forEach(r -> found.put(r.id(), r));
        return ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    Optional<Request> byToken(String token) {
        return jdbc.sql(SELECT + " WHERE r.token = :token").param("token", token).query(this::map).optional();
    }

    /** One request if the user may see it. */
    Optional<Request> find(long id, CurrentUser user) {
        var spec = jdbc.sql(SELECT + " WHERE r.id = :id AND " + scope(user.jurisdiction())).param("id", id);
        return bindScope(spec, user).query(this::map).optional();
    }

    /** Filters of the staff list. */
    record Filter(Request.Status status, String serviceCode, Boolean overdue, boolean mine, Request.Moderation moderation,
                  int page, int size) {
    }

    List<Request> list(Filter f, CurrentUser user) {
        StringBuilder where = new StringBuilder(scope(user.jurisdiction()));
        if (f.status() != null) {
            where.append(" AND r.status = :status");
        }
        if (f.serviceCode() != null) {
            where.append(" AND r.service_code = :service");
        }
        if (Boolean.TRUE.equals(f.overdue())) {
            where.append(" AND r.status NOT IN ('RESPONDED', 'CLOSED') AND now() > CASE WHEN r.responded_at IS NULL "
                    + "THEN r.response_due ELSE r.resolve_due END");
        }
        if (f.mine()) {
            where.append(" AND r.assigned_org_id = :myOrg");
        }
        if (f.moderation() != null) {
            where.append(" AND r.moderation = :moderation");
        }
        var spec = jdbc.sql(SELECT + " WHERE " + where + " ORDER BY r.received_at DESC, r.id DESC LIMIT :limit OFFSET :offset")
                .param("limit", f.size()).param("offset", (long) f.page() * f.size());
        if (f.status() != null) {
            spec = spec.param("status", f.status().name());
        }
        if (f.serviceCode() != null) {
            spec = spec.param("service", f.serviceCode());
        }
        if (f.mine()) {
            spec = spec.param("myOrg", user.organizationId());
        }
        if (f.moderation() != null) {
            spec = spec.param("moderation", f.moderation().name());
        }
        return bindScope(spec, user).query(this::map).list();
    }

    /** Open requests of a category within {@code meters} of a point or at the same outfall, received since {@code since}. */
    List<Request> openNearby(String serviceCode, String outfallCode, Double lon, Double lat, double meters, Instant since) {
        return jdbc.sql(SELECT + " " + """
                 WHERE r.service_code = :service AND r.status <> 'CLOSED' AND r.duplicate_of IS NULL AND r.received_at >= :since
                   AND ((:code::text IS NOT NULL AND r.outfall_code = :code)
                     OR (:lon::float8 IS NOT NULL AND r.longitude IS NOT NULL
                         AND power((r.longitude - :lon) * cos(radians(:lat)) * 111320, 2) + power((r.latitude - :lat) * 110540, 2)
                             <= power(:meters, 2)))
                 ORDER BY r.received_at DESC LIMIT 10""")
                .param("service", serviceCode).param("since", ts(since)).param("code", outfallCode)
                .param("lon", lon).param("lat", lat).param("meters", meters).query(this::map).list();
    }

    /** Applies a change under optimistic locking; false when someone else changed the request first. */
    boolean update(Request r, int expectedVersion) {
        return jdbc.sql("""
                UPDATE public_request SET status = :status, assigned_org_id = :assigned, responded_at = :respondedAt,
                    replied_at = :repliedAt, closed_at = :closedAt, reminded_at = :remindedAt, escalated_at = :escalatedAt,
                    reply = :reply, resolved = :resolved, rating = :rating, rated_at = :ratedAt,
                    reopen_count = :reopenCount, duplicate_of = :duplicateOf, moderation = :moderation,
                    resolve_due = :resolveDue, updated_at = :updatedAt, version = version + 1
                WHERE id = :id AND version = :version""")
                .param("status", r.status().name()).param("assigned", r.assignedOrgId())
                .param("respondedAt", ts(r.respondedAt())).param("repliedAt", ts(r.repliedAt()))
                .param("closedAt", ts(r.closedAt())).param("remindedAt", ts(r.remindedAt()))
                .param("escalatedAt", ts(r.escalatedAt())).param("reply", r.reply()).param("resolved", r.resolved())
                .param("rating", r.rating() == null ? null : r.rating().name()).param("ratedAt", ts(r.ratedAt()))
                .param("reopenCount", r.reopenCount()).param("duplicateOf", r.duplicateOf())
                .param("moderation", r.moderation().name()).param("resolveDue", ts(r.resolveDue()))
                .param("updatedAt", ts(r.updatedAt())).param("id", r.id()).param("version", expectedVersion)
                .update() == 1;
    }

    void event(long requestId, Instant at, RequestEvent.Kind kind, Request.Status status, String actor, Long orgId,
               String note, boolean isPublic) {
        jdbc.sql("""
                INSERT INTO request_event (request_id, at, kind, status, actor, org_id, note, public)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(requestId, ts(at), kind.name(), status.name(), actor, orgId, note, isPublic).update();
    }

    List<RequestEvent> events(long requestId, boolean publicOnly) {
        return jdbc.sql(EVENTS + " WHERE request_id = ?" + (publicOnly ? " AND public" : "") + " ORDER BY id")
                .param(requestId).query(RequestStore::event).list();
    }

    /** Public events in a time window, for the Open311 update feed. */
    List<RequestEvent> publicEvents(Instant from, Instant to, int limit) {
        return jdbc.sql(EVENTS + " WHERE public AND at >= ? AND at < ? ORDER BY at, id LIMIT ?")
                .params(ts(from), ts(to), limit).query(RequestStore::event).list();
    }

    /** Requests past a deadline that have not been reminded (or escalated) yet, for the deadline job. */
    List<Request> overdueUnflagged(Instant now) {
        return jdbc.sql(SELECT + " " + """
                 WHERE r.status NOT IN ('RESPONDED', 'CLOSED')
                   AND :now > CASE WHEN r.responded_at IS NULL THEN r.response_due ELSE r.resolve_due END
                   AND (r.reminded_at IS NULL OR r.escalated_at IS NULL) LIMIT 500""")
                .param("now", ts(now)).query(this::map).list();
    }

    private static final String EVENTS = "SELECT id, request_id, at, kind, status, actor, org_id, note, public FROM request_event";

    private static RequestEvent event(ResultSet rs, int i) throws SQLException {
        return new RequestEvent(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                RequestEvent.Kind.valueOf(rs.getString(4)), Request.Status.valueOf(rs.getString(5)), rs.getString(6),
                (Long) rs.getObject(7), rs.getString(8), rs.getBoolean(9));
    }

    static final String SELECT = """
            SELECT r.id, r.token, r.service_code, r.channel, r.status, r.description, r.attributes::text, r.outfall_id,
                   r.outfall_code, r.longitude, r.latitude, r.address, r.region_code, r.routed_by, r.first_org_id,
                   r.assigned_org_id, r.contact_name, r.contact_phone, r.contact_email, r.device_id, r.client,
                   r.received_at, r.response_due, r.resolve_due, r.responded_at, r.replied_at, r.closed_at,
                   r.reminded_at, r.escalated_at, r.reply, r.resolved, r.rating, r.rated_at, r.reopen_count,
                   r.duplicate_of, r.moderation, r.updated_at, r.version
            FROM public_request r""";

    private Request map(ResultSet rs, int i) throws SQLException {
        Map<String, String> attributes = json.readValue(rs.getString(7), new TypeReference<Map<String, String>>() { });
        return new Request(rs.getLong(1), rs.getString(2), rs.getString(3), Request.Channel.valueOf(rs.getString(4)),
                Request.Status.valueOf(rs.getString(5)), rs.getString(6), attributes, (Long) rs.getObject(8),
                rs.getString(9), (Double) rs.getObject(10), (Double) rs.getObject(11), rs.getString(12), rs.getString(13),
                rs.getString(14), rs.getLong(15), rs.getLong(16), rs.getString(17), rs.getString(18), rs.getString(19),
                rs.getString(20), rs.getString(21), instant(rs, 22), instant(rs, 23), instant(rs, 24), instant(rs, 25),
                instant(rs, 26), instant(rs, 27), instant(rs, 28), instant(rs, 29), rs.getString(30),
                (Boolean) rs.getObject(31), rs.getString(32) == null ? null : Request.Rating.valueOf(rs.getString(32)),
                instant(rs, 33), rs.getInt(34), (Long) rs.getObject(35), Request.Moderation.valueOf(rs.getString(36)),
                instant(rs, 37), rs.getInt(38));
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
