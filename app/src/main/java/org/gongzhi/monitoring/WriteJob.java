package org.gongzhi.monitoring;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.gongzhi.hj212.Hj212Packet;

/** What the gateway hands to the {@link BatchWriter}. */
sealed interface WriteJob {

    /**
     * An authenticated packet to archive and, for 2011/2051/2061/2031, to store as measurement rows. For a split
     * upload, {@code packet} is the reassembled whole and {@code parts} the frames as received (each archived and
     * each acknowledged). {@code done} completes after commit, or exceptionally when the batch failed.
     */
    record Store(Hj212Packet packet, List<Hj212Packet> parts, long outfallId, String remote, Instant receivedAt,
                 CompletableFuture<Stored> done) implements WriteJob {

        int estimatedRows() {
            return MeasurementKind.ofCn(packet.cn()) == null ? 1 : Math.max(1, packet.cp().factors().size());
        }
    }

    /** The outcome of a stored packet: rows new and rows already there (a resend). */
    record Stored(int inserted, int duplicates) {
    }

    /** A refused frame, for the rejected_frame log. */
    record Reject(Instant at, String remote, String mn, Integer cn, String reason, String detail, byte[] raw)
            implements WriteJob {
    }
}
