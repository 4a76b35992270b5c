package dev.apiary.gradebook.view;

import dev.apiary.gradebook.calc.GradeCalculator;
import dev.apiary.gradebook.calc.Gradebook;
import dev.apiary.gradebook.calc.Grades;
import dev.apiary.gradebook.calc.SectionSource;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;

/**
 * Writes the answer of {@code GET /sections/{id}} and {@code POST /calculate} straight to a generator: the same JSON
 * as Jackson's serialization of the plain view records (GradebookApiTest compares them byte for byte), without
 * reflection or intermediate view objects. A 40 x 80 section is ~50 KB of JSON, and writing it was most of the warm
 * path's cost. Grades are still computed on every call; only the writing is hand-made.
 */
@Component
public class SectionJson {

    // names encoded once: they are written thousands of times per section
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString GROUP_ID = new SerializedString("group_id");
    private static final SerializedString NAME = new SerializedString("name");
    private static final SerializedString POINTS_POSSIBLE = new SerializedString("points_possible");
    private static final SerializedString OMIT = new SerializedString("omit_from_final_grade");
    private static final SerializedString CURRENT = new SerializedString("current");
    private static final SerializedString FINAL = new SerializedString("final");
    private static final SerializedString GROUPS = new SerializedString("groups");

    private final JsonMapper json;

    public SectionJson(JsonMapper json) {
        this.json = json;
    }

    /** The section's definition, every student's grades, its score entries if asked, and how old the data is. */
    public byte[] write(Gradebook gb, boolean withScores, Instant dataAsOf, Instant patchedAt, Long ageSeconds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(withScores ? 320 * 1024 : 64 * 1024);
        try (JsonGenerator g = json.createGenerator(out)) {
            SectionSource d = gb.definition();
            g.writeStartObject();
            g.writeName("section");
            g.writePOJO(d.section());
            g.writeStringProperty("weighting", d.weighting());
            if (d.gradingStandard() != null) {
                g.writeName("grading_standard");
                g.writeStartArray();
                for (SectionSource.LetterRow r : d.gradingStandard()) {
                    g.writeStartArray();
                    g.writeString(r.letter());
                    g.writeNumber(r.lowerBound());
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
            if (d.latePolicy() != null) {
                g.writeName("late_policy");
                g.writePOJO(d.latePolicy());
            }
            g.writeName("groups");
            g.writePOJO(d.groups());
            assignments(g, d.assignments());
            g.writeName("students");
            g.writeStartArray();
            for (Grades.Student s : GradeCalculator.calculateAll(gb)) student(g, s);
            g.writeEndArray();
            if (withScores) {
                g.writeName("scores");
                g.writePOJO(new GradesJsonModule.ScoreList(gb, null));
            }
            if (dataAsOf != null) {
                g.writeName("data_as_of");
                g.writePOJO(dataAsOf);
            }
            if (patchedAt != null) {
                g.writeName("patched_at");
                g.writePOJO(patchedAt);
            }
            if (ageSeconds != null) g.writeNumberProperty("age_seconds", ageSeconds);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void assignments(JsonGenerator g, List<SectionSource.Assignment> assignments) {
        g.writeName("assignments");
        g.writeStartArray();
        for (SectionSource.Assignment a : assignments) {
            g.writeStartObject();
            g.writeName(ID);
            g.writeNumber(a.id());
            g.writeName(GROUP_ID);
            g.writeNumber(a.groupId());
            g.writeName(NAME);
            g.writeString(a.name());
            g.writeName(POINTS_POSSIBLE);
            if (a.pointsPossible() == null) g.writeNull(); else g.writeNumber(a.pointsPossible());
            g.writeName(OMIT);
            g.writeBoolean(a.omitFromFinalGrade());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void student(JsonGenerator g, Grades.Student s) {
        g.writeStartObject();
        g.writeName(ID);
        g.writeNumber(s.id());
        g.writeName(NAME);
        g.writeString(s.name());
        g.writeName(CURRENT);
        GradesJsonModule.course(g, s.current());
        g.writeName(FINAL);
        GradesJsonModule.course(g, s.finalGrade());
        g.writeName(GROUPS);
        g.writeStartArray();
        for (Grades.Group gr : s.groups()) {
            g.writeStartObject();
            g.writeName(ID);
            g.writeNumber(gr.id());
            g.writeName(CURRENT);
            GradesJsonModule.groupView(g, gr.current());
            g.writeName(FINAL);
            GradesJsonModule.groupView(g, gr.finalView());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
