package dev.apiary.sandbox.legacy.school;

import dev.apiary.sandbox.legacy.LegacyProperties;
import dev.apiary.sandbox.legacy.school.Model.Assignment;
import dev.apiary.sandbox.legacy.school.Model.Group;
import dev.apiary.sandbox.legacy.school.Model.Guardian;
import dev.apiary.sandbox.legacy.school.Model.Rules;
import dev.apiary.sandbox.legacy.school.Model.School;
import dev.apiary.sandbox.legacy.school.Model.Score;
import dev.apiary.sandbox.legacy.school.Model.Section;
import dev.apiary.sandbox.legacy.school.Model.Student;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic demo schools (fixed seed, no clock). The first (default {@code lakeview}): grades 6, 7 and 8; grade 7
 * has 300 students in 8 sections (101-108), grades 6 and 8 three sections each (601-603, 801-803). The second,
 * {@value #SECOND_SCHOOL}: grade 7 in three sections (701-703), so that one school's users and clients can be shown not
 * to reach the other's. Each section has 25-40 students, four assignment groups with drop rules, an extra-credit
 * item, an omitted practice quiz, a test not graded yet, and some excused / missing scores. Every student has one or
 * two guardians with a phone and an email. The second school is generated after the first, so the first's data (ids,
 * names, scores) is what it was before there were two.
 */
public final class SchoolData {
    public static final long SEED = 20_260_117L;
    public static final String TERM = "2026 T1";
    public static final String FIRST_SCHOOL = "lakeview";
    public static final String SECOND_SCHOOL = "hillcrest";

    static final String[] FIRST = {
        "José", "María", "Lucía", "Sofía", "Martín", "Joaquín", "Inés", "Andrés", "Ramón", "Álvaro",
        "Zoë", "Chloé", "Noémie", "Hélène", "François", "Amélie", "Léa", "Björn", "Søren", "Åsa",
        "Jürgen", "Anaïs", "Renée", "Mónica", "Iñaki", "Julián", "Begoña", "Ángela", "Raúl", "Tomás",
        "Aarav", "Priya", "Vikram", "Ananya", "Rohan", "Lakshmi", "Arjun", "Kavya", "Meera", "Divya",
        "Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Mia", "Lucas", "Grace", "Owen",
        "Łucja", "Wojciech", "Zoltán", "Ayşe", "Emeka", "Chidi", "Minh", "Kenji"};
    static final String[] LAST = {
        "Núñez", "García", "Martínez", "Peña", "Ibáñez", "Gómez", "Muñoz", "Hernández", "Sánchez", "Fernández",
        "Lefèvre", "Dubois", "Côté", "Gagné", "Østergaard", "Åkesson", "Müller", "Schäfer", "Weiß",
        "Sharma", "Venkataraman", "Iyer", "Patel", "Reddy", "Nair", "Chatterjee", "Kulkarni",
        "Smith", "Johnson", "Williams", "Brown", "O'Connor", "MacDonald", "Nguyen", "Wiśniewska", "Kovács",
        "Yılmaz", "Okafor", "Tanaka", "Rossi", "Conceição"};
    static final String[] SUBJECTS = {"Science", "Math", "English", "History", "Spanish", "Art", "Music", "Geography"};
    static final String[] TEACHERS = {
        "Ms. Catherine Walsh", "Mr. Daniel Ortega", "Dr. Radhika Iyengar", "Mrs. Brigitte Lemaître",
        "Mr. Thomas Becker", "Mrs. Aisha Rahman", "Ms. Yuki Morimoto", "Mr. Kwame Mensah"};
    public static final List<List<Object>> GRADING_STANDARD = List.of(
            List.of("A", 0.94), List.of("A-", 0.90), List.of("B+", 0.87), List.of("B", 0.84), List.of("B-", 0.80),
            List.of("C+", 0.77), List.of("C", 0.74), List.of("C-", 0.70), List.of("D+", 0.67), List.of("D", 0.64),
            List.of("D-", 0.61), List.of("F", 0.0));

    /** Sections {@code firstId..} of one grade of one school, with these sizes. */
    private record Block(School school, int grade, int firstId, int[] sizes, int teacherOffset) {}

    private final List<School> schools;
    private final Map<Integer, Section> sections = new LinkedHashMap<>();
    private final Map<Integer, Map<Long, Score>> initialScores = new LinkedHashMap<>();

    public SchoolData(LegacyProperties props) {
        this(props.schoolId(), props.phoneFormat(), props.phoneOffset(), props.emailDomain());
    }

    public SchoolData(String phoneFormat, int phoneOffset, String emailDomain) {
        this(FIRST_SCHOOL, phoneFormat, phoneOffset, emailDomain);
    }

    public SchoolData(String firstSchool, String phoneFormat, int phoneOffset, String emailDomain) {
        if (firstSchool.equals(SECOND_SCHOOL)) {
            throw new IllegalArgumentException("apiary.legacy.school-id must not be " + SECOND_SCHOOL + ", the demo's second school");
        }
        School first = new School(firstSchool, "Lakeview International Middle School");
        School second = new School(SECOND_SCHOOL, "Hillcrest Middle School");
        schools = List.of(first, second);
        List<Block> layout = List.of(
                new Block(first, 6, 601, new int[] {28, 25, 33}, 0),
                new Block(first, 7, 101, new int[] {36, 38, 40, 35, 37, 39, 40, 35}, 0),
                new Block(first, 8, 801, new int[] {30, 27, 40}, 0),
                new Block(second, 7, 701, new int[] {32, 29, 34}, 4));
        Random rng = new Random(SEED);
        int[] nextStudent = {5001};
        int[] nextGuardian = {0};
        for (Block b : layout) {
            for (int i = 0; i < b.sizes().length; i++) {
                int sectionId = b.firstId() + i;
                String letter = String.valueOf((char) ('A' + i));
                String subject = SUBJECTS[i % SUBJECTS.length];
                List<Student> students = new ArrayList<>();
                for (int s = 0; s < b.sizes()[i]; s++) {
                    students.add(student(rng, nextStudent[0]++, b.grade(), b.grade() + "-" + letter, nextGuardian,
                            phoneFormat, phoneOffset, emailDomain));
                }
                Section section = section(sectionId, b.school().id(), b.grade(), subject, letter,
                        TEACHERS[(i + b.teacherOffset()) % TEACHERS.length], List.copyOf(students));
                sections.put(sectionId, section);
                initialScores.put(sectionId, scores(rng, section));
            }
        }
    }

    private static Student student(Random rng, int id, int grade, String homeroom, int[] nextGuardian,
                                   String phoneFormat, int phoneOffset, String emailDomain) {
        String first = FIRST[rng.nextInt(FIRST.length)];
        String last = LAST[rng.nextInt(LAST.length)];
        int count = rng.nextInt(100) < 70 ? 2 : 1;
        List<Guardian> guardians = new ArrayList<>();
        for (int g = 0; g < count; g++) {
            int n = nextGuardian[0]++;
            int gid = 90_001 + n;
            String gFirst = FIRST[rng.nextInt(FIRST.length)];
            String lang = rng.nextInt(100) < 20 ? "es" : "en";
            guardians.add(new Guardian(gid, id, gFirst + " " + last, String.format(phoneFormat, phoneOffset + n),
                    "guardian." + gid + "@" + emailDomain, lang));
        }
        return new Student(id, first, last, first + " " + last, grade, homeroom, List.copyOf(guardians));
    }

    private static Section section(int id, String schoolId, int grade, String subject, String letter, String teacher,
                                   List<Student> students) {
        String weighting = id % 4 == 2 ? "points" : "percent";
        int g0 = id * 10;
        List<Group> groups = new ArrayList<>();
        List<Assignment> assignments = new ArrayList<>();
        int a = id * 100;
        // Homework: 8 x 10 points, drop the lowest, never drop HW 1
        groups.add(new Group(g0 + 1, "Homework", 25, new Rules(1, 0, List.of(a + 1))));
        for (int i = 1; i <= 8; i++) assignments.add(new Assignment(++a, g0 + 1, "HW " + i, 10.0, false));
        // Quizzes: 5 x 20 points, drop lowest; an omitted practice quiz; an extra-credit puzzle (0 points possible)
        groups.add(new Group(g0 + 2, "Quizzes", 25, new Rules(1, 0, List.of())));
        for (int i = 1; i <= 5; i++) assignments.add(new Assignment(++a, g0 + 2, "Quiz " + i, 20.0, false));
        assignments.add(new Assignment(++a, g0 + 2, "Practice quiz", 20.0, true));
        assignments.add(new Assignment(++a, g0 + 2, "Bonus puzzle", 0.0, false));
        // Tests: 3 x 100 points; the last one not graded yet
        groups.add(new Group(g0 + 3, "Tests", 40, new Rules(0, 0, List.of())));
        for (int i = 1; i <= 3; i++) assignments.add(new Assignment(++a, g0 + 3, "Test " + i, 100.0, false));
        // Projects: 2 x 50 points
        groups.add(new Group(g0 + 4, "Projects", 10, new Rules(0, 0, List.of())));
        for (int i = 1; i <= 2; i++) assignments.add(new Assignment(++a, g0 + 4, "Project " + i, 50.0, false));
        return new Section(id, schoolId, "Grade " + grade + " " + subject + " " + letter, TERM, grade, subject, teacher,
                weighting, List.copyOf(groups), List.copyOf(assignments), students);
    }

    private static Map<Long, Score> scores(Random rng, Section section) {
        Map<Long, Score> out = new LinkedHashMap<>();
        for (Student st : section.students()) {
            int ability = 58 + rng.nextInt(41);
            for (Assignment as : section.assignments()) {
                if (as.name().equals("Test 3")) continue; // not graded yet
                int roll = rng.nextInt(100);
                Score score;
                if (as.name().equals("Bonus puzzle")) {
                    if (roll >= 30) continue;
                    score = new Score(st.id(), as.id(), (double) (1 + rng.nextInt(3)), false, false);
                } else if (roll < 3) {
                    continue; // not graded
                } else if (roll < 5) {
                    score = new Score(st.id(), as.id(), null, true, false);
                } else if (roll < 8) {
                    score = new Score(st.id(), as.id(), null, false, true);
                } else {
                    double pct = Math.max(0, Math.min(100, ability + rng.nextInt(25) - 12)) / 100.0;
                    double pts = Math.round(as.pointsPossible() * pct * 2) / 2.0;
                    score = new Score(st.id(), as.id(), pts, false, false);
                }
                out.put(key(st.id(), as.id()), score);
            }
        }
        return out;
    }

    public static long key(int studentId, int assignmentId) {
        return ((long) studentId << 32) | (assignmentId & 0xffffffffL);
    }

    public Map<Integer, Section> sections() {
        return Collections.unmodifiableMap(sections);
    }

    public Section section(int id) {
        return sections.get(id);
    }

    /** A fresh copy of the generated scores of one section. */
    public Map<Long, Score> initialScores(int sectionId) {
        return new LinkedHashMap<>(initialScores.getOrDefault(sectionId, Map.of()));
    }

    public List<School> schools() {
        return schools;
    }

    /** The school with this id, or null. */
    public School school(String id) {
        return schools.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }

    public List<Student> studentsOfGrade(String schoolId, int grade) {
        return sections.values().stream().filter(s -> s.schoolId().equals(schoolId) && s.gradeLevel() == grade)
                .flatMap(s -> s.students().stream()).toList();
    }

    /** Guardians of one school (null: every school), grade and section (null: any). */
    public List<Guardian> guardians(String schoolId, Integer grade, Integer sectionId) {
        return sections.values().stream()
                .filter(s -> schoolId == null || s.schoolId().equals(schoolId))
                .filter(s -> grade == null || s.gradeLevel() == grade)
                .filter(s -> sectionId == null || s.id() == sectionId)
                .flatMap(s -> s.students().stream()).flatMap(st -> st.guardians().stream()).toList();
    }
}
