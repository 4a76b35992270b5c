package dev.apiary.gradebook.calc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The grade calculator of docs/grading.md: pure, stateless, exact. All sums are integer
 * sums of scaled longs (overflow-checked); the one place that needs fractions (weighted totals)
 * uses a floating-point estimate only when it cannot change the rounded cent, and exact
 * rational arithmetic otherwise.
 */
public final class GradeCalculator {

    private static final long NULL = Grades.NULL;

    private GradeCalculator() {}

    /** Grades of every student of the section, in roster order. */
    public static List<Grades.Student> calculateAll(Gradebook gb) {
        Work w = new Work(gb);
        List<Grades.Student> out = new ArrayList<>(gb.studentIds.length);
        for (int s = 0; s < gb.studentIds.length; s++) out.add(calculate(gb, s, w));
        return out;
    }

    /** Grades of one student, or null if the student is not on the roster. */
    public static Grades.Student calculate(Gradebook gb, long studentId) {
        Integer s = gb.studentIndex.get(studentId);
        return s == null ? null : calculate(gb, s, new Work(gb));
    }

    /** Scratch buffers reused across the students of one calculation. */
    private static final class Work {
        final long[] s, t, id;
        final boolean[] prot, kept;
        final long[] groupS, groupP, curS, curP;

        Work(Gradebook gb) {
            int max = 0;
            for (int[] m : gb.groupMembers) max = Math.max(max, m.length);
            s = new long[max];
            t = new long[max];
            id = new long[max];
            prot = new boolean[max];
            kept = new boolean[max];
            groupS = new long[gb.groupMembers.length];
            groupP = new long[gb.groupMembers.length];
            curS = new long[gb.groupMembers.length];
            curP = new long[gb.groupMembers.length];
        }
    }

    private static Grades.Student calculate(Gradebook gb, int st, Work w) {
        int ng = gb.groupMembers.length;
        Grades.GroupView[][] views = new Grades.GroupView[2][ng];
        Grades.Course[] course = new Grades.Course[2];
        for (int g = 0; g < ng; g++) {
            if (gb.dropLowest[g] > 0 || gb.dropHighest[g] > 0) {
                views[0][g] = group(gb, st, g, true, w);
                w.curS[g] = w.groupS[g];
                w.curP[g] = w.groupP[g];
                views[1][g] = group(gb, st, g, false, w);
            } else {
                bothViews(gb, st, g, w, views);
            }
        }
        course[0] = gb.percentWeighting ? weighted(gb, true, w.curS, w.curP) : points(gb, w.curS, w.curP);
        course[1] = gb.percentWeighting ? weighted(gb, false, w.groupS, w.groupP) : points(gb, w.groupS, w.groupP);
        List<Grades.Group> groups = new ArrayList<>(ng);
        for (int g = 0; g < ng; g++) {
            groups.add(new Grades.Group(gb.definition.groups().get(g).id(), views[0][g], views[1][g]));
        }
        return new Grades.Student(gb.studentIds[st], gb.definition.students().get(st).name(), course[0], course[1],
                groups);
    }

    /**
     * A group without drop rules: both views in one pass (graded items count in both, ungraded ones
     * only in the final view as 0). Leaves the current sums in w.curS/curP and the final in w.groupS/groupP.
     */
    private static void bothViews(Gradebook gb, int st, int g, Work w, Grades.GroupView[][] views) {
        long[] row = gb.scores[st];
        byte[] frow = gb.flags[st];
        long cs = 0, cp = 0, fp = 0;
        for (int a : gb.groupMembers[g]) {
            byte f = frow[a];
            if ((f & Gradebook.EXCUSED) != 0) continue;
            long t = gb.points[a];
            if ((f & Gradebook.HAS_SCORE) != 0) {
                cs = Math.addExact(cs, row[a]);
                cp = Math.addExact(cp, t);
            } else if ((f & Gradebook.MISSING) != 0 && gb.missingScore != null) {
                cs = Math.addExact(cs, gb.missingScore[a]);
                cp = Math.addExact(cp, t);
            } else {
                fp = Math.addExact(fp, t);          // ungraded: final only, as 0
            }
        }
        fp = Math.addExact(fp, cp);
        w.curS[g] = cs;
        w.curP[g] = cp;
        w.groupS[g] = cs;
        w.groupP[g] = fp;
        views[0][g] = new Grades.GroupView(cs, cp, gb.scale, cp > 0 ? percent(cs, cp) : NULL, List.of());
        views[1][g] = new Grades.GroupView(cs, fp, gb.scale, fp > 0 ? percent(cs, fp) : NULL, List.of());
    }

    /** Sections 3-5 for one group in one view; leaves the totals in w.groupS/groupP. */
    private static Grades.GroupView group(Gradebook gb, int st, int g, boolean current, Work w) {
        int[] members = gb.groupMembers[g];
        long[] row = gb.scores[st];
        byte[] frow = gb.flags[st];
        int dl = gb.dropLowest[g], dh = gb.dropHighest[g];
        boolean rules = dl > 0 || dh > 0;
        long sum = 0, possible = 0;
        int n = 0;
        for (int a : members) {
            byte f = frow[a];
            if ((f & Gradebook.EXCUSED) != 0) continue;                         // 3.2
            long sc;
            if ((f & Gradebook.HAS_SCORE) != 0) {
                sc = row[a];
            } else if ((f & Gradebook.MISSING) != 0 && gb.missingScore != null) {
                sc = gb.missingScore[a];                                       // 3.3
            } else if (current) {
                continue;                                                      // 3.4 / 2
            } else {
                sc = 0;
            }
            if (rules) {
                w.s[n] = sc;
                w.t[n] = gb.points[a];
                w.id[n] = gb.assignmentIds[a];
                w.prot[n] = gb.neverDrop[a];
                n++;
            } else {
                sum = Math.addExact(sum, sc);
                possible = Math.addExact(possible, gb.points[a]);
            }
        }
        List<Long> dropped = List.of();
        if (rules && n > 0) {
            Drop.apply(w.s, w.t, w.id, w.prot, n, dl, dh, w.kept);
            long[] ids = null;
            int nd = 0;
            for (int i = 0; i < n; i++) {
                if (w.kept[i]) {
                    sum = Math.addExact(sum, w.s[i]);
                    possible = Math.addExact(possible, w.t[i]);
                } else {
                    if (ids == null) ids = new long[n];
                    ids[nd++] = w.id[i];
                }
            }
            if (nd == 1) {
                dropped = List.of(ids[0]);
            } else if (nd > 1) {
                Arrays.sort(ids, 0, nd);
                Long[] boxed = new Long[nd];
                for (int i = 0; i < nd; i++) boxed[i] = ids[i];
                dropped = List.of(boxed);
            }
        }
        w.groupS[g] = sum;
        w.groupP[g] = possible;
        return new Grades.GroupView(sum, possible, gb.scale, possible > 0 ? percent(sum, possible) : NULL, dropped);
    }

    /** 6.1 points. */
    private static Grades.Course points(Gradebook gb, long[] groupS, long[] groupP) {
        long sum = 0, possible = 0;
        for (int g = 0; g < groupS.length; g++) {
            sum = Math.addExact(sum, groupS[g]);
            possible = Math.addExact(possible, groupP[g]);
        }
        long pct = possible > 0 ? percent(sum, possible) : NULL;
        return new Grades.Course(sum, possible, gb.scale, pct, letter(gb, pct));
    }

    /** 6.2 percent. */
    private static Grades.Course weighted(Gradebook gb, boolean current, long[] groupS, long[] groupP) {
        long wSum = 0;
        int relevant = 0;
        for (int g = 0; g < groupS.length; g++) {
            if (groupP[g] > 0) {
                relevant++;
                wSum = Math.addExact(wSum, gb.weights[g]);
            }
        }
        long possibleCents = current && relevant == 0 ? 0 : 10_000;
        if (wSum == 0) {
            return new Grades.Course(NULL, possibleCents, 2, NULL, null);
        }
        long hundred = Math.multiplyExact(100L, Gradebook.pow10(gb.weightScale));
        boolean scaleUp = wSum < hundred;
        long pct = weightedCentsFast(gb, groupS, groupP, wSum, scaleUp);
        if (pct == NULL) pct = weightedCentsExact(gb, groupS, groupP, wSum, scaleUp);
        return new Grades.Course(pct, possibleCents, 2, pct, letter(gb, pct));
    }

    private static final double TWO_53 = 9007199254740992.0;

    /** Floating-point estimate of the rounded cents; NULL when it might round differently from the exact value. */
    private static long weightedCentsFast(Gradebook gb, long[] groupS, long[] groupP, long wSum, boolean scaleUp) {
        double x = 0;
        for (int g = 0; g < groupS.length; g++) {
            long p = groupP[g];
            if (p > 0) {
                long sc = groupS[g];
                if (Math.abs((double) sc) >= TWO_53 || p >= TWO_53 || Math.abs((double) gb.weights[g]) >= TWO_53) {
                    return NULL;
                }
                x += ((double) sc / p) * gb.weights[g];
            }
        }
        double cents = scaleUp ? x * 10_000.0 / wSum : x * 100.0 / Gradebook.pow10(gb.weightScale);
        double a = Math.abs(cents);
        if (!(a < 1e12)) return NULL;
        double frac = a - Math.floor(a);
        if (Math.abs(frac - 0.5) < 1e-6 + a * 1e-12) return NULL;
        long r = (long) Math.floor(a + 0.5);
        return cents < 0 ? -r : r;
    }

    /** Exact rational evaluation of the weighted total, rounded half-up to cents. */
    private static long weightedCentsExact(Gradebook gb, long[] groupS, long[] groupP, long wSum, boolean scaleUp) {
        BigInteger n = BigInteger.ZERO, d = BigInteger.ONE;
        for (int g = 0; g < groupS.length; g++) {
            long p = groupP[g];
            if (p > 0) {
                BigInteger bp = BigInteger.valueOf(p);
                n = n.multiply(bp).add(BigInteger.valueOf(groupS[g]).multiply(BigInteger.valueOf(gb.weights[g])).multiply(d));
                d = d.multiply(bp);
            }
        }
        // value = n / (d * 10^ws); cents = value * 100 (* 100 * 10^ws / wSum when scaling up)
        BigInteger num, den;
        if (scaleUp) {
            num = n.multiply(BigInteger.valueOf(10_000));
            den = d.multiply(BigInteger.valueOf(wSum));
        } else {
            num = n.multiply(BigInteger.valueOf(100));
            den = d.multiply(BigInteger.TEN.pow(gb.weightScale));
        }
        return new BigDecimal(num).divide(new BigDecimal(den), 0, RoundingMode.HALF_UP).longValueExact();
    }

    /** round2(100 * s / p) as cents, half-up (away from zero). p > 0. */
    static long percent(long s, long p) {
        try {
            long num = Math.multiplyExact(s, 10_000L);
            long a = Math.abs(num);
            long q = Math.addExact(Math.multiplyExact(2L, a), p) / Math.multiplyExact(2L, p);
            return num < 0 ? -q : q;
        } catch (ArithmeticException e) {
            return BigDecimal.valueOf(s).movePointRight(4).divide(BigDecimal.valueOf(p), 0, RoundingMode.HALF_UP)
                    .longValueExact();
        }
    }

    /** Section 8: letter from the rounded percentage (negative treated as 0). */
    static String letter(Gradebook gb, long cents) {
        if (cents == NULL || gb.letters == null) return null;
        long c = Math.max(0, cents);
        for (int i = 0; i < gb.letters.length; i++) {
            if (c >= gb.letterMinCents[i]) return gb.letters[i];
        }
        return gb.letters[gb.letters.length - 1];
    }
}
