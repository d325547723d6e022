package org.gongzhi.hj212;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Joins split uploads (Flag D=1, PNUM/PNO; hj212.md §3, App. C.49/C.50) back into one packet. Each part has its
 * own QN and CRC and repeats DataTime, so parts are grouped by MN + ST + CN + PNUM + DataTime. Memory is bounded:
 * at most {@code maxPendingGroups} incomplete groups (the oldest is evicted first), at most {@code maxParts} parts
 * per group, at most {@code maxTotalBytes} of segment per group, and groups older than {@code timeoutMillis} are
 * dropped by {@link #expire(long)}. Time is passed in (milliseconds from any clock) so tests need no sleeping.
 * Not thread-safe: use one per connection, or synchronise.
 *
 * <p>Acknowledgement is per part (§5): the gateway acks each part with A=1 as it arrives, independently of this.
 */
public final class Hj212Reassembler {

    /** Limits; {@link #defaults()} = 256 groups, 64 parts, 16000 bytes, 10 minutes. */
    public record Config(int maxPendingGroups, int maxParts, int maxTotalBytes, long timeoutMillis) {
        public Config {
            if (maxPendingGroups < 1 || maxParts < 1 || maxTotalBytes < 1 || timeoutMillis < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
            if (maxTotalBytes > 16_000) {
                throw new IllegalArgumentException("maxTotalBytes above 16000 is not supported");
            }
        }

        public static Config defaults() {
            return new Config(256, 64, 16_000, 10 * 60_000L);
        }
    }

    /** A complete upload: the merged packet (CrcKind NONE, PNUM/PNO removed, D cleared) and its parts by PNO. */
    public record Assembled(Hj212Packet packet, List<Hj212Packet> parts) {
    }

    /** Parts of an upload that will never complete (timeout, eviction, or over a limit). */
    public record Dropped(String mn, int cn, int pnum, List<Hj212Packet> partsReceived, String reason) {
    }

    private static final class Group {
        final Hj212Packet[] parts;
        final long createdMillis;
        int count;
        int bytes;

        Group(int pnum, long now) {
            parts = new Hj212Packet[pnum];
            createdMillis = now;
        }

        List<Hj212Packet> received() {
            List<Hj212Packet> l = new ArrayList<>(count);
            for (Hj212Packet p : parts) {
                if (p != null) {
                    l.add(p);
                }
            }
            return l;
        }
    }

    private final Config config;
    private final LinkedHashMap<String, Group> groups = new LinkedHashMap<>();
    private final List<Dropped> dropped = new ArrayList<>();

    public Hj212Reassembler(Config config) {
        this.config = Objects.requireNonNull(config);
    }

    public Hj212Reassembler() {
        this(Config.defaults());
    }

    /** Number of incomplete uploads held. */
    public int pending() {
        return groups.size();
    }

    /**
     * Offers a packet. A packet that is not a part (no valid PNUM/PNO) or a single-part upload completes at once.
     * Returns the assembled upload when this part completes it.
     */
    public Optional<Assembled> offer(Hj212Packet p, long nowMillis) {
        if (!p.isPart() || p.pnum() == 1) {
            return Optional.of(new Assembled(p, List.of(p)));
        }
        String dataTime = p.cp().get("DataTime");
        if (p.pnum() > config.maxParts()) {
            dropped.add(new Dropped(p.mn(), p.cn(), p.pnum(), List.of(p), "PNUM " + p.pnum() + " > maxParts"));
            return Optional.empty();
        }
        String key = p.mn() + '\u0000' + p.st() + '\u0000' + p.cn() + '\u0000' + p.pnum() + '\u0000' + dataTime;
        Group g = groups.get(key);
        if (g == null) {
            if (groups.size() >= config.maxPendingGroups()) {
                Iterator<Map.Entry<String, Group>> it = groups.entrySet().iterator();
                Map.Entry<String, Group> eldest = it.next();
                it.remove();
                drop(eldest.getValue(), "evicted: more than " + config.maxPendingGroups() + " incomplete uploads");
            }
            g = new Group(p.pnum(), nowMillis);
            groups.put(key, g);
        }
        Hj212Packet old = g.parts[p.pno() - 1];
        if (old == null) {
            g.count++;
        } else {
            g.bytes -= old.segmentLength(); // a resent part replaces the earlier copy
        }
        g.parts[p.pno() - 1] = p;
        g.bytes += p.segmentLength();
        if (g.bytes > config.maxTotalBytes()) {
            groups.remove(key);
            drop(g, "parts exceed " + config.maxTotalBytes() + " bytes");
            return Optional.empty();
        }
        if (g.count < g.parts.length) {
            return Optional.empty();
        }
        groups.remove(key);
        return Optional.of(merge(g));
    }

    /** Drops groups older than the timeout and returns them with any evicted since the last call. */
    public List<Dropped> expire(long nowMillis) {
        Iterator<Group> it = groups.values().iterator();
        while (it.hasNext()) {
            Group g = it.next();
            if (nowMillis - g.createdMillis > config.timeoutMillis()) {
                it.remove();
                drop(g, "timed out after " + config.timeoutMillis() + " ms with " + g.count + " of " + g.parts.length
                    + " parts");
            }
        }
        List<Dropped> out = new ArrayList<>(dropped);
        dropped.clear();
        return out;
    }

    private void drop(Group g, String reason) {
        Hj212Packet any = g.received().get(0);
        dropped.add(new Dropped(any.mn(), any.cn(), g.parts.length, g.received(), reason));
    }

    /** Header of part 1 without PNUM/PNO and with D cleared; CP groups of all parts, repeated DataTime dropped. */
    private static Assembled merge(Group g) {
        Hj212Packet first = g.parts[0];
        List<List<CpItem>> cp = new ArrayList<>();
        String dataTime = null;
        for (Hj212Packet part : g.parts) {
            for (List<CpItem> group : part.cp().groups()) {
                if (group.size() == 1 && group.get(0).key().equals("DataTime")) {
                    if (dataTime != null && dataTime.equals(group.get(0).value())) {
                        continue;
                    }
                    dataTime = group.get(0).value();
                }
                cp.add(group);
            }
        }
        int flag = first.flag() < 0 ? -1 : first.flag() & ~2;
        Hj212Message m = new Hj212Message(first.qn(), first.st(), first.cn(), first.pw(), first.mn(), flag, -1, -1, cp);
        Hj212Packet merged = Hj212Packet.parseSegment(Hj212Encoder.segment(m));
        return new Assembled(merged, List.of(g.parts));
    }
}
