package dev.apiary.gradebook.events;

import dev.apiary.gradebook.calc.Gradebook;
import dev.apiary.gradebook.calc.SectionSource.Score;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** A new score value for one student and assignment (a write or a {@code score} change event). */
public record ScoreChange(long sectionId, long studentId, long assignmentId, BigDecimal score, boolean excused,
                          boolean missing) {

    /** The snapshot with this change, or the same snapshot if it already holds this value. */
    public Gradebook applyTo(Gradebook gb) {
        Score cur = gb.scoreEntry(studentId, assignmentId);
        if (cur != null && cur.excused() == excused && cur.missing() == missing
                && (cur.score() == null ? score == null : score != null && cur.score().compareTo(score) == 0)) {
            return gb;
        }
        return gb.withScore(studentId, assignmentId, score, excused, missing);
    }

    /** The change event (docs/legacy-contract.md) and also the legacy write body plus section_id/kind. */
    public Map<String, Object> event() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("section_id", sectionId);
        m.put("kind", "score");
        m.putAll(legacyBody());
        return m;
    }

    /** Body of {@code PUT {legacy}/api/v1/sections/{id}/scores}. */
    public Map<String, Object> legacyBody() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("student_id", studentId);
        m.put("assignment_id", assignmentId);
        m.put("score", score);
        m.put("excused", excused);
        m.put("missing", missing);
        return m;
    }
}
