package dev.apiary.sandbox.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apiary.sandbox.legacy.school.Model.Guardian;
import dev.apiary.sandbox.legacy.school.Model.School;
import dev.apiary.sandbox.legacy.school.Model.Section;
import dev.apiary.sandbox.legacy.school.Model.Student;
import dev.apiary.sandbox.legacy.school.SchoolData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchoolDataTest {
    final SchoolData a = new SchoolData("+1541555%04d", 1000, "example.org");

    @Test
    void deterministic() {
        SchoolData b = new SchoolData("+1541555%04d", 1000, "example.org");
        assertThat(b.sections()).isEqualTo(a.sections());
        for (int id : a.sections().keySet()) {
            assertThat(b.initialScores(id)).isEqualTo(a.initialScores(id));
        }
    }

    /**
     * The first school is exactly the single school the demo had before the second was added (ids, names, guardians,
     * scores): the SHA-256 of this listing as computed from the previous SchoolData.
     */
    @Test
    void theFirstSchoolIsUnchangedByTheSecond() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        int n = 0;
        for (Section s : a.sections().values()) {
            if (!s.schoolId().equals(SchoolData.FIRST_SCHOOL)) continue;
            n++;
            String line = s.id() + "|" + s.name() + "|" + s.term() + "|" + s.gradeLevel() + "|" + s.subject() + "|"
                    + s.teacher() + "|" + s.weighting() + "|" + s.groups() + "|" + s.assignments() + "|" + s.students()
                    + "|" + a.initialScores(s.id()) + "\n";
            md.update(line.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(n).isEqualTo(14);
        assertThat(HexFormat.of().formatHex(md.digest()))
                .isEqualTo("02c75a184948ed60c83bee8f957ac90c3e548e658e978580485f17c95ea8b39e");
    }

    @Test
    void twoSchoolsEachWithItsOwnSectionsStudentsAndGuardians() {
        assertThat(a.schools()).extracting(School::id).containsExactly("lakeview", "hillcrest");
        assertThat(a.sections().values().stream().filter(s -> s.schoolId().equals("hillcrest")).map(Section::id))
                .containsExactly(701, 702, 703);
        assertThat(a.section(701).gradeLevel()).isEqualTo(7);
        List<Student> hill = a.studentsOfGrade("hillcrest", 7);
        assertThat(hill).hasSize(32 + 29 + 34);
        assertThat(hill).noneMatch(st -> a.studentsOfGrade("lakeview", 7).contains(st));
        assertThat(a.guardians("hillcrest", null, null))
                .allMatch(g -> hill.stream().anyMatch(st -> st.id() == g.studentId()));
        assertThat(a.guardians(null, 7, null)).hasSize(a.guardians("lakeview", 7, null).size()
                + a.guardians("hillcrest", 7, null).size());
        assertThat(a.studentsOfGrade("hillcrest", 6)).isEmpty();
    }

    @Test
    void gradeSevenHasThreeHundredStudentsInSectionsOf25To40() {
        assertThat(a.studentsOfGrade("lakeview", 7)).hasSize(300);
        assertThat(a.sections().keySet()).contains(101, 108, 601, 803);
        for (Section s : a.sections().values()) {
            assertThat(s.students().size()).as(s.name()).isBetween(25, 40);
            assertThat(s.groups()).hasSize(4);
            assertThat(s.groups().getFirst().rules().dropLowest()).isEqualTo(1);
            assertThat(s.groups().getFirst().rules().neverDrop()).hasSize(1);
        }
    }

    @Test
    void idsAreUniqueAndGuardiansReachable() {
        Set<Integer> students = new HashSet<>();
        Set<String> phones = new HashSet<>();
        List<Guardian> all = a.guardians(null, null, null);
        a.sections().values().forEach(s -> s.students().forEach(st -> assertThat(students.add(st.id())).isTrue()));
        for (Guardian g : all) {
            assertThat(g.phone()).matches("\\+1541555\\d{4}");
            assertThat(g.phone()).doesNotMatch(".*99\\d\\d"); // the providers sandbox's test numbers end in 99xx
            assertThat(g.email()).matches("guardian\\.\\d+@example\\.org");
            assertThat(phones.add(g.phone())).isTrue();
        }
        assertThat(all.size()).isBetween(students.size(), 2 * students.size());
    }

    @Test
    void scoresCoverExcusedMissingUngradedAndExtraCredit() {
        var scores = a.initialScores(101).values();
        assertThat(scores).anyMatch(s -> s.excused());
        assertThat(scores).anyMatch(s -> s.missing());
        assertThat(scores).anyMatch(s -> s.score() != null && s.score() > 0
                && a.section(101).assignment(s.assignmentId()).pointsPossible() == 0);
        int test3 = a.section(101).assignments().stream().filter(x -> x.name().equals("Test 3")).findFirst().orElseThrow().id();
        assertThat(scores).noneMatch(s -> s.assignmentId() == test3);
    }
}
