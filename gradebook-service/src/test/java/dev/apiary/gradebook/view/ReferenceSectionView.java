package dev.apiary.gradebook.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.apiary.gradebook.cache.CachedSection;
import dev.apiary.gradebook.calc.GradeCalculator;
import dev.apiary.gradebook.calc.Gradebook;
import dev.apiary.gradebook.calc.Grades;
import dev.apiary.gradebook.calc.SectionSource;

import java.time.Instant;
import java.util.List;

/**
 * The section answer as plain records, serialized by Jackson: the reference that {@link SectionJson}'s hand-written
 * output must equal byte for byte (GradebookApiTest).
 */
public final class ReferenceSectionView {

    private ReferenceSectionView() {}

    /** GET /sections/{id} and POST /calculate. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"section", "weighting", "grading_standard", "late_policy", "groups", "assignments", "students",
            "scores", "data_as_of", "patched_at", "age_seconds"})
    public record SectionView(SectionSource.SectionInfo section, String weighting, List<List<Object>> gradingStandard,
                              SectionSource.LatePolicy latePolicy, List<SectionSource.Group> groups,
                              List<SectionSource.Assignment> assignments, List<Grades.Student> students,
                              GradesJsonModule.ScoreList scores, Instant dataAsOf, Instant patchedAt, Long ageSeconds) {}

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
}
