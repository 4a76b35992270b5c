package dev.apiary.sandbox.legacy.gradebook;

import dev.apiary.sandbox.legacy.school.Model.Assignment;
import dev.apiary.sandbox.legacy.school.Model.Score;
import dev.apiary.sandbox.legacy.school.Model.ScoreChange;
import dev.apiary.sandbox.legacy.school.Model.Section;
import dev.apiary.sandbox.legacy.school.SchoolData;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The system of record for scores: in memory, per section, starting from the generated data. Every write is also
 * kept in the section's change log with the legacy user who made it (the audit trail Rails would keep), the last
 * {@value #CHANGES_KEPT} per section.
 */
@Component
public class GradebookStore {
    static final int CHANGES_KEPT = 1000;
    static final int MAX_ACTOR_LENGTH = 128;
    private final SchoolData school;
    private final Map<Integer, Map<Long, Score>> scores = new ConcurrentHashMap<>();
    private final Map<Integer, Deque<ScoreChange>> changes = new ConcurrentHashMap<>();

    public GradebookStore(SchoolData school) {
        this.school = school;
        reset();
    }

    public final void reset() {
        for (int id : school.sections().keySet()) {
            scores.put(id, school.initialScores(id));
            changes.put(id, new ArrayDeque<>());
        }
    }

    /** The section in the legacy gradebook source format (docs/legacy-contract.md), or null when unknown. */
    public Map<String, Object> gradebook(int sectionId) {
        Section s = school.section(sectionId);
        if (s == null) return null;
        Map<Long, Score> sc = scores.get(sectionId);
        List<Score> snapshot;
        synchronized (sc) {
            snapshot = new ArrayList<>(sc.values());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("id", s.id());
        section.put("school_id", s.schoolId());
        section.put("name", s.name());
        section.put("term", s.term());
        out.put("section", section);
        out.put("weighting", s.weighting());
        out.put("grading_standard", SchoolData.GRADING_STANDARD);
        out.put("late_policy", Map.of("missing_submission_deduction_enabled", false,
                "missing_submission_deduction", 0));
        out.put("groups", s.groups().stream().map(g -> Map.of("id", g.id(), "name", g.name(), "weight", g.weight(),
                "rules", Map.of("drop_lowest", g.rules().dropLowest(), "drop_highest", g.rules().dropHighest(),
                        "never_drop", g.rules().neverDrop()))).toList());
        out.put("assignments", s.assignments().stream().map(a -> Map.of("id", a.id(), "group_id", a.groupId(),
                "name", a.name(), "points_possible", a.pointsPossible(),
                "omit_from_final_grade", a.omitFromFinalGrade())).toList());
        out.put("students", s.students().stream().map(st -> Map.of("id", st.id(), "name", st.name())).toList());
        out.put("scores", snapshot.stream().map(GradebookStore::scoreJson).toList());
        return out;
    }

    static Map<String, Object> scoreJson(Score x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("student_id", x.studentId());
        m.put("assignment_id", x.assignmentId());
        m.put("score", x.score());
        m.put("excused", x.excused());
        m.put("missing", x.missing());
        return m;
    }

    /**
     * Validates and stores one score, and who wrote it ({@code actor}: the legacy user's id, null when the writer
     * named nobody). Throws {@link InvalidScore} naming the field; nothing is written then.
     */
    public Score write(int sectionId, Integer studentId, Integer assignmentId, Double value, Boolean excused,
                       Boolean missing, String actor) {
        Section s = school.section(sectionId);
        if (s == null) throw new UnknownSection(sectionId);
        if (studentId == null) throw new InvalidScore("student_id", "is required");
        if (assignmentId == null) throw new InvalidScore("assignment_id", "is required");
        if (!s.hasStudent(studentId)) throw new InvalidScore("student_id", "student " + studentId + " is not in section " + sectionId);
        Assignment a = s.assignment(assignmentId);
        if (a == null) throw new InvalidScore("assignment_id", "assignment " + assignmentId + " is not in section " + sectionId);
        if (value != null && (value.isNaN() || value.isInfinite())) throw new InvalidScore("score", "must be a finite number");
        if (value != null && value < 0) throw new InvalidScore("score", "must not be negative");
        if (value != null && value > 1000) throw new InvalidScore("score", "must be at most 1000");
        if (actor != null && (actor.isBlank() || actor.length() > MAX_ACTOR_LENGTH)) {
            throw new InvalidScore("actor", "must be a user id of 1-" + MAX_ACTOR_LENGTH + " characters");
        }
        Score score = new Score(studentId, assignmentId, value, Boolean.TRUE.equals(excused), Boolean.TRUE.equals(missing));
        Map<Long, Score> sc = scores.get(sectionId);
        Deque<ScoreChange> log = changes.get(sectionId);
        synchronized (sc) {
            sc.put(SchoolData.key(studentId, assignmentId), score);
            log.addLast(new ScoreChange(sectionId, score, actor, Instant.now()));
            if (log.size() > CHANGES_KEPT) log.removeFirst();
        }
        return score;
    }

    /** The section's score changes, oldest first (the last {@value #CHANGES_KEPT}); null when the section is unknown. */
    public List<ScoreChange> changes(int sectionId) {
        Map<Long, Score> sc = scores.get(sectionId);
        if (sc == null) return null;
        synchronized (sc) {
            return List.copyOf(changes.get(sectionId));
        }
    }

    public Score score(int sectionId, int studentId, int assignmentId) {
        Map<Long, Score> sc = scores.get(sectionId);
        if (sc == null) return null;
        synchronized (sc) {
            return sc.get(SchoolData.key(studentId, assignmentId));
        }
    }

    public static final class InvalidScore extends RuntimeException {
        private final String field;

        public InvalidScore(String field, String message) {
            super(field + " " + message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public static final class UnknownSection extends RuntimeException {
        public UnknownSection(int id) {
            super("section " + id + " does not exist");
        }
    }
}
