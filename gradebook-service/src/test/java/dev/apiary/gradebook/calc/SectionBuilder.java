package dev.apiary.gradebook.calc;

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
import java.util.Arrays;
import java.util.List;

/** Terse builder of source data for calculator tests: one student (id 1) unless told otherwise. */
final class SectionBuilder {
    private String weighting = "points";
    private List<LetterRow> standard;
    private LatePolicy latePolicy;
    private final List<Group> groups = new ArrayList<>();
    private final List<Assignment> assignments = new ArrayList<>();
    private final List<Student> students = new ArrayList<>(List.of(new Student(1, "Student One")));
    private final List<Score> scores = new ArrayList<>();
    private long nextAssignment = 1;
    private long currentGroup;

    static BigDecimal d(String v) {
        return v == null ? null : new BigDecimal(v);
    }

    SectionBuilder percent() { weighting = "percent"; return this; }

    SectionBuilder weighting(String w) { weighting = w; return this; }

    SectionBuilder standard(Object... rows) {
        standard = new ArrayList<>();
        for (int i = 0; i < rows.length; i += 2) standard.add(new LetterRow((String) rows[i], d((String) rows[i + 1])));
        return this;
    }

    SectionBuilder canvasStandard() {
        return standard("A", "0.94", "A-", "0.90", "B+", "0.87", "B", "0.84", "B-", "0.80", "C+", "0.77",
                "C", "0.74", "C-", "0.70", "D+", "0.67", "D", "0.64", "D-", "0.61", "F", "0.0");
    }

    SectionBuilder missingDeduction(String percent) {
        latePolicy = new LatePolicy(true, d(percent));
        return this;
    }

    SectionBuilder group(long id, String weight) { return group(id, weight, 0, 0); }

    SectionBuilder group(long id, String weight, int dropLowest, int dropHighest, Long... neverDrop) {
        groups.add(new Group(id, "g" + id, d(weight), new DropRules(dropLowest, dropHighest, Arrays.asList(neverDrop))));
        currentGroup = id;
        return this;
    }

    SectionBuilder startIds(long id) { nextAssignment = id; return this; }

    /** Adds an assignment (points possible) and, if score != "-", a score for student 1 ("null" = ungraded entry). */
    SectionBuilder item(String score, String possible) {
        long id = nextAssignment++;
        assignments.add(new Assignment(id, currentGroup, "a" + id, d(possible), false));
        if (!"-".equals(score)) scores.add(new Score(1, id, "null".equals(score) ? null : d(score), false, false));
        return this;
    }

    SectionBuilder omitted(String score, String possible) {
        long id = nextAssignment++;
        assignments.add(new Assignment(id, currentGroup, "a" + id, d(possible), true));
        scores.add(new Score(1, id, d(score), false, false));
        return this;
    }

    SectionBuilder excused(String score, String possible) {
        long id = nextAssignment++;
        assignments.add(new Assignment(id, currentGroup, "a" + id, d(possible), false));
        scores.add(new Score(1, id, d(score), true, false));
        return this;
    }

    SectionBuilder missing(String score, String possible) {
        long id = nextAssignment++;
        assignments.add(new Assignment(id, currentGroup, "a" + id, d(possible), false));
        scores.add(new Score(1, id, "null".equals(score) ? null : d(score), false, true));
        return this;
    }

    SectionSource source() {
        return new SectionSource(new SectionInfo(101, "lakeview", "Test", "T1"), weighting, standard, latePolicy,
                groups, assignments, students, scores);
    }

    Gradebook gradebook() { return Gradebook.of(source()); }

    Grades.Student calc() { return GradeCalculator.calculate(gradebook(), 1L); }
}
