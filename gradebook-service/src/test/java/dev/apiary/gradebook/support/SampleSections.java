package dev.apiary.gradebook.support;

import dev.apiary.gradebook.calc.SectionSource;
import dev.apiary.gradebook.calc.SectionSource.Assignment;
import dev.apiary.gradebook.calc.SectionSource.DropRules;
import dev.apiary.gradebook.calc.SectionSource.Group;
import dev.apiary.gradebook.calc.SectionSource.LatePolicy;
import dev.apiary.gradebook.calc.SectionSource.LetterRow;
import dev.apiary.gradebook.calc.SectionSource.Score;
import dev.apiary.gradebook.calc.SectionSource.SectionInfo;
import dev.apiary.gradebook.calc.SectionSource.Student;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic generated sections (the source data of the tests and of bench/gradebook, which compiles this file): {@code students} x
 * {@code assignments} in 6 percent-weighted groups, with drop rules, never-drop, extra credit,
 * excused, missing and ungraded entries, decimal scores and accented names.
 */
public final class SampleSections {

    private static final String[] FIRST = {"José", "Ana", "Liam", "Zoë", "Mia", "Noah", "Émile", "Sofía", "Ole", "Ava"};
    private static final String[] LAST = {"Núñez", "Smith", "Øster", "Garcia", "Kim", "Dubois", "Novak", "Rossi"};
    private static final String[] GROUPS = {"Homework", "Quizzes", "Labs", "Projects", "Tests", "Participation"};
    private static final int[] WEIGHTS = {20, 15, 15, 15, 30, 5};

    /** The school of every generated section (the demo's first school). */
    public static final String SCHOOL_ID = "lakeview";

    private SampleSections() {}

    /**
     * A small hand-checked section: one Homework group (drop lowest 1), 31/40, 17/24, 7/10 for student 1 (the 7/10
     * dropped), student 2 with only 40/40 graded; letters A from 90 %, C from 70 %, F.
     */
    public static SectionSource small(long id) {
        var info = new SectionInfo(id, SCHOOL_ID, "Small " + id, "T1");
        var g = new Group(id * 10, "Homework", new BigDecimal("100"), new DropRules(1, 0, List.of()));
        var as = List.of(
                new Assignment(id * 100 + 1, id * 10, "HW 1", new BigDecimal("40"), false),
                new Assignment(id * 100 + 2, id * 10, "HW 2", new BigDecimal("24"), false),
                new Assignment(id * 100 + 3, id * 10, "HW 3", new BigDecimal("10"), false));
        var st = List.of(new Student(1, "José Núñez"), new Student(2, "Ana Kim"));
        var sc = List.of(
                new Score(1, id * 100 + 1, new BigDecimal("31"), false, false),
                new Score(1, id * 100 + 2, new BigDecimal("17"), false, false),
                new Score(1, id * 100 + 3, new BigDecimal("7"), false, false),
                new Score(2, id * 100 + 1, new BigDecimal("40"), false, false));
        return new SectionSource(info, "points", List.of(new LetterRow("A", new BigDecimal("0.9")),
                new LetterRow("C", new BigDecimal("0.7")), new LetterRow("F", BigDecimal.ZERO)),
                null, List.of(g), as, st, sc);
    }

    public static SectionSource generate(long sectionId, int students, int assignments) {
        Random rnd = new Random(sectionId * 7919L + students * 31L + assignments);
        List<Group> groups = new ArrayList<>();
        for (int g = 0; g < GROUPS.length; g++) {
            long gid = sectionId * 10 + g;
            DropRules rules = switch (g) {
                case 0 -> new DropRules(1, 0, List.of(sectionId * 1000 + 0));   // drop lowest HW, never the first
                case 1 -> new DropRules(1, 1, List.of());
                default -> DropRules.NONE;
            };
            groups.add(new Group(gid, GROUPS[g], BigDecimal.valueOf(WEIGHTS[g]), rules));
        }
        List<Assignment> as = new ArrayList<>();
        for (int a = 0; a < assignments; a++) {
            int g = a % GROUPS.length;
            long id = sectionId * 1000 + a;
            BigDecimal pp = switch (g) {
                case 0 -> BigDecimal.TEN;
                case 1 -> BigDecimal.valueOf(20);
                case 2 -> BigDecimal.valueOf(25);
                case 3 -> BigDecimal.valueOf(50);
                case 4 -> BigDecimal.valueOf(100);
                default -> a % 4 == 1 ? BigDecimal.ZERO : BigDecimal.valueOf(5);   // some extra credit
            };
            as.add(new Assignment(id, sectionId * 10 + g, GROUPS[g] + " " + (a / GROUPS.length + 1), pp,
                    a == assignments - 1 && assignments > 12));
        }
        List<Student> st = new ArrayList<>();
        List<Score> sc = new ArrayList<>();
        for (int s = 0; s < students; s++) {
            long sid = sectionId * 100_000 + s;
            st.add(new Student(sid, FIRST[rnd.nextInt(FIRST.length)] + " " + LAST[rnd.nextInt(LAST.length)]));
            double ability = 0.55 + rnd.nextDouble() * 0.45;
            for (int a = 0; a < assignments; a++) {
                int r = rnd.nextInt(100);
                Assignment x = as.get(a);
                if (a >= assignments * 9 / 10 && r < 60) continue;                // recent work: mostly not graded yet
                if (r < 2) {
                    sc.add(new Score(sid, x.id(), null, true, false));           // excused
                } else if (r < 5) {
                    sc.add(new Score(sid, x.id(), null, false, true));           // missing
                } else if (r < 7) {
                    sc.add(new Score(sid, x.id(), null, false, false));          // entry, not graded
                } else {
                    double max = x.pointsPossible().signum() == 0 ? 3 : x.pointsPossible().doubleValue();
                    double v = Math.min(max * 1.1, Math.max(0, max * (ability + rnd.nextGaussian() * 0.12)));
                    sc.add(new Score(sid, x.id(), BigDecimal.valueOf(Math.round(v * 2) / 2.0).stripTrailingZeros(),
                            false, false));
                }
            }
        }
        List<LetterRow> standard = List.of(
                new LetterRow("A", new BigDecimal("0.94")), new LetterRow("A-", new BigDecimal("0.90")),
                new LetterRow("B+", new BigDecimal("0.87")), new LetterRow("B", new BigDecimal("0.84")),
                new LetterRow("B-", new BigDecimal("0.80")), new LetterRow("C+", new BigDecimal("0.77")),
                new LetterRow("C", new BigDecimal("0.74")), new LetterRow("C-", new BigDecimal("0.70")),
                new LetterRow("D+", new BigDecimal("0.67")), new LetterRow("D", new BigDecimal("0.64")),
                new LetterRow("D-", new BigDecimal("0.61")), new LetterRow("F", new BigDecimal("0.0")));
        return new SectionSource(new SectionInfo(sectionId, SCHOOL_ID, "Grade 7 Science " + sectionId, "2026 T1"), "percent",
                standard, new LatePolicy(true, BigDecimal.valueOf(50)), groups, as, st, sc);
    }

    /** The section as the legacy app serves it (docs/legacy-contract.md). */
    public static String json(SectionSource s) {
        StringBuilder b = new StringBuilder(256 + s.scores().size() * 90);
        b.append("{\"section\":{\"id\":").append(s.section().id());
        if (s.section().schoolId() != null) b.append(",\"school_id\":").append(str(s.section().schoolId()));
        b.append(",\"name\":").append(str(s.section().name()))
                .append(",\"term\":").append(str(s.section().term())).append("},\"weighting\":").append(str(s.weighting()))
                .append(",\"grading_standard\":");
        if (s.gradingStandard() == null) {
            b.append("null");
        } else {
            b.append('[');
            for (int i = 0; i < s.gradingStandard().size(); i++) {
                if (i > 0) b.append(',');
                var r = s.gradingStandard().get(i);
                b.append('[').append(str(r.letter())).append(',').append(r.lowerBound().toPlainString()).append(']');
            }
            b.append(']');
        }
        if (s.latePolicy() != null) {
            b.append(",\"late_policy\":{\"missing_submission_deduction_enabled\":")
                    .append(s.latePolicy().missingSubmissionDeductionEnabled())
                    .append(",\"missing_submission_deduction\":")
                    .append(s.latePolicy().missingSubmissionDeduction().toPlainString()).append('}');
        }
        b.append(",\"groups\":[");
        for (int i = 0; i < s.groups().size(); i++) {
            Group g = s.groups().get(i);
            if (i > 0) b.append(',');
            b.append("{\"id\":").append(g.id()).append(",\"name\":").append(str(g.name())).append(",\"weight\":")
                    .append(g.weight() == null ? "null" : g.weight().toPlainString())
                    .append(",\"rules\":{\"drop_lowest\":").append(g.rules().dropLowest())
                    .append(",\"drop_highest\":").append(g.rules().dropHighest()).append(",\"never_drop\":[");
            for (int j = 0; j < g.rules().neverDrop().size(); j++) {
                if (j > 0) b.append(',');
                b.append(g.rules().neverDrop().get(j));
            }
            b.append("]}}");
        }
        b.append("],\"assignments\":[");
        for (int i = 0; i < s.assignments().size(); i++) {
            Assignment a = s.assignments().get(i);
            if (i > 0) b.append(',');
            b.append("{\"id\":").append(a.id()).append(",\"group_id\":").append(a.groupId()).append(",\"name\":")
                    .append(str(a.name())).append(",\"points_possible\":")
                    .append(a.pointsPossible() == null ? "null" : a.pointsPossible().toPlainString())
                    .append(",\"omit_from_final_grade\":").append(a.omitFromFinalGrade()).append('}');
        }
        b.append("],\"students\":[");
        for (int i = 0; i < s.students().size(); i++) {
            if (i > 0) b.append(',');
            b.append("{\"id\":").append(s.students().get(i).id()).append(",\"name\":")
                    .append(str(s.students().get(i).name())).append('}');
        }
        b.append("],\"scores\":[");
        for (int i = 0; i < s.scores().size(); i++) {
            Score x = s.scores().get(i);
            if (i > 0) b.append(',');
            b.append("{\"student_id\":").append(x.studentId()).append(",\"assignment_id\":").append(x.assignmentId())
                    .append(",\"score\":").append(x.score() == null ? "null" : x.score().toPlainString())
                    .append(",\"excused\":").append(x.excused()).append(",\"missing\":").append(x.missing()).append('}');
        }
        return b.append("]}").toString();
    }

    private static String str(String v) {
        if (v == null) return "null";
        StringBuilder b = new StringBuilder(v.length() + 2).append('"');
        for (char c : v.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
