package dev.apiary.gradebook.calc;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without zero-point items the exact form of section 4.4 must find the best achievable ratio:
 * drop_lowest alone reaches the maximum over all kept sets, drop_highest alone the minimum.
 * Checked against exhaustive search on random groups (fixed seed).
 */
class DropBruteForceTest {

    @Test
    void dropLowestReachesTheMaximumRatioAndDropHighestTheMinimum() {
        Random rnd = new Random(20261126);
        for (int round = 0; round < 3000; round++) {
            int n = 2 + rnd.nextInt(7);
            boolean lowest = rnd.nextBoolean();
            int drop = 1 + rnd.nextInt(n);
            String[] s = new String[n];
            String[] t = new String[n];
            List<Long> never = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int pts = 1 + rnd.nextInt(40);
                t[i] = String.valueOf(pts);
                BigDecimal sc = BigDecimal.valueOf(rnd.nextInt(pts * 12 + 1), 1); // up to 120 %, one decimal
                s[i] = sc.toPlainString();
                if (rnd.nextInt(6) == 0) never.add((long) i + 1);
            }
            var b = new SectionBuilder().group(1, null, lowest ? drop : 0, lowest ? 0 : drop, never.toArray(Long[]::new));
            for (int i = 0; i < n; i++) b.item(s[i], t[i]);
            var g = GradeCalculator.calculate(b.gradebook(), 1L).groups().get(0).current();

            // expected: clamp as 4.3, then search every kept set of droppable items
            List<Integer> droppable = new ArrayList<>();
            BigDecimal ps = BigDecimal.ZERO, pt = BigDecimal.ZERO;
            for (int i = 0; i < n; i++) {
                if (never.contains((long) i + 1)) {
                    ps = ps.add(new BigDecimal(s[i]));
                    pt = pt.add(new BigDecimal(t[i]));
                } else {
                    droppable.add(i);
                }
            }
            int nd = droppable.size();
            if (nd == 0) continue;
            int dl = lowest ? Math.min(drop, nd - 1) : 0;
            int dh = lowest ? 0 : (drop >= nd ? 0 : drop);
            int keep = nd - dl - dh;
            BigDecimal[] best = null;
            for (int mask = 0; mask < (1 << nd); mask++) {
                if (Integer.bitCount(mask) != keep) continue;
                BigDecimal ks = ps, kt = pt;
                for (int j = 0; j < nd; j++) {
                    if ((mask & (1 << j)) != 0) {
                        ks = ks.add(new BigDecimal(s[droppable.get(j)]));
                        kt = kt.add(new BigDecimal(t[droppable.get(j)]));
                    }
                }
                if (best == null) {
                    best = new BigDecimal[] {ks, kt};
                } else {
                    int c = ks.multiply(best[1]).compareTo(best[0].multiply(kt));
                    if (lowest ? c > 0 : c < 0) best = new BigDecimal[] {ks, kt};
                }
            }
            assertThat(g.score().multiply(best[1]).compareTo(best[0].multiply(g.possible())))
                    .as("round %d: s=%s t=%s never=%s %s %d -> kept %s/%s, best %s/%s", round, List.of(s), List.of(t),
                            never, lowest ? "drop_lowest" : "drop_highest", drop, g.score(), g.possible(), best[0], best[1])
                    .isZero();
            assertThat(g.dropped()).hasSize(nd - keep);
        }
    }
}
