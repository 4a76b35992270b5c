package dev.apiary.gradebook.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.apiary.gradebook.calc.GradeCalculator;
import dev.apiary.gradebook.calc.Gradebook;
import dev.apiary.gradebook.calc.Grades;
import dev.apiary.gradebook.calc.SectionSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * JSON shapes of the API (snake_case). Grades are computed on every call; only source data is cached. The section
 * answer is written by {@link SectionJson}.
 */
public final class Views {

    private Views() {}

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
