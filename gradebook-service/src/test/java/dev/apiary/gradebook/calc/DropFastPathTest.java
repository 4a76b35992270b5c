package dev.apiary.gradebook.calc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The O(n) path for "keep all but one" must choose exactly what the general search chooses, ties included. */
class DropFastPathTest {

    @AfterEach
    void restore() {
        Drop.fastPath = true;
    }

    @Test
    void fastPathAgreesWithTheGeneralSearch() {
        Random rnd = new Random(42);
        for (int round = 0; round < 4000; round++) {
            int n = 2 + rnd.nextInt(8);
            boolean lowest = rnd.nextBoolean();
            List<Long> never = new ArrayList<>();
            var b = new SectionBuilder().group(1, null, lowest ? 1 : (rnd.nextBoolean() ? 1 : 0), lowest ? 0 : 1);
            for (int i = 0; i < n; i++) {
                // small integers so that ties (equal ratios, identical items) are frequent
                int pts = 1 + rnd.nextInt(4) * 5;
                b.item(BigDecimal.valueOf(rnd.nextInt(pts + 2)).toPlainString(), String.valueOf(pts));
            }
            if (rnd.nextInt(4) == 0) never.add(1L);
            var src = b.source();
            if (!never.isEmpty()) {
                var g = src.groups().get(0);
                src = new SectionSource(src.section(), src.weighting(), null, null,
                        List.of(new SectionSource.Group(1, "g", null, new SectionSource.DropRules(g.rules().dropLowest(),
                                g.rules().dropHighest(), never))), src.assignments(), src.students(), src.scores());
            }
            Gradebook gb = Gradebook.of(src);
            Drop.fastPath = true;
            var fast = GradeCalculator.calculate(gb, 1L).groups().get(0).current();
            Drop.fastPath = false;
            var general = GradeCalculator.calculate(gb, 1L).groups().get(0).current();
            assertThat(fast.dropped()).as("round %d %s", round, src.scores()).isEqualTo(general.dropped());
        }
    }
}
