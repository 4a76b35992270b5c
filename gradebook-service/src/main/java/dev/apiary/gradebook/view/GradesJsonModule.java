package dev.apiary.gradebook.view;

import dev.apiary.gradebook.calc.Decimals;
import dev.apiary.gradebook.calc.Gradebook;
import dev.apiary.gradebook.calc.Grades;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Writes grades and score lists straight from their scaled longs: no BigDecimal, no reflection.
 * The JSON is the same as the records' default serialization (numbers in plain notation,
 * percentages with two decimals); it only makes a 40 x 80 section several times cheaper to write.
 */
@Component
public class GradesJsonModule extends SimpleModule {

    public GradesJsonModule() {
        super("apiary-gradebook-grades");
        addSerializer(Grades.Course.class, new ValueSerializer<>() {
            @Override
            public void serialize(Grades.Course c, JsonGenerator g, SerializationContext ctx) {
                course(g, c);
            }
        });
        addSerializer(Grades.GroupView.class, new ValueSerializer<>() {
            @Override
            public void serialize(Grades.GroupView v, JsonGenerator g, SerializationContext ctx) {
                groupView(g, v);
            }
        });
        addSerializer(ScoreList.class, new ValueSerializer<>() {
            @Override
            public void serialize(ScoreList l, JsonGenerator g, SerializationContext ctx) {
                g.writeStartArray();
                l.gradebook().forEachEntry(l.studentId(), (sid, aid, has, score, scale, excused, missing) -> {
                    g.writeStartObject();
                    g.writeNumberProperty("student_id", sid);
                    g.writeNumberProperty("assignment_id", aid);
                    g.writeName("score");
                    if (has) g.writeNumber(Decimals.plain(score, scale)); else g.writeNull();
                    g.writeBooleanProperty("excused", excused);
                    g.writeBooleanProperty("missing", missing);
                    g.writeEndObject();
                });
                g.writeEndArray();
            }
        });
    }

    // names encoded once (these objects are written thousands of times per section)
    private static final SerializedString SCORE = new SerializedString("score");
    private static final SerializedString POSSIBLE = new SerializedString("possible");
    private static final SerializedString PERCENT = new SerializedString("percent");
    private static final SerializedString LETTER = new SerializedString("letter");
    private static final SerializedString DROPPED = new SerializedString("dropped");

    static void course(JsonGenerator g, Grades.Course c) {
        g.writeStartObject();
        scorePossiblePercent(g, c.scoreUnscaled(), c.possibleUnscaled(), c.scale(), c.percentCents());
        g.writeName(LETTER);
        if (c.letter() == null) g.writeNull(); else g.writeString(c.letter());
        g.writeEndObject();
    }

    static void groupView(JsonGenerator g, Grades.GroupView v) {
        g.writeStartObject();
        scorePossiblePercent(g, v.scoreUnscaled(), v.possibleUnscaled(), v.scale(), v.percentCents());
        g.writeName(DROPPED);
        g.writeStartArray();
        for (int i = 0, n = v.dropped().size(); i < n; i++) g.writeNumber(v.dropped().get(i).longValue());
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The fields a course grade and a group view share. (The section answer has its own writer: SectionJson.) */
    private static void scorePossiblePercent(JsonGenerator g, long score, long possible, int scale, long cents) {
        number(g, SCORE, score, scale);
        number(g, POSSIBLE, possible, scale);
        g.writeName(PERCENT);
        if (cents == Long.MIN_VALUE) g.writeNull(); else g.writeNumber(Decimals.cents(cents));
    }

    private static void number(JsonGenerator g, SerializedString name, long unscaled, int scale) {
        g.writeName(name);
        if (unscaled == Long.MIN_VALUE) g.writeNull();
        else if (scale == 0) g.writeNumber(unscaled);
        else g.writeNumber(Decimals.plain(unscaled, scale));
    }

    /** The score entries of a snapshot (all, or one student's), serialized without intermediate objects. */
    public record ScoreList(Gradebook gradebook, Long studentId) {}
}
