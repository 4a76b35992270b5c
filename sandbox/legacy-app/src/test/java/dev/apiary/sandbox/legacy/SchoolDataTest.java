package dev.apiary.sandbox.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apiary.sandbox.legacy.school.Model.Guardian;
import dev.apiary.sandbox.legacy.school.Model.Section;
import dev.apiary.sandbox.legacy.school.SchoolData;
import java.util.HashSet;
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

    @Test
    void gradeSevenHasThreeHundredStudentsInSectionsOf25To40() {
        assertThat(a.studentsOfGrade(7)).hasSize(300);
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
        List<Guardian> all = a.guardians(null, null);
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
