package org.gongzhi.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ModelAndUnitsTest {

    private static final List<String> F = Options.DEFAULT_FACTORS;

    @Test
    void valuesAreRealisticWithAMorningPeak() {
        ValueModel m = new ValueModel(212, 3, F, 0, 0, false);
        double morning = 0;
        double evening = 0;
        int days = 30;
        for (int d = 0; d < days; d++) {
            LocalDateTime day = LocalDateTime.of(2025, 3, 1, 0, 0).plusDays(d);
            morning += m.realtime(day.withHour(9)).get(0).rtd();
            evening += m.realtime(day.withHour(21)).get(0).rtd();
            for (ValueModel.FactorValue v : m.realtime(day.plusHours(d % 24))) {
                assertThat(v.flag()).isEqualTo("N");
                assertThat(v.exceeded()).isFalse();
                switch (v.code()) {
                    case "w01018" -> assertThat(v.rtd()).isBetween(10.0, 50.0);
                    case "w21003" -> assertThat(v.rtd()).isBetween(0.2, 5.0);
                    case "w21011" -> assertThat(v.rtd()).isBetween(0.05, 0.5);
                    case "w21001" -> assertThat(v.rtd()).isBetween(3.0, 15.0);
                    case "w01001" -> assertThat(v.rtd()).isBetween(6.0, 9.0);
                    case "w00000" -> assertThat(v.rtd()).isBetween(10.0, 600.0);
                    default -> throw new AssertionError(v.code());
                }
            }
        }
        assertThat(morning / days).isGreaterThan(evening / days * 1.2);
    }

    @Test
    void exceedanceAndFlagRatesFollowTheOptions() {
        ValueModel m = new ValueModel(1, 0, F, 0.1, 0.05, false);
        int values = 0;
        int over = 0;
        int flagged = 0;
        Set<String> flags = new HashSet<>();
        LocalDateTime t = LocalDateTime.of(2025, 3, 1, 0, 0);
        for (int i = 0; i < 4000; i++) {
            for (ValueModel.FactorValue v : m.realtime(t.plusSeconds(30L * i))) {
                if (v.code().equals("w00000")) {
                    continue; // flow has no limit
                }
                values++;
                ValueModel.Profile p = ValueModel.profile(v.code());
                boolean beyond = v.rtd() > p.high() || !Double.isNaN(p.low()) && v.rtd() < p.low();
                assertThat(beyond).as("%s %s", v.code(), v.rtd()).isEqualTo(v.exceeded());
                over += beyond ? 1 : 0;
                if (!v.flag().equals("N")) {
                    flagged++;
                    flags.add(v.flag());
                }
            }
        }
        assertThat(over / (double) values).isBetween(0.085, 0.115);
        assertThat(flagged / (double) values).isBetween(0.04, 0.06);
        assertThat(flags).containsExactlyInAnyOrder("D", "M", "C", "F", "T", "B");
    }

    @Test
    void aggregatesAreConsistent() {
        ValueModel m = new ValueModel(5, 1, F, 0, 0, false);
        LocalDateTime t = LocalDateTime.of(2025, 3, 1, 10, 0);
        List<ValueModel.FactorValue> hour = m.aggregate(2061, t, 3600);
        ValueModel.FactorValue flow = hour.get(5);
        assertThat(flow.code()).isEqualTo("w00000");
        assertThat(flow.cou()).isCloseTo(flow.avg() * 3600 / 1000, org.assertj.core.data.Offset.offset(0.5));
        for (ValueModel.FactorValue v : hour) {
            assertThat(v.min()).isLessThanOrEqualTo(v.avg());
            assertThat(v.avg()).isLessThanOrEqualTo(v.max());
            if (v.code().equals("w01018")) {
                // G = D·C·10⁻³ kg
                assertThat(v.cou()).isCloseTo(v.avg() * flow.cou() / 1000, org.assertj.core.data.Offset.offset(0.05));
            }
            if (v.code().equals("w01001")) {
                assertThat(v.cou()).isNaN();
            }
        }
        ValueModel.FactorValue day = m.aggregate(2031, t.withHour(0), 86_400).get(5);
        assertThat(day.cou()).isGreaterThan(flow.cou() * 10);
    }

    @Test
    void qnsAreUniqueAndIncreasingWithinAMillisecond() {
        QnSource q = new QnSource(ZoneId.of("Asia/Shanghai"));
        long now = 1_740_787_200_000L; // 2025-03-01T08:00:00+08:00
        String a = q.next(now);
        String b = q.next(now);
        String c = q.next(now - 5);
        assertThat(a).isEqualTo("20250301080000000");
        assertThat(b).isEqualTo("20250301080000001");
        assertThat(c).isEqualTo("20250301080000002");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            assertThat(seen.add(q.next(now))).isTrue();
        }
    }

    @Test
    void timesAndNumbers() {
        LocalDateTime t = LocalDateTime.of(2025, 3, 1, 8, 7, 6, 5_000_000);
        assertThat(Times.time(t)).isEqualTo("20250301080706");
        assertThat(Times.qn(t)).isEqualTo("20250301080706005");
        assertThat(Times.parse("20250301080706")).isEqualTo(t.withNano(0));
        assertThat(Times.parse("2025030108070")).isNull();
        assertThat(Times.align(t, 600)).isEqualTo(LocalDateTime.of(2025, 3, 1, 8, 0));
        assertThat(Times.align(t, 86_400)).isEqualTo(LocalDateTime.of(2025, 3, 1, 0, 0));
        assertThat(Num.fmt(12.345, 1)).isEqualTo("12.3");
        assertThat(Num.fmt(0.05, 2)).isEqualTo("0.05");
        assertThat(Num.fmt(-1.5, 0)).isEqualTo("-2");
        assertThat(Num.fmt(-0.001, 2)).isEqualTo("0.00");
        assertThat(Num.fmt(7, 2)).isEqualTo("7.00");
        assertThat(Num.fmt(0, 3)).isEqualTo("0.000");
        assertThat(Num.fmt(123456.5, 0)).isEqualTo("123457");
        // the char-array formatting gives what BigDecimal's half-up rounding of the scaled value gives
        java.util.SplittableRandom r = new java.util.SplittableRandom(2051);
        for (int i = 0; i < 20_000; i++) {
            double v = (r.nextDouble() - 0.3) * Math.pow(10, r.nextInt(7));
            int decimals = r.nextInt(4);
            long scaled = Math.round(Math.abs(v) * Math.pow(10, decimals));
            String expected = (v < 0 && scaled != 0 ? "-" : "")
                + java.math.BigDecimal.valueOf(scaled, decimals).toPlainString();
            assertThat(Num.fmt(v, decimals)).as("%s with %d decimals", v, decimals).isEqualTo(expected);
        }
    }

    @Test
    void optionsAndMns() {
        Options o = Options.parse("--devices=3", "--mn-prefix=010000A89", "--mn-length=24", "--mn-start=42");
        assertThat(o.mn(0)).isEqualTo("010000A89000000000000042").hasSize(24);
        assertThat(Options.parse("--devices=2").mn(1)).isEqualTo("88888880000002");
        assertThat(Options.parse().packetsPerDevice).isEqualTo(100);
        assertThat(Options.parse("--duration=5").packetsPerDevice).isZero();
        assertThat(Options.parse("--start-time=2025-03-01T08:00:00").startTime)
            .isEqualTo(LocalDateTime.of(2025, 3, 1, 8, 0));
        assertThat(Options.parse("--chaos").chaos).isEqualTo(0.1);
        Options c = Options.parse("--chaos=0.25", "--devices=8");
        assertThat(java.util.stream.IntStream.range(0, 8).filter(c::chaosDevice).count()).isEqualTo(2);
        assertThatThrownBy(() -> Options.parse("--devices=100000", "--mn-prefix=8888888888", "--mn-length=14"))
            .isInstanceOf(Options.UsageException.class);
        assertThatThrownBy(() -> Options.parse("--cn=2011,9014")).hasMessageContaining("--cn");
        assertThatThrownBy(() -> Options.parse("--chaos-kinds=bad-crc")).hasMessageContaining("--chaos");
        assertThatThrownBy(() -> Options.parse("--chaos", "--chaos-kinds=nope")).hasMessageContaining("unknown chaos");
        assertThatThrownBy(() -> Options.parse("--min-interval=7")).hasMessageContaining("--min-interval");
        assertThatThrownBy(() -> Options.parse("--port=1", "--port=2")).hasMessageContaining("twice");
    }

    @Test
    void jsonRoundTrip() {
        Object v = Json.parse(Json.write(java.util.Map.of("a", List.of(1L, 2.5, "x\"\n\u0001", true))));
        assertThat(v).isEqualTo(java.util.Map.of("a", List.of(1L, 2.5, "x\"\n\u0001", true)));
        assertThat(Json.write(3.0)).isEqualTo("3");
        assertThat(Json.write(Double.NaN)).isEqualTo("null");
    }
}
