package org.gongzhi.hj212;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Hj212CrcTest {

    /** Reference vectors of hj212.md §2, checked there against independent Java and Python implementations. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&|1C80",
        "QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&|3240",
        "QN=20160801085857223;ST=23;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857; LA-Rtd=50.1&&|1E00",
        "ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817;B01-Rtd=36.91;011-Rtd=231.0,011-Flag=N;060-Rtd=1.803,060-Flag=N&&|3C00",
    })
    void annexAReferenceVectors(String segment, String crc) {
        assertThat(Hj212Crc.toHex(Hj212Crc.compute(segment))).isEqualTo(crc);
    }

    @Test
    void benchPacketCrcIsD941() {
        byte[] frame = SharedData.benchPacket();
        assertThat(Hj212Crc.compute(frame, 6, 437)).isEqualTo(0xD941);
    }

    /** The bit-by-bit algorithm exactly as hj212.md §2 writes it, to check the table against. */
    static int annexABitwise(byte[] data) {
        int reg = 0xFFFF;
        for (byte b : data) {
            reg = (reg >> 8) ^ (b & 0xFF);
            for (int k = 0; k < 8; k++) {
                int lsb = reg & 1;
                reg >>= 1;
                if (lsb != 0) {
                    reg ^= 0xA001;
                }
            }
        }
        return reg;
    }

    @Test
    void tableMatchesBitwiseAlgorithmOnRandomData() {
        Random rnd = new Random(212);
        for (int i = 0; i < 5000; i++) {
            byte[] b = new byte[rnd.nextInt(300)];
            rnd.nextBytes(b);
            assertThat(Hj212Crc.compute(b)).as("case %d", i).isEqualTo(annexABitwise(b));
            int off = b.length == 0 ? 0 : rnd.nextInt(b.length);
            int len = rnd.nextInt(b.length - off + 1);
            assertThat(Hj212Crc.compute(b, off, len)).as("slice case %d", i)
                .isEqualTo(Hj212Crc.computeSimple(b, off, len));
        }
    }

    @Test
    void slicedFormMatchesForEveryLengthUpTo64AndAllSingleBytes() {
        Random rnd = new Random(64);
        for (int n = 0; n <= 64; n++) {
            byte[] b = new byte[n];
            rnd.nextBytes(b);
            assertThat(Hj212Crc.compute(b)).as("length %d", n).isEqualTo(annexABitwise(b));
        }
        for (int v = 0; v < 256; v++) {
            byte[] one = {(byte) v};
            assertThat(Hj212Crc.compute(one)).isEqualTo(annexABitwise(one));
            byte[] nine = {1, 2, 3, 4, 5, 6, 7, 8, (byte) v};
            assertThat(Hj212Crc.compute(nine)).isEqualTo(annexABitwise(nine));
        }
    }

    @Test
    void isNotModbus() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Hj212Crc.modbus(check, 0, check.length)).isEqualTo(0x4B37); // CRC-16/MODBUS check value
        assertThat(Hj212Crc.compute(check)).isNotEqualTo(0x4B37);
    }

    /** hj212.md §2: only 256 distinct values, low byte one of 00 01 40 41 80 81 C0 C1. */
    @Test
    void effectivelyEightBitStrong() {
        Random rnd = new Random(7);
        Set<Integer> values = new HashSet<>();
        for (int i = 0; i < 20000; i++) {
            byte[] b = new byte[1 + rnd.nextInt(40)];
            rnd.nextBytes(b);
            int crc = Hj212Crc.compute(b);
            values.add(crc);
            assertThat(crc & 0xFF).isIn(0x00, 0x01, 0x40, 0x41, 0x80, 0x81, 0xC0, 0xC1);
        }
        assertThat(values).hasSizeLessThanOrEqualTo(256);
    }

    @Test
    void hexParsingAcceptsBothCases() {
        assertThat(Hj212Crc.parseHex4("1dc0".getBytes(StandardCharsets.US_ASCII), 0)).isEqualTo(0x1DC0);
        assertThat(Hj212Crc.parseHex4("1DC0".getBytes(StandardCharsets.US_ASCII), 0)).isEqualTo(0x1DC0);
        assertThat(Hj212Crc.parseHex4("&&23".getBytes(StandardCharsets.US_ASCII), 0)).isEqualTo(-1);
        assertThat(Hj212Crc.toHex(0x0a1b)).isEqualTo("0A1B");
    }
}
