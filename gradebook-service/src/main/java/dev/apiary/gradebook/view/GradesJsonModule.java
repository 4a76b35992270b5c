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
        char[] buf = new char[24];
        g.writeStartObject();
        number(g, SCORE, c.scoreUnscaled(), c.scale(), buf);
        number(g, POSSIBLE, c.possibleUnscaled(), c.scale(), buf);
        percent(g, c.percentCents(), buf);
        g.writeName(LETTER);
        if (c.letter() == null) g.writeNull(); else g.writeString(c.letter());
        g.writeEndObject();
    }

    static void groupView(JsonGenerator g, Grades.GroupView v) {
        char[] buf = new char[24];
        g.writeStartObject();
        number(g, SCORE, v.scoreUnscaled(), v.scale(), buf);
        number(g, POSSIBLE, v.possibleUnscaled(), v.scale(), buf);
        percent(g, v.percentCents(), buf);
        g.writeName(DROPPED);
        g.writeStartArray();
        for (int i = 0, n = v.dropped().size(); i < n; i++) g.writeNumber(v.dropped().get(i).longValue());
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, SerializedString name, long unscaled, int scale, char[] buf) {
        g.writeName(name);
        if (unscaled == Long.MIN_VALUE) g.writeNull();
        else if (scale == 0) g.writeNumber(unscaled);
        else g.writeNumber(buf, 0, Decimals.plainChars(unscaled, scale, buf));
    }

    private static void percent(JsonGenerator g, long cents, char[] buf) {
        g.writeName(PERCENT);
        if (cents == Long.MIN_VALUE) g.writeNull(); else g.writeNumber(buf, 0, Decimals.centsChars(cents, buf));
    }

    /** The score entries of a snapshot (all, or one student's), serialized without intermediate objects. */
    public record ScoreList(Gradebook gradebook, Long studentId) {}
}
