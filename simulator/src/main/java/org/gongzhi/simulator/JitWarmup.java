package org.gongzhi.simulator;

import java.time.LocalDateTime;
import java.util.List;
import org.gongzhi.hj212.Hj212Decoder;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.hj212.Hj212Packet;
import org.gongzhi.hj212.Hj212Replies;

/**
 * The load generator's own JIT warm-up ({@code --jit-warmup=S}): before any device connects, one throw-away logger
 * builds, encodes and decodes its uploads and decodes the 9014 answers, in memory, for S seconds. A fresh simulator
 * JVM runs this code interpreted at first, and an ack it is slow to read counts as ack latency: in the gateway
 * benchmark the first 3–4 s of a run against an already warm server had a p99 of 240–260 ms against ≈ 150 ms later
 * (docs/benchmarks.md, gateway session 4). Nothing here touches the network, the devices' counters or the acked-log.
 */
final class JitWarmup {

    private JitWarmup() {
    }

    /** Returns the number of uploads built (so that the work cannot be optimised away). */
    static long run(Options o, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        ValueModel model = new ValueModel(o.seed, 0, o.factors, o.exceedanceRate, o.flagRate,
            o.protocol == org.gongzhi.hj212.ProtocolVersion.V2005);
        PacketFactory factory = new PacketFactory(o.protocol, o.st, o.mn(0), o.wireFactors(), o.split ? o.splitCp : 0);
        QnSource qns = new QnSource(o.zone);
        Stats scratch = new Stats();
        long[] acked = {0};
        Hj212Decoder answers = new Hj212Decoder(r -> {
            if (r instanceof Hj212Packet p && p.qn() != null) {
                acked[0]++;
                scratch.latency(p.qn().length());
            }
        });
        Hj212Decoder uploads = new Hj212Decoder(r -> {
            if (r instanceof Hj212Packet p && Hj212Replies.needsDataAck(p)) {
                byte[] ack = Hj212Encoder.encode(Hj212Replies.dataAck(p));
                answers.feed(ack, 0, ack.length);
            }
        });
        int cn = o.cns[0];
        LocalDateTime t = LocalDateTime.of(2000, 1, 1, 0, 0);
        long built = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                t = t.plusMinutes(1);
                List<ValueModel.FactorValue> values = cn == 2011 ? model.realtime(t) : model.aggregate(cn, t, 60);
                for (Hj212Message m : factory.upload(cn, t, values, o.password(0), true, qns::next)) {
                    byte[] frame = Hj212Encoder.encode(m);
                    uploads.feed(frame, 0, frame.length);
                    built++;
                }
            }
        }
        return built + acked[0];
    }
}
