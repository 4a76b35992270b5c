package dev.apiary.gradebook.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.apiary.gradebook.cache.CachedSection;
import dev.apiary.gradebook.calc.GradeCalculator;
import dev.apiary.gradebook.calc.Gradebook;
import dev.apiary.gradebook.calc.Grades;
import dev.apiary.gradebook.calc.SectionSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** JSON shapes of the API (snake_case). Grades are computed on every call; only source data is cached. */
public final class Views {

    private Views() {}

    /** GET /sections/{id} and POST /calculate. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"section", "weighting", "grading_standard", "late_policy", "groups", "assignments", "students",
            "scores", "data_as_of", "patched_at", "age_seconds"})
    public record SectionView(SectionSource.SectionInfo section, String weighting, List<List<Object>> gradingStandard,
                              SectionSource.LatePolicy latePolicy, List<SectionSource.Group> groups,
                              List<SectionSource.Assignment> assignments, List<Grades.Student> students,
                              GradesJsonModule.ScoreList scores, Instant dataAsOf, Instant patchedAt, Long ageSeconds) {}

    /** GET /sections/{id}/students/{student_id}, and the {@code student} of an SSE {@code score} event. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "name", "current", "final", "groups", "scores", "data_as_of"})
    public record StudentView(long id, String name, Grades.Course current,
                              @JsonProperty("final") Grades.Course finalGrade, List<Grades.Group> groups,
                              GradesJsonModule.ScoreList scores, Instant dataAsOf) {}

    /** A score entry as in the source format. */
    @JsonPropertyOrder({"student_id", "assignment_id", "score", "excused", "missing"})
    public record ScoreView(long studentId, long assignmentId, BigDecimal score, boolean excused, boolean missing) {
        static ScoreView of(SectionSource.Score s) {
            BigDecimal v = s.score();
            if (v != null && v.scale() < 0) v = v.setScale(0);
            return new ScoreView(s.studentId(), s.assignmentId(), v, s.excused(), s.missing());
        }
    }

    /** Answer of PUT /sections/{id}/scores. */
    @JsonPropertyOrder({"section_id", "score", "student"})
    public record WriteResult(long sectionId, ScoreView score, StudentView student) {}

    /** SSE event {@code score}. */
    @JsonPropertyOrder({"section_id", "student"})
    public record ScoreEvent(long sectionId, StudentView student) {}

    /** SSE event {@code reload}. */
    @JsonPropertyOrder({"section_id", "kind"})
    public record ReloadEvent(long sectionId, String kind) {}

    public static SectionView section(CachedSection c, boolean withScores) {
        SectionView v = section(c.gradebook(), withScores);
        return new SectionView(v.section(), v.weighting(), v.gradingStandard(), v.latePolicy(), v.groups(),
                v.assignments(), v.students(), v.scores(), c.fetchedAt(), c.patchedAt(), c.age().toSeconds());
    }

    public static SectionView section(Gradebook gb, boolean withScores) {
        SectionSource d = gb.definition();
        List<List<Object>> standard = d.gradingStandard() == null ? null
                : d.gradingStandard().stream().map(r -> List.<Object>of(r.letter(), r.lowerBound())).toList();
        return new SectionView(d.section(), d.weighting(), standard, d.latePolicy(), d.groups(), d.assignments(),
                GradeCalculator.calculateAll(gb),
                withScores ? new GradesJsonModule.ScoreList(gb, null) : null, null, null, null);
    }

    /** One student's grades and score entries, or null if not on the roster. */
    public static StudentView student(Gradebook gb, long studentId, Instant dataAsOf) {
        Grades.Student s = GradeCalculator.calculate(gb, studentId);
        if (s == null) return null;
        return new StudentView(s.id(), s.name(), s.current(), s.finalGrade(), s.groups(),
                new GradesJsonModule.ScoreList(gb, studentId), dataAsOf);
    }

    public static ScoreView score(SectionSource.Score s) {
        return ScoreView.of(s);
    }
}
