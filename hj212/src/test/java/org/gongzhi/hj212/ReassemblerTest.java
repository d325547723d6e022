package org.gongzhi.hj212;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ReassemblerTest {

    private static Hj212Packet part(int pnum, int pno, String mn, String data) {
        return Hj212Packet.parseSegment("QN=2016080108585753" + pno + ";ST=32;CN=2061;PW=123456;MN=" + mn + ";Flag=7;PNUM="
            + pnum + ";PNO=" + pno + ";CP=&&DataTime=20160801080000;" + data + "&&");
    }

    @Test
    void appendixC49PartsAreJoined() {
        List<SharedData.Line> lines = SharedData.packets("hj212-samples.txt");
        Hj212Packet p1 = null, p2 = null;
        for (SharedData.Line l : lines) {
            if (l.packetText().contains("Flag=6;PNUM=2;PNO=1")) {
                p1 = Hj212Packet.decodeFrame(l.packet());
            }
            if (l.packetText().contains("Flag=6;PNUM=2;PNO=2")) {
                p2 = Hj212Packet.decodeFrame(l.packet());
            }
        }
        Hj212Reassembler r = new Hj212Reassembler();
        assertThat(r.offer(p2, 0)).isEmpty(); // out of order
        assertThat(r.pending()).isEqualTo(1);
        Hj212Reassembler.Assembled a = r.offer(p1, 10).orElseThrow();
        assertThat(r.pending()).isZero();
        assertThat(a.parts()).containsExactly(p1, p2);
        Hj212Packet m = a.packet();
        assertThat(m.pnum()).isEqualTo(-1);
        assertThat(m.splitFlag()).isFalse();
        assertThat(m.qn()).isEqualTo(p1.qn());
        assertThat(m.cp().getAll("DataTime")).containsExactly("20160801080000");
        assertThat(m.cp().factors()).extracting(Factor::code).containsExactly("w00000", "w01001", "w01018");
        assertThat(m.cp().factor("w01018").cou()).hasValue(63.0);
    }

    @Test
    void nonPartsPassThrough() {
        Hj212Packet p = Hj212Packet.parseSegment("QN=1;ST=32;CN=2011;MN=1;Flag=5;CP=&&&&");
        assertThat(new Hj212Reassembler().offer(p, 0)).map(Hj212Reassembler.Assembled::packet).contains(p);
    }

    @Test
    void timeoutDropsIncompleteUploads() {
        Hj212Reassembler r = new Hj212Reassembler(new Hj212Reassembler.Config(10, 8, 16000, 1000));
        r.offer(part(3, 1, "A", "a-Rtd=1"), 0);
        r.offer(part(3, 2, "A", "b-Rtd=1"), 500);
        assertThat(r.expire(900)).isEmpty();
        List<Hj212Reassembler.Dropped> dropped = r.expire(1001);
        assertThat(dropped).hasSize(1);
        assertThat(dropped.get(0).partsReceived()).hasSize(2);
        assertThat(dropped.get(0).reason()).contains("timed out");
        assertThat(r.pending()).isZero();
    }

    @Test
    void memoryIsBounded() {
        Hj212Reassembler r = new Hj212Reassembler(new Hj212Reassembler.Config(2, 4, 200, 60000));
        r.offer(part(2, 1, "A", "x-Rtd=1"), 0);
        r.offer(part(2, 1, "B", "x-Rtd=1"), 0);
        r.offer(part(2, 1, "C", "x-Rtd=1"), 0); // evicts A
        assertThat(r.pending()).isEqualTo(2);
        assertThat(r.offer(part(9, 1, "D", "x-Rtd=1"), 0)).isEmpty(); // PNUM over maxParts
        Optional<Hj212Reassembler.Assembled> none = r.offer(part(2, 2, "A", "y-Rtd=1"), 0);
        assertThat(none).isEmpty(); // A's first part is gone
        List<Hj212Reassembler.Dropped> dropped = r.expire(1);
        assertThat(dropped).extracting(Hj212Reassembler.Dropped::reason)
            .anySatisfy(s -> assertThat(s).contains("evicted")).anySatisfy(s -> assertThat(s).contains("maxParts"));
        // byte limit
        String big = "v-Rtd=" + "1".repeat(150);
        r.offer(part(2, 1, "E", big), 0);
        assertThat(r.offer(part(2, 2, "E", big), 0)).isEmpty();
        assertThat(r.expire(2)).anySatisfy(d -> assertThat(d.reason()).contains("bytes"));
    }

    @Test
    void resentPartReplacesTheEarlierCopy() {
        Hj212Reassembler r = new Hj212Reassembler();
        r.offer(part(2, 1, "A", "a-Rtd=1"), 0);
        r.offer(part(2, 1, "A", "a-Rtd=2"), 0);
        Hj212Packet m = r.offer(part(2, 2, "A", "b-Rtd=3"), 0).orElseThrow().packet();
        assertThat(m.cp().getDouble("a-Rtd")).isEqualTo(2.0);
        assertThat(m.cp().getDouble("b-Rtd")).isEqualTo(3.0);
    }
}
