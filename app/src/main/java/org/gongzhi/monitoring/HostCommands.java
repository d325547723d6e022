package org.gongzhi.monitoring;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.gongzhi.hj212.Hj212Commands;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.hj212.Hj212Packet;
import org.gongzhi.hj212.Hj212Replies;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Commands from the host to connected loggers (hj212.md §5, exchange 1): the connection each MN last
 * authenticated on, sending a command there, and tracking it in host_command until the logger's 9011 (QnRtn)
 * and 9012 (ExeRtn) arrive, or until it times out.
 */
@Service
class HostCommands {

    /** Where a logger is connected, with the ST/PW/version it speaks (commands repeat its PW). */
    record Session(Channel channel, Hj212Commands.Target target) {
    }

    record Command(long id, String mn, int cn, String qn, String params, String sentBy, Instant sentAt,
                   Instant answeredAt, Integer qnRtn, Integer exeRtn, String status) {
    }

    private final JdbcClient jdbc;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger qnSeq = new AtomicInteger();

    HostCommands(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void connected(String mn, Channel ch, Hj212Packet p) {
        Session s = sessions.get(mn);
        if (s == null || s.channel() != ch || !java.util.Objects.equals(s.target().pw(), p.pw())) {
            sessions.put(mn, new Session(ch, Hj212Commands.Target.of(p)));
        }
    }

    void disconnected(String mn, Channel ch) {
        sessions.computeIfPresent(mn, (k, s) -> s.channel() == ch ? null : s);
    }

    boolean isConnected(String mn) {
        Session s = sessions.get(mn);
        return s != null && s.channel().isActive();
    }

    /** A QN unique within this host for the millisecond: the time, with a counter in the milliseconds on clashes. */
    String nextQn() {
        LocalDateTime t = LocalDateTime.now(MeasurementStore.CHINA);
        int n = qnSeq.getAndIncrement() % 1000;
        return Hj212Commands.qn(t.truncatedTo(ChronoUnit.SECONDS)).substring(0, 14) + String.format("%03d", n);
    }

    /**
     * Sends a command built for the logger's session and tracks it. Empty when the logger is not connected here.
     */
    Optional<Command> send(String mn, String params, String by,
                           BiFunction<Hj212Commands.Target, String, Hj212Message> build) {
        Session s = sessions.get(mn);
        if (s == null || !s.channel().isActive()) {
            return Optional.empty();
        }
        String qn = nextQn();
        Hj212Message m = build.apply(s.target(), qn);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long id = jdbc.sql("""
                INSERT INTO host_command (mn, cn, qn, params, sent_by, sent_at, status) VALUES (?, ?, ?, ?, ?, ?, 'SENT')
                ON CONFLICT (mn, qn) DO NOTHING RETURNING id""")
                .params(mn, m.cn(), qn, params, by, Timestamp.from(now)).query(Long.class).single();
        s.channel().writeAndFlush(Unpooled.wrappedBuffer(Hj212Encoder.encode(m)));
        return Optional.of(new Command(id, mn, m.cn(), qn, params, by, now, null, null, null, "SENT"));
    }

    List<Command> recent(String mn, int limit) {
        return jdbc.sql("""
                SELECT id, mn, cn, qn, params, sent_by, sent_at, answered_at, qn_rtn, exe_rtn, status FROM host_command
                WHERE mn = ? ORDER BY id DESC LIMIT ?""").params(mn, limit)
                .query((rs, i) -> new Command(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(),
                        rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant(), (Integer) rs.getObject(9),
                        (Integer) rs.getObject(10), rs.getString(11)))
                .list();
    }

    /** In the writer's transaction: 9011/9012 packets of the batch answer tracked commands (matched by MN + QN). */
    static void recordAnswers(Connection conn, List<WriteJob.Store> stores) throws SQLException {
        PreparedStatement ps = null;
        try {
            for (WriteJob.Store s : stores) {
                Hj212Packet p = s.packet();
                if (p.cn() != 9011 && p.cn() != 9012) {
                    continue;
                }
                String qn = p.qn() != null ? p.qn() : p.cp().get("QN"); // 2005 style: QN inside CP
                if (qn == null) {
                    continue;
                }
                if (ps == null) {
                    ps = conn.prepareStatement("""
                            UPDATE host_command SET answered_at = ?,
                                qn_rtn = COALESCE(?, qn_rtn), exe_rtn = COALESCE(?, exe_rtn),
                                status = CASE WHEN ? IS NOT NULL THEN (CASE WHEN ? = 1 THEN 'DONE' ELSE 'FAILED' END)
                                              WHEN status IN ('DONE', 'FAILED') THEN status
                                              WHEN ? = 1 THEN 'ACCEPTED' ELSE 'REFUSED' END
                            WHERE mn = ? AND qn = ?""");
                }
                Integer qnRtn = p.cn() == 9011 ? intOrNull(p.cp().get("QnRtn")) : null;
                Integer exeRtn = p.cn() == 9012 ? intOrNull(p.cp().get("ExeRtn")) : null;
                ps.setTimestamp(1, Timestamp.from(s.receivedAt()));
                ps.setObject(2, qnRtn, java.sql.Types.INTEGER);
                ps.setObject(3, exeRtn, java.sql.Types.INTEGER);
                ps.setObject(4, exeRtn, java.sql.Types.INTEGER);
                ps.setObject(5, exeRtn, java.sql.Types.INTEGER);
                ps.setObject(6, qnRtn, java.sql.Types.INTEGER);
                ps.setString(7, p.mn());
                ps.setString(8, qn);
                ps.addBatch();
            }
            if (ps != null) {
                ps.executeBatch();
            }
        } finally {
            if (ps != null) {
                ps.close();
            }
        }
    }

    private static Integer intOrNull(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Scheduled(fixedDelayString = "${gongzhi.monitoring.commands.timeout-check-ms:60000}")
    void timeouts() {
        jdbc.sql("UPDATE host_command SET status = 'TIMEOUT' WHERE status IN ('SENT', 'ACCEPTED') AND sent_at < ?")
                .param(Timestamp.from(Instant.now().minus(java.time.Duration.ofMinutes(10)))).update();
    }

    /** The 9013 answer to a logger's 1013, then (as the standard's exchange goes) the 1012 time calibration. */
    static Hj212Message notifyAck(Hj212Packet p) {
        return Hj212Replies.notifyAck(p);
    }
}
