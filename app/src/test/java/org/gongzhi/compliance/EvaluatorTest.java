package org.gongzhi.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gongzhi.compliance.Evaluator.Context;
import org.gongzhi.compliance.Evaluator.Outcome;
import org.gongzhi.compliance.Evaluator.Rules;
import org.gongzhi.compliance.Evaluator.Sample;
import org.gongzhi.compliance.Evaluator.Status;
import org.gongzhi.compliance.Limit.Condition;
import org.gongzhi.compliance.Limit.Statistic;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases. Each names the clause it pins: anchors-and-standards.md (§1.4 exceedance and SNC rules,
 * §3.1 GB 18918-2002 Table 1, §3.3 GB 3838-2002 Table 1) and hj212.md (§7 data flags, §8 units).
 */
class EvaluatorTest {

    static final Rules RULES = Rules.defaults();
    static final LocalDate DAY = LocalDate.of(2024, 3, 1);
    /** Long after every test day, so every day is over. */
    static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

    static final Limit COD_1A = Limit.le("w01018", Statistic.DAILY_MEAN, "50", "mg/L");
    static final Limit NH3N_1A_WARM = Limit.le("w21003", Statistic.DAILY_MEAN, "5", "mg/L").withCondition(Condition.WATER_TEMP_GT_12);
    static final Limit NH3N_1A_COLD = Limit.le("w21003", Statistic.DAILY_MEAN, "8", "mg/L").withCondition(Condition.WATER_TEMP_LE_12);
    static final Limit TP_1A_OLD = Limit.le("w21011", Statistic.DAILY_MEAN, "1", "mg/L").withCondition(Condition.BUILT_BEFORE_2006);
    static final Limit TP_1A_NEW = Limit.le("w21011", Statistic.DAILY_MEAN, "0.5", "mg/L").withCondition(Condition.BUILT_FROM_2006);
    static final Limit PH = new Limit(null, null, null, null, null, "w01001", Statistic.DAILY_MEAN, Limit.Comparison.RANGE,
            null, new BigDecimal("6"), new BigDecimal("9"), "", Condition.NONE, "all", Limit.Source.NATIONAL, null, null, null, null);
    static final Limit DO_III = new Limit(null, null, null, null, null, "w01009", Statistic.DAILY_MEAN, Limit.Comparison.GE,
            new BigDecimal("5"), null, null, "mg/L", Condition.NONE, "all", Limit.Source.NATIONAL, null, null, null, null);

    /** {@code n} hourly values from 00:00 China time of {@code day}, each {@code value} with {@code flag}. */
    static List<Sample> hours(LocalDate day, int from, int n, double value, String flag) {
        List<Sample> out = new ArrayList<>();
        for (int h = from; h < from + n; h++) {
            out.add(Sample.of(day.atTime(h, 0).toString(), value, flag));
        }
        return out;
    }

    static List<Sample> hours(int n, double value) {
        return hours(DAY, 0, n, value, "N");
    }

    static List<Sample> concat(List<Sample> a, List<Sample> b) {
        List<Sample> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Nested
    class Boundaries {

        @Test
        void gb18918Table1_1A_COD_dailyMeanEqualToTheLimitIsCompliant_s1_4a() {
            Outcome o = Evaluator.daily(COD_1A, hours(24, 50.0), DAY, LATER, RULES);
            assertThat(o.status()).isEqualTo(Status.COMPLIANT);
            assertThat(o.value()).isEqualByComparingTo("50");
            assertThat(o.validCount()).isEqualTo(24);
        }

        @Test
        void gb18918Table1_1A_COD_justAboveIsAnExceedance_s1_4a() {
            // (23 × 50 + 50.1) / 24 = 1200.1 / 24 = 50.0041666…; (50.0041666 − 50) / 50 × 100 = 0.00833 % → 0.01
            Outcome o = Evaluator.daily(COD_1A, concat(hours(23, 50.0), hours(DAY, 23, 1, 50.1, "N")), DAY, LATER, RULES);
            assertThat(o.status()).isEqualTo(Status.EXCEEDANCE);
            assertThat(o.exceedancePercent()).isEqualByComparingTo("0.01");
        }

        @Test
        void gb18918Table1_1A_COD_60IsTwentyPercentOver_s1_4a() {
            Outcome o = Evaluator.daily(COD_1A, hours(24, 60.0), DAY, LATER, RULES);
            assertThat(o.status()).isEqualTo(Status.EXCEEDANCE);
            assertThat(o.exceedancePercent()).isEqualByComparingTo("20.00");
            assertThat(o.ratio()).isEqualByComparingTo("1.2");
        }

        @Test
        void decimalMeanOfPointTwoPointThreePointFourEqualsTheTpLimitExactly_s1_4a() {
            // 8 × 0.2 + 8 × 0.3 + 8 × 0.4 = 7.2; 7.2 / 24 = 0.3 = limit → compliant (binary doubles would say 0.30000000000000004)
            List<Sample> s = concat(concat(hours(DAY, 0, 8, 0.2, "N"), hours(DAY, 8, 8, 0.3, "N")), hours(DAY, 16, 8, 0.4, "N"));
            Limit tp = Limit.le("w21011", Statistic.DAILY_MEAN, "0.3", "mg/L");
            assertThat(Evaluator.daily(tp, s, DAY, LATER, RULES).status()).isEqualTo(Status.COMPLIANT);
        }

        @Test
        void phRangeSixToNine_edgesCompliant_outsideMirrored_s3_1_s1_4a() {
            assertThat(Evaluator.daily(PH, hours(24, 9.0), DAY, LATER, RULES).status()).isEqualTo(Status.COMPLIANT);
            assertThat(Evaluator.daily(PH, hours(24, 6.0), DAY, LATER, RULES).status()).isEqualTo(Status.COMPLIANT);
            // (9.5 − 9) / 9 × 100 = 5.555… → 5.56
            assertThat(Evaluator.daily(PH, hours(24, 9.5), DAY, LATER, RULES).exceedancePercent()).isEqualByComparingTo("5.56");
            // (6 − 5.4) / 6 × 100 = 10.00
            assertThat(Evaluator.daily(PH, hours(24, 5.4), DAY, LATER, RULES).exceedancePercent()).isEqualByComparingTo("10.00");
        }

        @Test
        void gb3838ClassIII_DO_isAMinimum_mirroredPercent_s3_3_s1_4a() {
            assertThat(Evaluator.daily(DO_III, hours(24, 5.0), DAY, LATER, RULES).status()).isEqualTo(Status.COMPLIANT);
            Outcome o = Evaluator.daily(DO_III, hours(24, 4.0), DAY, LATER, RULES);
            assertThat(o.status()).isEqualTo(Status.EXCEEDANCE);
            assertThat(o.exceedancePercent()).isEqualByComparingTo("20.00"); // (5 − 4) / 5
            assertThat(o.ratio()).isEqualByComparingTo("1.25"); // 5 / 4, for the TRC test
        }

        @Test
        void instantValueEqualToTheLimitIsCompliant_aboveIsAnEarlyWarning_s1_4a() {
            assertThat(Evaluator.instant(COD_1A, Sample.of("2024-03-01T10:00", 50.0), RULES).status()).isEqualTo(Status.COMPLIANT);
            Outcome o = Evaluator.instant(COD_1A, Sample.of("2024-03-01T10:00", 75.0), RULES);
            assertThat(o.status()).isEqualTo(Status.EXCEEDANCE);
            assertThat(o.exceedancePercent()).isEqualByComparingTo("50.00");
        }

        @Test
        void dailyMaxBrokenInFewHoursIsAnExceedanceAnyway_s1_2_maximumDaily() {
            Limit max = Limit.le("w01018", Statistic.DAILY_MAX, "10", "mg/L");
            Outcome o = Evaluator.daily(max, concat(hours(2, 5.0), hours(DAY, 2, 1, 12.0, "N")), DAY, LATER, RULES);
            assertThat(o.status()).isEqualTo(Status.EXCEEDANCE);
            assertThat(o.value()).isEqualByComparingTo("12");
            assertThat(Evaluator.daily(max, hours(3, 5.0), DAY, LATER, RULES).status()).isEqualTo(Status.INSUFFICIENT_DATA);
        }

        @Test
        void monthlyMeanIsTheMeanOfTheDailyValues_s1_2_averageMonthly() {
            Limit m = Limit.le("w01018", Statistic.MONTHLY_MEAN, "50", "mg/L");
            Map<LocalDate, BigDecimal> days = new LinkedHashMap<>();
            days.put(LocalDate.of(2024, 3, 1), new BigDecimal("40"));
            days.put(LocalDate.of(2024, 3, 2), new BigDecimal("60"));
            days.put(LocalDate.of(2024, 4, 1), new BigDecimal("500")); // another month: ignored
            assertThat(Evaluator.monthly(m, days, YearMonth.of(2024, 3), LATER, RULES).status()).isEqualTo(Status.COMPLIANT);
            days.put(LocalDate.of(2024, 3, 3), new BigDecimal("53"));
            Outcome o = Evaluator.monthly(m, days, YearMonth.of(2024, 3), LATER, RULES); // 153 / 3 = 51 → 2 %
            assertThat(o.exceedancePercent()).isEqualByComparingTo("2.00");
        }
    }

    @Nested
    class DataValidity {

        @Test
        void hj212Flags_F_M_C_D_B_andThe2005P_areExcludedAndReported_hj212s7() {
            List<Sample> s = hours(20, 40.0);
            s.addAll(hours(DAY, 20, 1, 500.0, "F"));
            s.addAll(hours(DAY, 21, 1, 500.0, "M"));
            s.addAll(hours(DAY, 22, 1, 500.0, "C"));
            s.addAll(hours(DAY, 23, 1, 500.0, "D"));
            Outcome o = Evaluator.daily(COD_1A, s, DAY, LATER, RULES);
            assertThat(o.status()).isEqualTo(Status.COMPLIANT);
            assertThat(o.value()).isEqualByComparingTo("40");
            assertThat(o.excluded()).extracting(Sample::flag).containsExactly("F", "M", "C", "D");
            assertThat(RULES.excluded("B")).isTrue();
            assertThat(RULES.excluded("p")).isTrue();
            // N normal, S set value and T above range count as measured (T is a real high value)
            assertThat(RULES.excluded("N")).isFalse();
            assertThat(RULES.excluded("T")).isFalse();
            assertThat(RULES.excluded(null)).isFalse();
        }

        @Test
        void fewerThanTwentyValidHoursIsInsufficientData_notCompliant_issue4_D80() {
            List<Sample> s = concat(hours(19, 40.0), hours(DAY, 19, 5, 40.0, "B"));
            Outcome o = Evaluator.daily(COD_1A, s, DAY, LATER, RULES);
            assertThat(o.status()).isEqualTo(Status.INSUFFICIENT_DATA);
            assertThat(o.validCount()).isEqualTo(19);
            assertThat(o.required()).isEqualTo(20);
            // the minimum is configuration
            assertThat(Evaluator.daily(COD_1A, s, DAY, LATER, RULES.withMinValidHours(18)).status()).isEqualTo(Status.COMPLIANT);
        }

        @Test
        void aDayStillRunningIsPendingNotInsufficient() {
            Instant noon = Instant.parse("2024-03-01T04:00:00Z"); // 12:00 China time
            assertThat(Evaluator.daily(COD_1A, hours(12, 40.0), DAY, noon, RULES).status()).isEqualTo(Status.PENDING);
        }

        @Test
        void dayBoundariesAreAsiaShanghai_midnightChinaBelongsToTheNextDay() {
            List<Sample> s = hours(20, 40.0);
            // 2024-03-02T00:00 China = 2024-03-01T16:00Z: same UTC date, but another China day → not in 1 March
            s.add(Sample.of("2024-03-02T00:00", 1000.0));
            // 2024-02-29T23:59 China belongs to the day before
            s.add(Sample.of("2024-02-29T23:59", 1000.0));
            Outcome o = Evaluator.daily(COD_1A, s, DAY, LATER, RULES);
            assertThat(o.status()).isEqualTo(Status.COMPLIANT);
            assertThat(o.validCount()).isEqualTo(20);
            assertThat(Evaluator.dayStart(DAY)).isEqualTo(Instant.parse("2024-02-29T16:00:00Z"));
        }

        @Test
        void severalValuesInOneHourAreOneHour() {
            List<Sample> s = new ArrayList<>();
            for (int m = 0; m < 60; m += 10) {
                s.add(Sample.of("2024-03-01T05:%02d".formatted(m), 40.0));
            }
            assertThat(Evaluator.daily(COD_1A, s, DAY, LATER, RULES).validCount()).isEqualTo(1);
        }
    }

    @Nested
    class Conditions {

        final List<Limit> nh3n = List.of(NH3N_1A_WARM, NH3N_1A_COLD);

        @Test
        void gb18918Note2_NH3N_waterAt12IsTheBracketFigure_above12TheOuterOne_s3_1() {
            assertThat(Evaluator.select(nh3n, new Context(12.0, null, null), RULES).limit()).isEqualTo(NH3N_1A_COLD);
            assertThat(Evaluator.select(nh3n, new Context(12.1, null, null), RULES).limit()).isEqualTo(NH3N_1A_WARM);
            // a daily mean of 6 mg/L: compliant in cold water (≤ 8), 20 % over in warm water (> 5)
            List<Sample> six = hours(24, 6.0);
            assertThat(Evaluator.daily(NH3N_1A_COLD, six, DAY, LATER, RULES).status()).isEqualTo(Status.COMPLIANT);
            assertThat(Evaluator.daily(NH3N_1A_WARM, six, DAY, LATER, RULES).exceedancePercent()).isEqualByComparingTo("20.00");
        }

        @Test
        void gb18918Note2_NH3N_withoutTemperature_strictByDefault_orInsufficient_s3_1() {
            Evaluator.Selection strict = Evaluator.select(nh3n, Context.none(), RULES);
            assertThat(strict.limit()).isEqualTo(NH3N_1A_WARM);
            assertThat(strict.note()).contains("no water temperature");
            Evaluator.Selection none = Evaluator.select(nh3n, Context.none(),
                    RULES.withTemperatureMissing(Evaluator.TemperatureFallback.INSUFFICIENT));
            assertThat(none.limit()).isNull();
            assertThat(none.insufficient()).isTrue();
        }

        @Test
        void waterTemperatureIsTheDailyMeanOfValidReadings() {
            List<Sample> t = concat(hours(12, 11.0), hours(DAY, 12, 12, 14.0, "N")); // (12×11 + 12×14) / 24 = 12.5
            t.add(Sample.of("2024-03-01T12:30", 40.0, "D"));
            assertThat(Evaluator.meanOf(t, DAY, RULES)).isEqualTo(12.5);
        }

        @Test
        void gb18918Table1_TP_constructionDateSplit_1A_s3_1() {
            List<Limit> tp = List.of(TP_1A_OLD, TP_1A_NEW);
            List<Sample> s = hours(24, 0.8);
            Limit old = Evaluator.select(tp, new Context(null, true, null), RULES).limit();
            Limit young = Evaluator.select(tp, new Context(null, false, null), RULES).limit();
            assertThat(old).isEqualTo(TP_1A_OLD);
            assertThat(young).isEqualTo(TP_1A_NEW);
            assertThat(Evaluator.daily(old, s, DAY, LATER, RULES).status()).isEqualTo(Status.COMPLIANT); // 0.8 ≤ 1
            assertThat(Evaluator.daily(young, s, DAY, LATER, RULES).exceedancePercent()).isEqualByComparingTo("60.00"); // (0.8−0.5)/0.5
            // construction date unknown: the stricter, newer row
            assertThat(Evaluator.select(tp, Context.none(), RULES).limit()).isEqualTo(TP_1A_NEW);
        }

        @Test
        void gb3838_TP_riverVsLake_TN_lakesOnly_s3_3() {
            Limit riverTp = Limit.le("w21011", Statistic.DAILY_MEAN, "0.2", "mg/L").withCondition(Condition.RIVER);
            Limit lakeTp = Limit.le("w21011", Statistic.DAILY_MEAN, "0.05", "mg/L").withCondition(Condition.LAKE_RESERVOIR);
            Limit lakeTn = Limit.le("w21001", Statistic.DAILY_MEAN, "1.0", "mg/L").withCondition(Condition.LAKE_RESERVOIR);
            assertThat(Evaluator.select(List.of(riverTp, lakeTp), new Context(null, null, Condition.RIVER), RULES).limit()).isEqualTo(riverTp);
            assertThat(Evaluator.select(List.of(riverTp, lakeTp), new Context(null, null, Condition.LAKE_RESERVOIR), RULES).limit()).isEqualTo(lakeTp);
            assertThat(Evaluator.select(List.of(lakeTn), new Context(null, null, Condition.RIVER), RULES).limit()).isNull();
        }

        @Test
        void aLimitChangingMidMonthAppliesFromItsValidFromDay_validToExclusive() {
            Limit before = new Limit(null, 1L, null, null, null, "w01018", Statistic.DAILY_MEAN, Limit.Comparison.LE,
                    new BigDecimal("60"), null, null, "mg/L", Condition.NONE, "all", Limit.Source.PERMIT, "许可证 §3", null,
                    null, LocalDate.of(2024, 3, 15));
            Limit after = new Limit(null, 2L, null, null, null, "w01018", Statistic.DAILY_MEAN, Limit.Comparison.LE,
                    new BigDecimal("50"), null, null, "mg/L", Condition.NONE, "all", Limit.Source.PERMIT, "许可证 §3", null,
                    LocalDate.of(2024, 3, 15), null);
            assertThat(before.validOn(LocalDate.of(2024, 3, 14))).isTrue();
            assertThat(before.validOn(LocalDate.of(2024, 3, 15))).isFalse();
            assertThat(after.validOn(LocalDate.of(2024, 3, 15))).isTrue();
            // 55 mg/L: compliant on the 14th (≤ 60), 10 % over on the 15th (> 50)
            LocalDate d14 = LocalDate.of(2024, 3, 14);
            LocalDate d15 = LocalDate.of(2024, 3, 15);
            assertThat(Evaluator.daily(before, hours(d14, 0, 24, 55.0, "N"), d14, LATER, RULES).status()).isEqualTo(Status.COMPLIANT);
            assertThat(Evaluator.daily(after, hours(d15, 0, 24, 55.0, "N"), d15, LATER, RULES).exceedancePercent()).isEqualByComparingTo("10.00");
        }
    }

    @Nested
    class UnitConversion {

        @Test
        void aLimitInMicrogramsIsComparedInTheFactorsMilligrams_hj212s8() {
            Limit tp = Limit.le("w21011", Statistic.DAILY_MEAN, "500", "µg/L"); // = 0.5 mg/L
            assertThat(Evaluator.daily(tp, hours(24, 0.5), DAY, LATER, RULES).status()).isEqualTo(Status.COMPLIANT);
            assertThat(Evaluator.daily(tp, hours(24, 0.51), DAY, LATER, RULES).exceedancePercent()).isEqualByComparingTo("2.00");
        }

        @Test
        void flowUnitsConvertExactly() {
            assertThat(Units.convert(BigDecimal.ONE, "L/s", "m³/d")).isEqualByComparingTo("86.4");
            assertThat(Units.convert(new BigDecimal("86.4"), "m³/d", "L/s")).isEqualByComparingTo("1");
            assertThat(Units.convert(new BigDecimal("0.05"), "mg/L", "µg/L")).isEqualByComparingTo("50");
            assertThat(Units.convert(new BigDecimal("2"), "t", "kg")).isEqualByComparingTo("2000");
            assertThatThrownBy(() -> Units.convert(BigDecimal.ONE, "mg/L", "L/s")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void aUnitThatDoesNotFitTheFactorIsRefusedInChineseAndEnglish() {
            var p = Units.problem("unit", "w01018", "L/s");
            assertThat(p).isPresent();
            assertThat(p.get().reasonZh()).contains("化学需氧量").contains("mg/L");
            assertThat(p.get().reasonEn()).contains("COD").contains("w01018");
            assertThat(Units.problem("unit", "w01001", "mg/L")).isPresent(); // pH is dimensionless
            assertThat(Units.problem("unit", "w01018", "furlong")).isPresent();
            assertThat(Units.problem("factor", "w99999", "mg/L")).isPresent();
            assertThat(Units.problem("unit", "w01018", "µg/L")).isEmpty();
            assertThat(Units.problem("unit", "w01018", "kg")).isEmpty(); // a load on -Cou
            assertThat(Units.problem("unit", "w00000", "m³/d")).isEmpty();
            assertThat(Units.problem("unit", "w01001", "")).isEmpty();
        }

        @Test
        void aLoadLimitIsNotJudgedAgainstConcentrations() {
            Limit load = Limit.le("w01018", Statistic.DAILY_MEAN, "100", "kg");
            assertThat(Evaluator.daily(load, hours(24, 500.0), DAY, LATER, RULES).status()).isEqualTo(Status.NOT_EVALUATED);
        }
    }

    @Nested
    class Rolling {

        static Map<YearMonth, RollingWindows.Month> months(Object... monthAndRatio) {
            Map<YearMonth, RollingWindows.Month> m = new HashMap<>();
            for (int i = 0; i < monthAndRatio.length; i += 2) {
                YearMonth ym = YearMonth.parse((String) monthAndRatio[i]);
                BigDecimal r = new BigDecimal((String) monthAndRatio[i + 1]);
                m.put(ym, new RollingWindows.Month(ym, r.compareTo(BigDecimal.ONE) > 0, r));
            }
            return m;
        }

        @Test
        void chronic_fourOfSixMonthsAcrossTheYearEnd_s1_4b1() {
            var m = months("2023-10", "1.1", "2023-12", "1.05", "2024-01", "1.01", "2024-03", "1.2", "2024-02", "0.9");
            var w = RollingWindows.containing(m, Set.of(YearMonth.of(2024, 3)), Factor.TrcGroup.I);
            assertThat(w).extracting(RollingWindows.Window::kind).containsExactly(RollingWindows.Kind.CHRONIC);
            assertThat(w.get(0).first()).isEqualTo(YearMonth.of(2023, 10));
            assertThat(w.get(0).last()).isEqualTo(YearMonth.of(2024, 3));
            assertThat(w.get(0).counted()).hasSize(4);
        }

        @Test
        void chronic_threeOfSixIsNot_andMonthsSevenApartAreNotOneWindow_s1_4b1() {
            assertThat(RollingWindows.containing(months("2023-11", "1.1", "2023-12", "1.1", "2024-01", "1.1"),
                    Set.of(YearMonth.of(2024, 1)), null)).isEmpty();
            // Sep, Oct, Nov exceeded, then Mar: Sep..Feb holds 3, Oct..Mar holds 3
            assertThat(RollingWindows.containing(months("2023-09", "1.1", "2023-10", "1.1", "2023-11", "1.1", "2024-03", "1.1"),
                    Set.of(YearMonth.of(2024, 3)), null)).isEmpty();
        }

        @Test
        void trc_groupI_isAtLeast1_4InTwoMonths_s1_4b2() {
            assertThat(RollingWindows.containing(months("2023-12", "1.4", "2024-02", "1.5"), Set.of(YearMonth.of(2024, 2)),
                    Factor.TrcGroup.I)).extracting(RollingWindows.Window::kind).containsOnly(RollingWindows.Kind.TRC);
            assertThat(RollingWindows.containing(months("2023-12", "1.39", "2024-02", "1.5"), Set.of(YearMonth.of(2024, 2)),
                    Factor.TrcGroup.I)).isEmpty();
        }

        @Test
        void trc_groupII_isAtLeast1_2_andFactorsWithoutAGroupHaveNoTrc_s1_4b2() {
            var m = months("2024-01", "1.2", "2024-04", "1.25");
            assertThat(RollingWindows.containing(m, Set.of(YearMonth.of(2024, 4)), Factor.TrcGroup.II)).isNotEmpty();
            assertThat(RollingWindows.containing(m, Set.of(YearMonth.of(2024, 4)), Factor.TrcGroup.I)).isEmpty();
            assertThat(RollingWindows.containing(m, Set.of(YearMonth.of(2024, 4)), null)).isEmpty();
        }

        @Test
        void factorGroupsFollowS1_4() {
            assertThat(Factor.COD.trcGroup).isEqualTo(Factor.TrcGroup.I);
            assertThat(Factor.NH3N.trcGroup).isEqualTo(Factor.TrcGroup.I);
            assertThat(Factor.SS.trcGroup).isEqualTo(Factor.TrcGroup.I);
            assertThat(Factor.CYANIDE.trcGroup).isEqualTo(Factor.TrcGroup.II);
            assertThat(Factor.COPPER.trcGroup).isEqualTo(Factor.TrcGroup.II);
            assertThat(Factor.VOLATILE_PHENOL.trcGroup).isEqualTo(Factor.TrcGroup.II);
            assertThat(Factor.PH.trcGroup).isNull();
        }
    }

    /** The backfill's quick path in doubles must never call compliant what the exact judgement would not. */
    @Nested
    class QuickCompliance {

        @Test
        void clearlyInsideIsCompliant_onOrNearTheBoundIsLeftToTheExactJudgement_s1_4a() {
            assertThat(Evaluator.clearlyCompliant(COD_1A, hours(24, 49.9), DAY, RULES)).isTrue();
            // equal to the limit is compliant (§1.4 (a)), but only the decimal judgement may say so
            assertThat(Evaluator.clearlyCompliant(COD_1A, hours(24, 50.0), DAY, RULES)).isFalse();
            assertThat(Evaluator.daily(COD_1A, hours(24, 50.0), DAY, LATER, RULES).status()).isEqualTo(Status.COMPLIANT);
            assertThat(Evaluator.clearlyCompliant(COD_1A, hours(24, 50.0000001), DAY, RULES)).isFalse();
            assertThat(Evaluator.clearlyCompliant(DO_III, hours(24, 6), DAY, RULES)).isTrue();
            assertThat(Evaluator.clearlyCompliant(DO_III, hours(24, 5), DAY, RULES)).isFalse();
            assertThat(Evaluator.clearlyCompliant(PH, hours(24, 7.2), DAY, RULES)).isTrue();
            assertThat(Evaluator.clearlyCompliant(PH, hours(24, 9), DAY, RULES)).isFalse();
        }

        @Test
        void tooFewValidHoursOrExcludedFlagsAreLeftToTheExactJudgement() {
            assertThat(Evaluator.clearlyCompliant(COD_1A, hours(19, 30), DAY, RULES)).isFalse();
            // 20 valid hours of 30 and 4 hours of 90 flagged D (excluded): mean 30, clearly compliant
            assertThat(Evaluator.clearlyCompliant(COD_1A, concat(hours(DAY, 0, 20, 30, "N"), hours(DAY, 20, 4, 90, "D")),
                    DAY, RULES)).isTrue();
            // the same 90s unflagged: mean (20 × 30 + 4 × 90) / 24 = 40, still inside; at 4 hours of 170 the mean is
            // (600 + 680) / 24 = 53.33 > 50
            assertThat(Evaluator.clearlyCompliant(COD_1A, concat(hours(DAY, 0, 20, 30, "N"), hours(DAY, 20, 4, 90, "N")),
                    DAY, RULES)).isTrue();
            assertThat(Evaluator.clearlyCompliant(COD_1A, concat(hours(DAY, 0, 20, 30, "N"), hours(DAY, 20, 4, 170, "N")),
                    DAY, RULES)).isFalse();
            // a daily maximum of 100: hours of 140 break it
            Limit max = Limit.le("w01018", Statistic.DAILY_MAX, "100", "mg/L");
            assertThat(Evaluator.clearlyCompliant(max, concat(hours(DAY, 0, 20, 30, "N"), hours(DAY, 20, 4, 140, "N")),
                    DAY, RULES)).isFalse();
            assertThat(Evaluator.clearlyCompliant(max, hours(24, 99), DAY, RULES)).isTrue();
        }

        @Test
        void neverCompliantWhereTheExactJudgementIsNot_randomDays() {
            java.util.SplittableRandom r = new java.util.SplittableRandom(212);
            for (int i = 0; i < 5_000; i++) {
                List<Sample> day = new ArrayList<>();
                int n = 15 + r.nextInt(30);
                for (int k = 0; k < n; k++) {
                    double v = Math.round((40 + r.nextDouble() * 12) * 100) / 100.0; // around the limit of 50
                    day.add(Sample.of(DAY.atTime(r.nextInt(24), r.nextInt(60)).toString(), v, r.nextInt(20) == 0 ? "D" : "N"));
                }
                for (Limit l : List.of(COD_1A, Limit.le("w01018", Statistic.DAILY_MAX, "50", "mg/L"))) {
                    if (Evaluator.clearlyCompliant(l, day, DAY, RULES)) {
                        assertThat(Evaluator.daily(l, day, DAY, LATER, RULES).status()).as("%s %s", l.statistic(), day)
                                .isEqualTo(Status.COMPLIANT);
                    }
                }
            }
        }
    }
}
