package dev.apiary.gradebook.calc;

import java.math.BigDecimal;
import java.util.List;

/**
 * A section's gradebook source data, exactly as the legacy app serves it (docs/legacy-contract.md
 * "Gradebook source data"), already validated. Immutable; lists are never null
 * ({@code gradingStandard} and {@code latePolicy} may be).
 */
public record SectionSource(
        SectionInfo section,
        String weighting,
        List<LetterRow> gradingStandard,
        LatePolicy latePolicy,
        List<Group> groups,
        List<Assignment> assignments,
        List<Student> students,
        List<Score> scores) {

    public SectionSource {
        groups = List.copyOf(groups);
        assignments = List.copyOf(assignments);
        students = List.copyOf(students);
        scores = List.copyOf(scores);
        gradingStandard = gradingStandard == null ? null : List.copyOf(gradingStandard);
    }

    /** {@code schoolId}: the school the section belongs to (tenancy); required from the legacy app, optional in /calculate. */
    public record SectionInfo(long id, String schoolId, String name, String term) {}

    /** {@code lowerBound} is a fraction: 0.94 = 94 %. */
    public record LetterRow(String letter, BigDecimal lowerBound) {}

    /** {@code deduction} is a percentage 0..100. */
    public record LatePolicy(boolean missingSubmissionDeductionEnabled, BigDecimal missingSubmissionDeduction) {}

    /** {@code weight} may be null (treated as 0, rule N2). */
    public record Group(long id, String name, BigDecimal weight, DropRules rules) {}

    public record DropRules(int dropLowest, int dropHighest, List<Long> neverDrop) {
        public static final DropRules NONE = new DropRules(0, 0, List.of());

        public DropRules {
            neverDrop = neverDrop == null ? List.of() : List.copyOf(neverDrop);
        }
    }

    /** {@code pointsPossible} may be null (treated as 0, rule N1). */
    public record Assignment(long id, long groupId, String name, BigDecimal pointsPossible,
                             boolean omitFromFinalGrade) {}

    public record Student(long id, String name) {}

    /** {@code score} null = not graded yet. */
    public record Score(long studentId, long assignmentId, BigDecimal score, boolean excused, boolean missing) {}
}
