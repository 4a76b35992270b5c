package dev.apiary.gradebook.calc;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test (at least) per rule of docs/grading.md; every worked example of the spec, and the
 * Canvas examples it cites, with their hand-checked numbers.
 */
class GradeCalculatorTest {

    static SectionBuilder points() { return new SectionBuilder(); }

    static SectionBuilder percent() { return new SectionBuilder().percent(); }

    static void pct(Grades.Course c, String current) {
        assertNum(c.percent(), current);
    }

    static void assertNum(BigDecimal actual, String expected) {
        if (expected == null) {
            assertThat(actual).isNull();
        } else {
            assertThat(actual).as("expected %s", expected).isNotNull();
            assertThat(actual.compareTo(new BigDecimal(expected))).as("%s vs %s", actual, expected).isZero();
        }
    }

    static void grades(Grades.Student s, String current, String fin) {
        pct(s.current(), current);
        pct(s.finalGrade(), fin);
    }

    static Grades.GroupView cur(Grades.Student s, int group) { return s.groups().get(group).current(); }

    static Grades.GroupView fin(Grades.Student s, int group) { return s.groups().get(group).finalView(); }

    /** Canvas's GradeCalculatorSpec default grades: 100/100, 42/91, 14/55, 3/38, ungraded/1000. */
    static SectionBuilder defaults(int dropLowest, int dropHighest, Long... neverDrop) {
        return points().group(1, null, dropLowest, dropHighest, neverDrop)
                .item("100", "100").item("42", "91").item("14", "55").item("3", "38").item("null", "1000");
    }

    @Test
    void n1_nullPointsPossibleIsZero() {
        var s = points().group(1, null).item("5", null).item("5", "10").calc();
        assertNum(cur(s, 0).possible(), "10");
        assertNum(cur(s, 0).score(), "10");
        pct(s.current(), "100.00");
    }

    @Test
    void n2_nullWeightIsZero() {
        var s = percent().group(1, null).item("5", "10").group(2, "50").item("8", "10").calc();
        grades(s, "80.00", "80.00");
    }

    @Test
    void n3_noScoreEntryIsUngraded_worksWithoutSubmissions() {
        var s = points().group(1, null).item("-", "1").calc();
        grades(s, null, "0.00");
        var withNullEntry = points().group(1, null).item("null", "1").calc();
        grades(withNullEntry, null, "0.00");
    }

    @Test
    void worksWithoutAssignments() {
        var s = points().group(1, null).calc();
        grades(s, null, null);
        assertNum(cur(s, 0).score(), "0");
        assertNum(cur(s, 0).possible(), "0");
        assertNum(cur(s, 0).percent(), null);
    }

    @Test
    void n5_anyOtherWeightingIsPoints() {
        // Ruby example "assignment groups with 0 points possible" with scheme "equal": 145 %
        var s = zeroPointGroups().weighting("equal").calc();
        grades(s, "145.00", "145.00");
    }

    @Test
    void ungradedIsLeftOutOfCurrentAndZeroInFinal() {
        // Canvas "computes grades without dying": ungraded 10 + 5/10 -> 50 current, 25 final
        var s = points().group(1, "100").item("null", "10").item("5", "10").calc();
        grades(s, "50.00", "25.00");
    }

    @Test
    void weightedCurrentRenormalisesOverGroupsWithGradedWork() {
        // spec 6.2: g1 50 % 10/10, g2 50 % an ungraded 1-pointer -> current 100, final 50
        var s = percent().group(1, "50").item("10", "10").group(2, "50").item("null", "1").calc();
        grades(s, "100.00", "50.00");
    }

    @Test
    void omitFromFinalGradeIsIgnoredInBothViews() {
        var s = points().group(1, null).item("5", "10").omitted("0", "90").calc();
        grades(s, "50.00", "50.00");
        assertNum(fin(s, 0).possible(), "10");
    }

    @Test
    void excusedIsRemovedNotZeroed() {
        // Ruby "excused assignments": 10/10 plus an excused 90-pointer gives 100 %
        var s = points().group(1, null).item("10", "10").excused(null, "90").calc();
        grades(s, "100.00", "100.00");
        var withScore = points().group(1, null).item("10", "10").excused("3", "90").calc();
        grades(withScore, "100.00", "100.00");
    }

    @Test
    void missingFlagAloneDoesNothing() {
        var s = points().group(1, null).item("10", "10").missing("null", "10").calc();
        grades(s, "100.00", "50.00");
    }

    @Test
    void missingDeductionGivesPointsAndCountsAsGraded() {
        // late_policy_spec: 60 % deduction on 100 points yields 40
        var s = points().missingDeduction("60").group(1, null).missing("null", "100").calc();
        assertNum(cur(s, 0).score(), "40");
        grades(s, "40.00", "40.00");
    }

    @Test
    void missingDeductionNeverReplacesAnEnteredScore() {
        var s = points().missingDeduction("60").group(1, null).missing("90", "100").calc();
        grades(s, "90.00", "90.00");
    }

    @Test
    void excusedTakesPrecedenceOverMissingDeduction() {
        var b = points().missingDeduction("60").group(1, null).item("10", "10");
        var src = b.source();
        // an excused + missing entry
        var scores = new java.util.ArrayList<>(src.scores());
        var assignments = new java.util.ArrayList<>(src.assignments());
        assignments.add(new SectionSource.Assignment(99, 1, "x", new BigDecimal("100"), false));
        scores.add(new SectionSource.Score(1, 99, null, true, true));
        var s = GradeCalculator.calculate(Gradebook.of(new SectionSource(src.section(), src.weighting(), null,
                src.latePolicy(), src.groups(), assignments, src.students(), scores)), 1L);
        grades(s, "100.00", "100.00");
    }

    @Test
    void missingDeductionIsExactWithDecimals() {
        // 7 points, 12.5 % deduction -> 6.125
        var s = points().missingDeduction("12.5").group(1, null).missing("null", "7").item("7", "7").calc();
        assertNum(cur(s, 0).score(), "13.125");
        grades(s, "93.75", "93.75");
    }

    @Test
    void extraCreditIsNotCapped() {
        var s = points().group(1, null).item("12", "10").item("3", "0").calc();
        assertNum(cur(s, 0).score(), "15");
        grades(s, "150.00", "150.00");
    }

    @Test
    void zeroPointsPossibleSubmissions() {
        // Canvas "works with submissions that have 0 points possible"
        var s = points().group(1, null).item("10", "0").item("10", "10").item("10", "10").item("null", "10").calc();
        grades(s, "150.00", "100.00");
        var dropped = points().group(1, null, 1, 0)
                .item("10", "0").item("10", "10").item("10", "10").item("null", "10").calc();
        grades(dropped, "200.00", "150.00");
    }

    @Test
    void noRulesKeepsEverything() {
        var s = defaults(0, 0).calc();
        grades(s, "55.99", "12.38");
        assertThat(cur(s, 0).dropped()).isEmpty();
    }

    @Test
    void optimisesTheKeptSetNotTheLowestPercentage() {
        // 31/40, 17/24, 7/10, drop_lowest 1 -> 17/24 dropped: 38/50 = 76 %
        var s = points().group(1, null, 1, 0).item("31", "40").item("17", "24").item("7", "10").calc();
        assertThat(cur(s, 0).dropped()).containsExactly(2L);
        assertNum(cur(s, 0).score(), "38");
        assertNum(cur(s, 0).possible(), "50");
        grades(s, "76.00", "76.00");
    }

    @Test
    void zeroPointItemIsKept() {
        // 31 on a 0-point item, 17/24, 6/10, drop_lowest 1 -> 17/24 dropped, 37/10 = 370 %
        var s = points().group(1, null, 1, 0).item("31", "0").item("17", "24").item("6", "10").calc();
        assertThat(cur(s, 0).dropped()).containsExactly(2L);
        grades(s, "370.00", "370.00");
    }

    @Test
    void heavyExtraCreditCanDropAPerfectScore() {
        // Ruby "really supports drop_lowest": 31/31 and 29.3/30 dropped, 543/411 = 132.12 %
        var b = points().group(1, null, 2, 0);
        b.item("30", null).item("30", null).item("30", null).item("31", "31").item("21", "21");
        for (int i = 0; i < 10; i++) b.item("30", "30");
        b.item("29.3", "30").item("30", "30").item("30", "30").item("30", "30").item("12", "0").item("30", null);
        var s = b.calc();
        assertThat(cur(s, 0).dropped()).containsExactly(4L, 16L);
        assertNum(cur(s, 0).score(), "543");
        assertNum(cur(s, 0).possible(), "411");
        grades(s, "132.12", "132.12");
    }

    @Test
    void cappedSearchFollowsCanvas() {
        // 10/10, 2/20, 0/0, 15/10, drop 2 -> Canvas keeps 10/10 + 15/10 = 125 % (not 0/0 + 15/10 = 150 %)
        var s = points().group(1, null, 2, 0).item("10", "10").item("2", "20").item("0", "0").item("15", "10").calc();
        assertThat(cur(s, 0).dropped()).containsExactly(2L, 3L);
        grades(s, "125.00", "125.00");
    }

    @Test
    void gradedZeroPointZeroCanBeKeptWhileRealWorkIsDropped() {
        // spec 4.4: a graded 0-point item scored 0 kept while a graded 5/10 is dropped -> no points possible
        var s = points().group(1, null, 1, 0).item("0", "0").item("5", "10").calc();
        assertThat(cur(s, 0).dropped()).containsExactly(2L);
        assertNum(cur(s, 0).possible(), "0");
        grades(s, null, null);
    }

    @Test
    void tiesAtTheEvaluationPointDropTheHigherId() {
        var s = points().startIds(2301).group(1, null, 1, 0).item("10", "10").item("10", "10").item("10", "10").calc();
        assertThat(cur(s, 0).dropped()).containsExactly(2303L);
    }

    @Test
    void equalRatiosDropHighestKeepsLowerIds() {
        // 2/10, 2/10, 10/50 all 20 %: drop_highest 1 keeps 2301, 2302, drops 2303 (the 50-pointer): 4/20
        var s = points().startIds(2301).group(1, null, 0, 1).item("2", "10").item("2", "10").item("10", "50").calc();
        assertThat(cur(s, 0).dropped()).containsExactly(2303L);
        assertNum(cur(s, 0).score(), "4");
        assertNum(cur(s, 0).possible(), "20");
        // the same ratios in another id order: still the higher id goes
        var s2 = points().startIds(2301).group(1, null, 0, 1).item("2", "10").item("10", "50").item("2", "10").calc();
        assertThat(cur(s2, 0).dropped()).containsExactly(2303L);
        assertNum(cur(s2, 0).possible(), "60");
    }

    @Test
    void unpointedDropLowestDropsLowestIdsOnTies() {
        var s = points().group(1, null, 1, 0).item("5", "0").item("5", "0").item("9", "0").item("9", "0").calc();
        assertThat(cur(s, 0).dropped()).containsExactly(1L);
    }

    @Test
    void unpointedDropHighestDropsHighestIdsOnTies() {
        var s = points().group(1, null, 0, 1).item("5", "0").item("5", "0").item("9", "0").item("9", "0").calc();
        assertThat(cur(s, 0).dropped()).containsExactly(4L);
        // "work"s when no submissions have points possible
        var t = points().group(1, null, 1, 0).item("10", "0").item("5", "0").item("20", "0").item("0", "0").calc();
        grades(t, null, null);
        assertThat(cur(t, 0).dropped()).containsExactly(4L);
    }

    @Test
    void ungradedWorkIsNoCandidateInCurrent() {
        // spec 4.7: 31/40, 17/24, ungraded 10 pts, drop_lowest 1 -> current 31/40, final 48/64
        var s = points().group(1, null, 1, 0).item("31", "40").item("17", "24").item("null", "10").calc();
        assertNum(cur(s, 0).score(), "31");
        assertNum(cur(s, 0).possible(), "40");
        assertThat(cur(s, 0).dropped()).containsExactly(2L);
        assertNum(fin(s, 0).score(), "48");
        assertNum(fin(s, 0).possible(), "64");
        assertThat(fin(s, 0).dropped()).containsExactly(3L);
        // Ruby: ungraded not considered for current (90), treated as 0 for final (60)
        var r = points().group(1, null, 1, 0).item("null", "20").item("3", "10").item("9", "10").calc();
        grades(r, "90.00", "60.00");
    }

    @Test
    void degeneratePhaseTwoKeepsHighestScores() {
        // spec 4.8: 9/0, 10/0, 2/2, drop_lowest 1 + drop_highest 1 -> keeps 10; 0 possible -> null
        var s = points().group(1, null, 1, 1).item("9", "0").item("10", "0").item("2", "2").calc();
        assertThat(cur(s, 0).dropped()).containsExactly(1L, 3L);
        assertNum(cur(s, 0).score(), "10");
        grades(s, null, null);
    }

    @Test
    void clampingDropLowestAndDiscardingDropHighest() {
        // Canvas "works with unreasonable drop rules": 10/10, 9/10, 8/10 with 1000/1000 -> 100 %
        var s = points().group(1, null, 1000, 1000).item("10", "10").item("9", "10").item("8", "10").calc();
        grades(s, "100.00", "100.00");
        assertThat(cur(s, 0).dropped()).containsExactly(2L, 3L);
        // dl + dh >= n: drop_highest discarded entirely (not reduced): 2 + 1 >= 3
        var t = points().group(1, null, 2, 1).item("10", "10").item("9", "10").item("8", "10").calc();
        assertThat(cur(t, 0).dropped()).containsExactly(2L, 3L);
    }

    @Test
    void canvasDropLowestAndHighestExamples() {
        grades(defaults(1, 0).calc(), "63.41", "55.99");
        grades(defaults(2, 0).calc(), "74.64", "63.41");
        grades(defaults(0, 1).calc(), "32.07", "4.98");
        grades(defaults(0, 2).calc(), "18.28", "1.56");
        grades(defaults(0, 3).calc(), "7.89", "0.29");
    }

    @Test
    void reallySupportsDropHighest() {
        for (var c : List.of(new String[] {"1", "47.5"}, new String[] {"2", "33.33"}, new String[] {"3", "0"})) {
            var s = points().group(1, null, 0, Integer.parseInt(c[0]))
                    .item("0", "10").item("10", "20").item("28", "50").item("91", "100").calc();
            grades(s, c[1], c[1]);
        }
    }

    @Test
    void neverDrop() {
        grades(defaults(1, 0, 4L).calc(), "63.32", "55.99");
        grades(points().group(1, null, 1, 0, 4L).item("10", "20").item("5", "10").item("20", "40").item("0", "100")
                .calc(), "18.75", "18.75");
        grades(points().group(1, null, 1, 0, 4L).item("10", "20").item("5", "10").item("20", "40").item("100", "100")
                .calc(), "88.46", "88.46");
        grades(points().group(1, null, 1, 0, 3L).item("101.9", "100").item("105.65", "100").item("103.8", "100")
                .item("0", "0").calc(), "104.73", "104.73");
    }

    @Test
    void neverDropOfANonCandidateHasNoEffect() {
        // the protected id is ungraded: in current it is no candidate, so drop_lowest works on the rest
        var s = points().group(1, null, 1, 0, 3L).item("10", "10").item("5", "10").item("null", "10").calc();
        assertThat(cur(s, 0).dropped()).containsExactly(2L);
        assertThat(fin(s, 0).dropped()).containsExactly(2L);
        grades(s, "100.00", "50.00");
    }

    @Test
    void onlyProtectedCandidatesKeepsThem() {
        var s = points().group(1, null, 1, 0, 1L, 2L).item("1", "10").item("5", "10").calc();
        assertThat(cur(s, 0).dropped()).isEmpty();
        grades(s, "30.00", "30.00");
    }

    @Test
    void ridiculousCircumstances() {
        var s = points().group(1, null, 2, 0).item("null", "20").item("3", "10").item("null", "10")
                .item("null", "999999999").item("null", null).calc();
        grades(s, "30.00", "15.00");
    }

    @Test
    void excusedIsNoCandidate() {
        var s = points().group(1, null, 1, 0).item("10", "10").item("2", "10").excused("0", "10").calc();
        assertThat(cur(s, 0).dropped()).containsExactly(2L);
        grades(s, "100.00", "100.00");
    }

    @Test
    void pointsModeSumsAllGroupsIncludingZeroPointOnes() {
        var s = points().group(1, "10").item("5", "10").group(2, "90").item("3", "0").calc();
        assertNum(s.current().score(), "8");
        assertNum(s.current().possible(), "10");
        grades(s, "80.00", "80.00");
    }

    @Test
    void percentModeIgnoresZeroPointGroupsAndRenormalises() {
        // Ruby: ((9/10)*50 + (5/10)*25) / 75 = 76.67; by points 145
        grades(zeroPointGroups().percent().calc(), "76.67", "76.67");
        grades(zeroPointGroups().calc(), "145.00", "145.00");
    }

    @Test
    void weightsAboveHundredAreNotScaledDown() {
        var s = percent().group(1, "100").item("50", "100").group(2, "100").item("42.63", "100").calc();
        grades(s, "92.63", "92.63");
        var full = percent().group(1, "50").item("10", "10").group(2, "60").item("5", "5").calc();
        grades(full, "110.00", "110.00");
    }

    @Test
    void allWeightsNullGivesNull() {
        var s = percent().group(1, null).item("5", "10").group(2, "0").item("10", "10").calc();
        grades(s, null, null);
        assertNum(s.current().score(), null);
        assertNum(s.current().possible(), "100");
        assertNum(s.finalGrade().possible(), "100");
    }

    @Test
    void percentModePossibleIsZeroWithoutRelevantGroupsInCurrent() {
        var s = percent().group(1, "50").item("null", "10").calc();
        assertNum(s.current().possible(), "0");
        assertNum(s.current().score(), null);
        assertNum(s.finalGrade().possible(), "100");
        assertNum(s.finalGrade().score(), "0");
    }

    @Test
    void zeroWeightGroupWithPointsIsRelevantButAddsNothing() {
        // weights 0 + 50 with 10/10 in both: W = 50 -> scaled up 100 %
        var s = percent().group(1, "0").item("0", "10").group(2, "50").item("10", "10").calc();
        grades(s, "100.00", "100.00");
        // and it is relevant: it does not make the other group's weight count double
        var t = percent().group(1, "0").item("0", "10").group(2, "50").item("5", "10").group(3, "50").item("10", "10").calc();
        grades(t, "75.00", "75.00");
    }

    @Test
    void groupRatiosAreNotRoundedBeforeWeighting() {
        // 1/3 and 2/3 at 50/50 -> exactly 50 (rounded group percents would give 50.00 too, so use 1/3 weight 100)
        var s = percent().group(1, "30").item("1", "3").group(2, "70").item("2", "3").calc();
        // (1/3*30 + 2/3*70) = 10 + 46.666.. = 56.666.. -> 56.67
        grades(s, "56.67", "56.67");
    }

    @Test
    void decimalSumsAreExact() {
        var s = points().group(1, null).item("110.1", "200").item("170.7", "200").calc();
        assertThat(s.current().score()).isEqualByComparingTo("280.8");
        assertThat(s.current().score().toPlainString()).isEqualTo("280.8");
        grades(s, "70.20", "70.20");
    }

    @Test
    void roundsHalfUpOnceAtTheEnd() {
        for (String v : List.of("93.825", "79.135", "104.725", "60.125", "88.355")) {
            var s = points().group(1, null).item(v, "100").calc();
            String expected = new BigDecimal(v).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
            grades(s, expected, expected);
        }
    }

    @Test
    void weightedHalfCentsRoundUpExactly() {
        // 0.8765*50 + 1*50 = 93.825 exactly -> 93.83 (binary floating point would give 93.82)
        var s = percent().group(1, "50").item("87.65", "100").group(2, "50").item("10", "10").calc();
        grades(s, "93.83", "93.83");
        // 1.04725 * 100 -> 104.725 -> 104.73
        var t = percent().group(1, "100").item("104.725", "100").calc();
        grades(t, "104.73", "104.73");
        // scaled up: 88.355 % of weight 40 alone -> 88.36
        var u = percent().group(1, "40").item("88.355", "100").calc();
        grades(u, "88.36", "88.36");
    }

    @Test
    void intermediateQuotientsAreNotTruncated() {
        // 11.8/12 at weight 12 is exactly 11.8; with weight 88 at 1/8 -> 22.8
        var s = percent().group(1, "12").item("11.8", "12").group(2, "88").item("1", "8").calc();
        grades(s, "22.80", "22.80");
    }

    @Test
    void negativeScoresRoundAwayFromZero() {
        var s = points().group(1, null).item("-0.125", "100").calc();
        grades(s, "-0.13", "-0.13");
    }

    @Test
    void noStandardOrNoPercentMeansNoLetter() {
        assertThat(points().group(1, null).item("5", "10").calc().current().letter()).isNull();
        var s = points().canvasStandard().group(1, null).item("null", "10").calc();
        assertThat(s.current().letter()).isNull();
        assertThat(s.finalGrade().letter()).isEqualTo("F");
    }

    @Test
    void boundsAreInclusiveAndCompareExactly() {
        var std = new Object[] {"B", "0.80", "B+", "0.886", "F", "0"};
        assertThat(points().standard(std).group(1, null).item("88.6", "100").calc().current().letter()).isEqualTo("B+");
        assertThat(points().standard(std).group(1, null).item("88.59", "100").calc().current().letter()).isEqualTo("B");
        var half = new Object[] {"D", "0.545", "F", "0"};
        assertThat(points().standard(half).group(1, null).item("54.5", "100").calc().current().letter()).isEqualTo("D");
        assertThat(points().standard(half).group(1, null).item("54.49", "100").calc().current().letter()).isEqualTo("F");
    }

    @Test
    void letterComesFromTheRoundedStoredValue() {
        // 93.995 % is stored as 94.00 -> A (the browser's 4-decimal helper would say A-)
        var s = points().canvasStandard().group(1, null).item("93.995", "100").calc();
        assertThat(s.current().percent()).isEqualByComparingTo("94.00");
        assertThat(s.current().letter()).isEqualTo("A");
    }

    @Test
    void noUpperLimitAndLowestRowFallback() {
        assertThat(points().canvasStandard().group(1, null).item("105", "100").calc().current().letter()).isEqualTo("A");
        var noZero = new Object[] {"A", "0.9", "B", "0.8"};
        assertThat(points().standard(noZero).group(1, null).item("50", "100").calc().current().letter()).isEqualTo("B");
    }

    @Test
    void negativePercentIsTreatedAsZero() {
        var std = new Object[] {"P", "0", "N", "-1"};
        assertThat(points().standard(std).group(1, null).item("-5", "10").calc().current().letter()).isEqualTo("P");
    }

    @Test
    void canvasDefaultScheme() {
        String[][] cases = {{"94", "A"}, {"93.99", "A-"}, {"90", "A-"}, {"87", "B+"}, {"84", "B"}, {"80", "B-"},
                {"77", "C+"}, {"74", "C"}, {"70", "C-"}, {"67", "D+"}, {"64", "D"}, {"61", "D-"}, {"60.99", "F"}};
        for (String[] c : cases) {
            var s = points().canvasStandard().group(1, null).item(c[0], "100").calc();
            assertThat(s.current().letter()).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void inputOrderIsIrrelevant() {
        var std = new Object[] {"F", "0", "A", "0.9", "C", "0.7"};
        assertThat(points().standard(std).group(1, null).item("75", "100").calc().current().letter()).isEqualTo("C");
    }

    @Test
    void withScoreIsCopyOnWrite() {
        var gb = points().group(1, null).item("5", "10").item("null", "10").gradebook();
        var patched = gb.withScore(1, 2, new BigDecimal("7.25"), false, false);
        grades(GradeCalculator.calculate(gb, 1L), "50.00", "25.00");
        grades(GradeCalculator.calculate(patched, 1L), "61.25", "61.25");
        assertThat(patched.scoreEntry(1, 2).score()).isEqualByComparingTo("7.25");
        assertThat(gb.scoreEntry(1, 2).score()).isNull();
    }

    @Test
    void unknownReferencesAreRejected() {
        var gb = points().group(1, null).item("5", "10").gradebook();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gb.withScore(9, 1, BigDecimal.ONE, false, false))
                .hasMessageContaining("student_id");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gb.withScore(1, 9, BigDecimal.ONE, false, false))
                .hasMessageContaining("assignment_id");
    }

    /** Ruby "assignment groups with 0 points possible": 50 % 9/10, 25 % 5/10, 25 % zero-point 10+5, 10 % empty. */
    static SectionBuilder zeroPointGroups() {
        return points().group(1, "50").item("9", "10").group(2, "25").item("5", "10")
                .group(3, "25").item("10", "0").item("5", "0").group(4, "10");
    }
}
