package dev.apiary.gradebook.view;

import dev.apiary.gradebook.calc.GradeCalculator;
import dev.apiary.gradebook.calc.Gradebook;
import dev.apiary.gradebook.calc.Grades;
import dev.apiary.gradebook.calc.SectionSource;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Writes the answer of {@code GET /sections/{id}} and {@code POST /calculate} as UTF-8 bytes: the same JSON as
 * Jackson's serialization of the plain view records (GradebookApiTest compares them byte for byte), without
 * reflection, intermediate view objects or a generator. A 40 x 80 section is ~50 KB of JSON (~6,000 values), and
 * writing it was most of the warm path's cost. Grades are still computed on every call; only the writing is
 * hand-made. The few small definition objects (section, late policy, groups) and timestamps go through Jackson.
 */
@Component
public class SectionJson {

    // names encoded once: they are written thousands of times per section
    private static final byte[] ID = JsonBytes.name("id");
    private static final byte[] GROUP_ID = JsonBytes.name("group_id");
    private static final byte[] NAME = JsonBytes.name("name");
    private static final byte[] POINTS_POSSIBLE = JsonBytes.name("points_possible");
    private static final byte[] OMIT = JsonBytes.name("omit_from_final_grade");
    private static final byte[] CURRENT = JsonBytes.name("current");
    private static final byte[] FINAL = JsonBytes.name("final");
    private static final byte[] GROUPS = JsonBytes.name("groups");
    private static final byte[] SCORE = JsonBytes.name("score");
    private static final byte[] POSSIBLE = JsonBytes.name("possible");
    private static final byte[] PERCENT = JsonBytes.name("percent");
    private static final byte[] LETTER = JsonBytes.name("letter");
    private static final byte[] DROPPED = JsonBytes.name("dropped");
    private static final byte[] STUDENT_ID = JsonBytes.name("student_id");
    private static final byte[] ASSIGNMENT_ID = JsonBytes.name("assignment_id");
    private static final byte[] EXCUSED = JsonBytes.name("excused");
    private static final byte[] MISSING = JsonBytes.name("missing");

    private final JsonMapper json;

    public SectionJson(JsonMapper json) {
        this.json = json;
    }

    // response buffers: enough for the requests a service handles at once on two cores, each up to 1 MB
    private final BufferPool buffers = new BufferPool(32, 1 << 20);

    /** The section's definition, every student's grades, its score entries if asked, and how old the data is. */
    public byte[] write(Gradebook gb, boolean withScores, Instant dataAsOf, Instant patchedAt, Long ageSeconds) {
        JsonBytes out = new JsonBytes(estimate(gb, withScores), json::writeValueAsBytes);
        write(out, gb, withScores, dataAsOf, patchedAt, ageSeconds);
        return out.toByteArray();
    }

    /**
     * {@link #write} straight into {@code body} (Content-Length set, nothing else copied), the buffer taken from
     * and given back to a small pool.
     */
    public void writeTo(jakarta.servlet.http.HttpServletResponse response, Gradebook gb, boolean withScores,
                        Instant dataAsOf, Instant patchedAt, Long ageSeconds) throws java.io.IOException {
        JsonBytes out = new JsonBytes(buffers.acquire(estimate(gb, withScores)), json::writeValueAsBytes);
        try {
            write(out, gb, withScores, dataAsOf, patchedAt, ageSeconds);
            response.setContentLength(out.length());
            out.writeTo(response.getOutputStream());
        } finally {
            buffers.release(out.buffer());
        }
    }

    private static int estimate(Gradebook gb, boolean withScores) {
        SectionSource d = gb.definition();
        return 2048 + 200 * d.assignments().size() + d.students().size() * (1100 + 180 * d.groups().size())
                + (withScores ? 90 * d.scores().size() : 0);
    }

    private void write(JsonBytes out, Gradebook gb, boolean withScores, Instant dataAsOf, Instant patchedAt,
                       Long ageSeconds) {
        SectionSource d = gb.definition();
        out.raw(SECTION).raw(json.writeValueAsBytes(d.section()));
        out.ch(',').raw(WEIGHTING).string(d.weighting());
        if (d.gradingStandard() != null) {
            out.ch(',').raw(GRADING_STANDARD).ch('[');
            boolean first = true;
            for (SectionSource.LetterRow r : d.gradingStandard()) {
                if (!first) out.ch(',');
                first = false;
                out.ch('[').string(r.letter()).ch(',');
                bigDecimal(out, r.lowerBound());
                out.ch(']');
            }
            out.ch(']');
        }
        if (d.latePolicy() != null) out.ch(',').raw(LATE_POLICY).raw(json.writeValueAsBytes(d.latePolicy()));
        out.ch(',').raw(GROUPS).raw(json.writeValueAsBytes(d.groups()));
        assignments(out, d.assignments());
        out.ch(',').raw(STUDENTS).ch('[');
        boolean first = true;
        for (Grades.Student s : GradeCalculator.calculateAll(gb)) {
            if (!first) out.ch(',');
            first = false;
            student(out, s);
        }
        out.ch(']');
        if (withScores) {
            out.ch(',').raw(SCORES).ch('[');
            boolean[] firstEntry = {true};
            gb.forEachEntry(null, (sid, aid, has, score, scale, excused, missing) -> {
                if (!firstEntry[0]) out.ch(',');
                firstEntry[0] = false;
                out.ch('{').raw(STUDENT_ID).number(sid).ch(',').raw(ASSIGNMENT_ID).number(aid).ch(',').raw(SCORE);
                if (has) out.decimal(score, scale); else out.nul();
                out.ch(',').raw(EXCUSED).bool(excused).ch(',').raw(MISSING).bool(missing).ch('}');
            });
            out.ch(']');
        }
        if (dataAsOf != null) out.ch(',').raw(DATA_AS_OF).raw(json.writeValueAsBytes(dataAsOf));
        if (patchedAt != null) out.ch(',').raw(PATCHED_AT).raw(json.writeValueAsBytes(patchedAt));
        if (ageSeconds != null) out.ch(',').raw(AGE_SECONDS).number(ageSeconds);
        out.ch('}');
    }

    private static final byte[] SECTION = ("{" + new String(JsonBytes.name("section"), StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] WEIGHTING = JsonBytes.name("weighting");
    private static final byte[] GRADING_STANDARD = JsonBytes.name("grading_standard");
    private static final byte[] LATE_POLICY = JsonBytes.name("late_policy");
    private static final byte[] ASSIGNMENTS = JsonBytes.name("assignments");
    private static final byte[] STUDENTS = JsonBytes.name("students");
    private static final byte[] SCORES = JsonBytes.name("scores");
    private static final byte[] DATA_AS_OF = JsonBytes.name("data_as_of");
    private static final byte[] PATCHED_AT = JsonBytes.name("patched_at");
    private static final byte[] AGE_SECONDS = JsonBytes.name("age_seconds");

    /** As Jackson writes a BigDecimal by default (toString, not plain). */
    private static void bigDecimal(JsonBytes out, BigDecimal v) {
        if (v == null) out.nul(); else out.raw(v.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static void assignments(JsonBytes out, List<SectionSource.Assignment> assignments) {
        out.ch(',').raw(ASSIGNMENTS).ch('[');
        boolean first = true;
        for (SectionSource.Assignment a : assignments) {
            if (!first) out.ch(',');
            first = false;
            out.ch('{').raw(ID).number(a.id()).ch(',').raw(GROUP_ID).number(a.groupId())
                    .ch(',').raw(NAME).string(a.name()).ch(',').raw(POINTS_POSSIBLE);
            bigDecimal(out, a.pointsPossible());
            out.ch(',').raw(OMIT).bool(a.omitFromFinalGrade()).ch('}');
        }
        out.ch(']');
    }

    private static void student(JsonBytes out, Grades.Student s) {
        out.ch('{').raw(ID).number(s.id()).ch(',').raw(NAME).string(s.name()).ch(',').raw(CURRENT);
        course(out, s.current());
        out.ch(',').raw(FINAL);
        course(out, s.finalGrade());
        out.ch(',').raw(GROUPS).ch('[');
        boolean first = true;
        for (Grades.Group gr : s.groups()) {
            if (!first) out.ch(',');
            first = false;
            out.ch('{').raw(ID).number(gr.id()).ch(',').raw(CURRENT);
            groupView(out, gr.current());
            out.ch(',').raw(FINAL);
            groupView(out, gr.finalView());
            out.ch('}');
        }
        out.ch(']').ch('}');
    }

    private static void course(JsonBytes out, Grades.Course c) {
        out.ch('{');
        scorePossiblePercent(out, c.scoreUnscaled(), c.possibleUnscaled(), c.scale(), c.percentCents());
        out.ch(',').raw(LETTER).string(c.letter()).ch('}');
    }

    private static void groupView(JsonBytes out, Grades.GroupView v) {
        out.ch('{');
        scorePossiblePercent(out, v.scoreUnscaled(), v.possibleUnscaled(), v.scale(), v.percentCents());
        out.ch(',').raw(DROPPED).ch('[');
        for (int i = 0, n = v.dropped().size(); i < n; i++) {
            if (i > 0) out.ch(',');
            out.number(v.dropped().get(i));
        }
        out.ch(']').ch('}');
    }

    /** The fields a course grade and a group view share. */
    private static void scorePossiblePercent(JsonBytes out, long score, long possible, int scale, long cents) {
        out.raw(SCORE);
        number(out, score, scale);
        out.ch(',').raw(POSSIBLE);
        number(out, possible, scale);
        out.ch(',').raw(PERCENT);
        percent(out, cents);
    }

    private static void number(JsonBytes out, long unscaled, int scale) {
        if (unscaled == Long.MIN_VALUE) out.nul(); else out.decimal(unscaled, scale);
    }

    private static void percent(JsonBytes out, long cents) {
        if (cents == Long.MIN_VALUE) out.nul(); else out.cents(cents);
    }
}
