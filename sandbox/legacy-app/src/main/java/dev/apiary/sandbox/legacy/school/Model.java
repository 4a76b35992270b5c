package dev.apiary.sandbox.legacy.school;

import java.time.Instant;
import java.util.List;

/** The legacy school's data model (what Rails would keep in its tables). */
public final class Model {
    private Model() {}

    /** A school of the (multi-school) legacy app: its id is the {@code school_id} the services see. */
    public record School(String id, String name) {}

    public record Guardian(int id, int studentId, String name, String phone, String email, String language) {}

    public record Student(int id, String firstName, String lastName, String name, int gradeLevel, String homeroom,
                          List<Guardian> guardians) {}

    public record Rules(int dropLowest, int dropHighest, List<Integer> neverDrop) {}

    public record Group(int id, String name, double weight, Rules rules) {}

    public record Assignment(int id, int groupId, String name, Double pointsPossible, boolean omitFromFinalGrade) {}

    public record Score(int studentId, int assignmentId, Double score, boolean excused, boolean missing) {}

    /** One stored score change: the value written and the legacy user who wrote it ({@code actor}, null if unknown). */
    public record ScoreChange(int sectionId, Score score, String actor, Instant changedAt) {}

    public record Section(int id, String schoolId, String name, String term, int gradeLevel, String subject, String teacher,
                          String weighting, List<Group> groups, List<Assignment> assignments, List<Student> students) {

        public boolean hasStudent(int studentId) {
            return students.stream().anyMatch(s -> s.id() == studentId);
        }

        public Assignment assignment(int assignmentId) {
            return assignments.stream().filter(a -> a.id() == assignmentId).findFirst().orElse(null);
        }
    }
}
