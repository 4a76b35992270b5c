package dev.apiary.gradebook.calc;

import dev.apiary.gradebook.calc.SectionSource.Assignment;
import dev.apiary.gradebook.calc.SectionSource.Group;
import dev.apiary.gradebook.calc.SectionSource.LetterRow;
import dev.apiary.gradebook.calc.SectionSource.Score;
import dev.apiary.gradebook.calc.SectionSource.Student;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, calculation-ready snapshot of one section: the definition (groups,
 * assignments, students, policies) plus every score as a scaled {@code long}
 * (all numbers of the section share one decimal scale, so sums are exact integer sums).
 *
 * <p>Score changes never mutate a snapshot: {@link #withScore} returns a new snapshot
 * that shares every student's row except the changed one (copy-on-write), so a reader
 * holding a snapshot never sees half a patch.
 */
public final class Gradebook {

    static final byte HAS_SCORE = 1;
    static final byte EXCUSED = 2;
    static final byte MISSING = 4;
    static final byte PRESENT = 8;

    /** Numbers with more decimal places than this cannot be represented exactly. */
    public static final int MAX_SCALE = 10;

    final SectionSource definition;      // scores list is empty: scores live in the arrays
    final int scale;
    final long[] assignmentIds;
    final long[] points;                 // scaled points possible (null -> 0)
    final long[] missingScore;           // scaled score given to a missing, unscored item; null if no policy
    final boolean[] omitted;
    final boolean[] neverDrop;           // protected within its own group
    final int[][] groupMembers;          // per group: indices of its non-omitted assignments
    final int[] dropLowest;
    final int[] dropHighest;
    final long[] weights;                // scaled by weightScale (null -> 0)
    final int weightScale;
    final boolean percentWeighting;
    final String[] letters;              // highest bound first
    final long[] letterMinCents;         // ceil(bound * 10000): percent cents >= this qualifies
    final long[] studentIds;
    final Map<Long, Integer> studentIndex;
    final Map<Long, Integer> assignmentIndex;
    final long[][] scores;               // [student][assignment], scaled
    final byte[][] flags;                // [student][assignment]

    private Gradebook(Gradebook base, int scale, long[][] scores, byte[][] flags) {
        this.definition = base.definition;
        this.scale = scale;
        this.assignmentIds = base.assignmentIds;
        this.points = scale == base.scale ? base.points : rescale(base.points, scale - base.scale);
        this.missingScore = base.missingScore == null ? null
                : scale == base.scale ? base.missingScore : rescale(base.missingScore, scale - base.scale);
        this.omitted = base.omitted;
        this.neverDrop = base.neverDrop;
        this.groupMembers = base.groupMembers;
        this.dropLowest = base.dropLowest;
        this.dropHighest = base.dropHighest;
        this.weights = base.weights;
        this.weightScale = base.weightScale;
        this.percentWeighting = base.percentWeighting;
        this.letters = base.letters;
        this.letterMinCents = base.letterMinCents;
        this.studentIds = base.studentIds;
        this.studentIndex = base.studentIndex;
        this.assignmentIndex = base.assignmentIndex;
        this.scores = scores;
        this.flags = flags;
    }

    private Gradebook(SectionSource src) {
        List<Assignment> as = src.assignments();
        List<Student> st = src.students();
        List<Group> gs = src.groups();
        int na = as.size();
        int ns = st.size();

        Map<Long, Integer> groupIndex = new HashMap<>();
        for (int g = 0; g < gs.size(); g++) {
            if (groupIndex.put(gs.get(g).id(), g) != null) {
                throw new IllegalArgumentException("groups: duplicate id " + gs.get(g).id());
            }
        }
        assignmentIndex = new HashMap<>(na * 2);
        assignmentIds = new long[na];
        omitted = new boolean[na];
        neverDrop = new boolean[na];
        int[] groupOf = new int[na];
        for (int a = 0; a < na; a++) {
            Assignment x = as.get(a);
            if (assignmentIndex.put(x.id(), a) != null) {
                throw new IllegalArgumentException("assignments: duplicate id " + x.id());
            }
            Integer g = groupIndex.get(x.groupId());
            if (g == null) {
                throw new IllegalArgumentException("assignments[" + a + "].group_id: unknown group " + x.groupId());
            }
            groupOf[a] = g;
            assignmentIds[a] = x.id();
            omitted[a] = x.omitFromFinalGrade();
            neverDrop[a] = gs.get(g).rules().neverDrop().contains(x.id());
        }
        studentIndex = new HashMap<>(ns * 2);
        studentIds = new long[ns];
        for (int s = 0; s < ns; s++) {
            if (studentIndex.put(st.get(s).id(), s) != null) {
                throw new IllegalArgumentException("students: duplicate id " + st.get(s).id());
            }
            studentIds[s] = st.get(s).id();
        }

        // one decimal scale for every number of the section
        BigDecimal[] missingDec = null;
        var lp = src.latePolicy();
        if (lp != null && lp.missingSubmissionDeductionEnabled()) {
            BigDecimal keep = BigDecimal.valueOf(100).subtract(nz(lp.missingSubmissionDeduction()));
            missingDec = new BigDecimal[na];
            for (int a = 0; a < na; a++) {
                missingDec[a] = nz(as.get(a).pointsPossible()).multiply(keep).movePointLeft(2);
            }
        }
        int k = 0;
        for (Assignment x : as) k = Math.max(k, scaleOf(x.pointsPossible()));
        if (missingDec != null) for (BigDecimal d : missingDec) k = Math.max(k, scaleOf(d));
        for (Score sc : src.scores()) k = Math.max(k, scaleOf(sc.score()));
        if (k > MAX_SCALE) {
            throw new IllegalArgumentException("numbers with more than " + MAX_SCALE + " decimal places are not supported");
        }
        scale = k;
        points = new long[na];
        for (int a = 0; a < na; a++) points[a] = unscaled(nz(as.get(a).pointsPossible()), k);
        if (missingDec != null) {
            missingScore = new long[na];
            for (int a = 0; a < na; a++) missingScore[a] = unscaled(missingDec[a], k);
        } else {
            missingScore = null;
        }

        // groups
        int ng = gs.size();
        List<List<Integer>> members = new ArrayList<>();
        for (int g = 0; g < ng; g++) members.add(new ArrayList<>());
        for (int a = 0; a < na; a++) if (!omitted[a]) members.get(groupOf[a]).add(a);
        groupMembers = new int[ng][];
        dropLowest = new int[ng];
        dropHighest = new int[ng];
        int ws = 0;
        for (Group g : gs) ws = Math.max(ws, scaleOf(g.weight()));
        if (ws > MAX_SCALE) throw new IllegalArgumentException("group weights with more than " + MAX_SCALE + " decimal places are not supported");
        weightScale = ws;
        weights = new long[ng];
        for (int g = 0; g < ng; g++) {
            groupMembers[g] = members.get(g).stream().mapToInt(Integer::intValue).toArray();
            dropLowest[g] = gs.get(g).rules().dropLowest();
            dropHighest[g] = gs.get(g).rules().dropHighest();
            weights[g] = unscaled(nz(gs.get(g).weight()), ws);
        }
        percentWeighting = "percent".equals(src.weighting());

        // letters: highest bound first (input order irrelevant)
        if (src.gradingStandard() == null || src.gradingStandard().isEmpty()) {
            letters = null;
            letterMinCents = null;
        } else {
            List<LetterRow> rows = new ArrayList<>(src.gradingStandard());
            rows.sort(Comparator.comparing(LetterRow::lowerBound).reversed());
            letters = new String[rows.size()];
            letterMinCents = new long[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                letters[i] = rows.get(i).letter();
                letterMinCents[i] = rows.get(i).lowerBound().movePointRight(4)
                        .setScale(0, RoundingMode.CEILING).longValueExact();
            }
        }

        // scores
        scores = new long[ns][na];
        flags = new byte[ns][na];
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < src.scores().size(); i++) {
            Score sc = src.scores().get(i);
            Integer s = studentIndex.get(sc.studentId());
            if (s == null) throw new IllegalArgumentException("scores[" + i + "].student_id: unknown student " + sc.studentId());
            Integer a = assignmentIndex.get(sc.assignmentId());
            if (a == null) throw new IllegalArgumentException("scores[" + i + "].assignment_id: unknown assignment " + sc.assignmentId());
            if (!seen.add(((long) s << 32) | a)) {
                throw new IllegalArgumentException("scores[" + i + "]: duplicate score for student " + sc.studentId()
                        + " and assignment " + sc.assignmentId());
            }
            set(scores[s], flags[s], a, sc.score(), sc.excused(), sc.missing(), k);
        }
        this.definition = new SectionSource(src.section(), src.weighting(), src.gradingStandard(), src.latePolicy(),
                gs, as, st, List.of());
    }

    /**
     * Builds a snapshot from validated source data.
     *
     * @throws IllegalArgumentException if ids are duplicated or references are unknown (message names the field)
     */
    public static Gradebook of(SectionSource src) {
        return new Gradebook(src);
    }

    /**
     * A new snapshot with one score replaced (copy-on-write: only that student's row is copied).
     *
     * @throws IllegalArgumentException for an unknown student or assignment
     */
    public Gradebook withScore(long studentId, long assignmentId, BigDecimal score, boolean excused, boolean missing) {
        Integer s = studentIndex.get(studentId);
        if (s == null) throw new IllegalArgumentException("student_id: unknown student " + studentId);
        Integer a = assignmentIndex.get(assignmentId);
        if (a == null) throw new IllegalArgumentException("assignment_id: unknown assignment " + assignmentId);
        int k = Math.max(scale, scaleOf(score));
        if (k > MAX_SCALE) throw new IllegalArgumentException("score: more than " + MAX_SCALE + " decimal places");
        long[][] newScores;
        byte[][] newFlags = flags.clone();
        if (k != scale) {
            newScores = new long[scores.length][];
            for (int i = 0; i < scores.length; i++) newScores[i] = rescale(scores[i], k - scale);
        } else {
            newScores = scores.clone();
            newScores[s] = scores[s].clone();
        }
        newFlags[s] = flags[s].clone();
        set(newScores[s], newFlags[s], a, score, excused, missing, k);
        return new Gradebook(this, k, newScores, newFlags);
    }

    public boolean hasStudent(long studentId) {
        return studentIndex.containsKey(studentId);
    }

    public boolean hasAssignment(long assignmentId) {
        return assignmentIndex.containsKey(assignmentId);
    }

    /** The definition (section, groups, assignments, students, policies); its score list is empty. */
    public SectionSource definition() {
        return definition;
    }

    public int studentCount() {
        return studentIds.length;
    }

    public int assignmentCount() {
        return assignmentIds.length;
    }

    /**
     * Visits the score entries (students in roster order, then assignments), or only one student's
     * when {@code studentId} is not null, without creating objects: for fast JSON output.
     */
    public void forEachEntry(Long studentId, EntryVisitor v) {
        int from = 0, to = studentIds.length;
        if (studentId != null) {
            Integer s = studentIndex.get(studentId);
            if (s == null) return;
            from = s;
            to = s + 1;
        }
        for (int s = from; s < to; s++) {
            long[] row = scores[s];
            byte[] frow = flags[s];
            for (int a = 0; a < assignmentIds.length; a++) {
                byte f = frow[a];
                if (f != 0) {
                    v.entry(studentIds[s], assignmentIds[a], (f & HAS_SCORE) != 0, row[a], scale,
                            (f & EXCUSED) != 0, (f & MISSING) != 0);
                }
            }
        }
    }

    @FunctionalInterface
    public interface EntryVisitor {
        void entry(long studentId, long assignmentId, boolean hasScore, long scoreUnscaled, int scale,
                   boolean excused, boolean missing);
    }

    /** The current score entry of one student for one assignment, or null if none. */
    public Score scoreEntry(long studentId, long assignmentId) {
        Integer s = studentIndex.get(studentId);
        Integer a = assignmentIndex.get(assignmentId);
        if (s == null || a == null || flags[s][a] == 0) return null;
        byte f = flags[s][a];
        return new Score(studentId, assignmentId,
                (f & HAS_SCORE) != 0 ? BigDecimal.valueOf(scores[s][a], scale).stripTrailingZeros() : null,
                (f & EXCUSED) != 0, (f & MISSING) != 0);
    }

    /**
     * Estimated retained heap of this snapshot in bytes, for the cache weigher. Counts every object
     * the snapshot holds with 64-bit HotSpot sizes (12-byte headers, compressed references, 8-byte
     * alignment): score rows, index maps, definition records, strings and decimals. Objects shared
     * with an older snapshot after a patch are counted in full for each (an over-estimate that lasts
     * until the older snapshot is unreachable). Checked against a heap measurement in
     * {@code GradebookFootprintTest} and the cache benchmark.
     */
    public long estimatedBytes() {
        int na = assignmentIds.length, ns = studentIds.length, ng = groupMembers.length;
        long b = 160;                                                     // this object
        // score rows: long[na] + byte[na] per student, and the two outer arrays
        b += (long) ns * (array(8, na) + array(1, na)) + 2L * array(4, ns);
        // per-assignment arrays: ids, points, omitted, neverDrop (+ missingScore)
        b += 2L * array(8, na) + 2L * array(1, na) + (missingScore == null ? 0 : array(8, na));
        // groups: members, drop counts, weights
        b += array(4, ng);
        for (int[] m : groupMembers) b += array(4, m.length);
        b += 2L * array(4, ng) + array(8, ng);
        b += array(8, ns);                                                // studentIds
        b += hashMap(na) + hashMap(ns);                                   // index maps (Long keys, Integer values)
        // definition records
        b += 48 + 3 * 24;                                                 // SectionSource + SectionInfo + lists
        SectionSource d = definition;
        b += string(d.section().schoolId()) + string(d.section().name()) + string(d.section().term()) + string(d.weighting());
        b += array(4, d.groups().size()) + array(4, d.assignments().size()) + array(4, d.students().size()) + 3 * 16;
        for (var g : d.groups()) {
            b += 32 + string(g.name()) + decimal(g.weight()) + 24 + 16 + array(4, g.rules().neverDrop().size())
                    + 16L * g.rules().neverDrop().size();
        }
        for (var a : d.assignments()) b += 40 + string(a.name()) + decimal(a.pointsPossible());
        for (var s : d.students()) b += 24 + string(s.name());
        if (d.gradingStandard() != null) {
            b += 16 + array(4, d.gradingStandard().size());
            for (var r : d.gradingStandard()) b += 16 + string(r.letter()) + decimal(r.lowerBound());
            b += array(4, letters.length) + array(8, letters.length);
        }
        if (d.latePolicy() != null) b += 16 + decimal(d.latePolicy().missingSubmissionDeduction());
        return b;
    }

    static long array(int elementBytes, int n) {
        return align8(16 + (long) elementBytes * n);
    }

    static long align8(long n) {
        return (n + 7) & ~7L;
    }

    /** HashMap<Long, Integer> of n entries: map, table, nodes, boxed keys (values below 128 are cached). */
    static long hashMap(int n) {
        int cap = 1;
        while (cap * 3 < n * 4 + 4) cap <<= 1;                            // table sized for 0.75 load factor
        return 48 + array(4, cap) + (long) n * (32 + 16) + (long) Math.max(0, n - 128) * 16;
    }

    static long string(String s) {
        if (s == null) return 0;
        boolean latin1 = true;
        for (int i = 0; i < s.length() && latin1; i++) latin1 = s.charAt(i) <= 0xFF;
        return 24 + array(latin1 ? 1 : 2, s.length());
    }

    static long decimal(BigDecimal d) {
        if (d == null) return 0;
        return d.unscaledValue().bitLength() < 63 ? 40 : 40 + 40 + array(4, d.unscaledValue().bitLength() / 32 + 1);
    }

    private static void set(long[] row, byte[] frow, int a, BigDecimal score, boolean excused, boolean missing, int k) {
        byte f = 0;
        if (score != null) {
            f |= HAS_SCORE;
            row[a] = unscaled(score, k);
        } else {
            row[a] = 0;
        }
        if (excused) f |= EXCUSED;
        if (missing) f |= MISSING;
        frow[a] = (byte) (f | PRESENT);
    }

    private static long[] rescale(long[] v, int by) {
        if (by == 0) return v.clone();
        long m = pow10(by);
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.multiplyExact(v[i], m);
        return out;
    }

    static long pow10(int n) {
        long r = 1;
        for (int i = 0; i < n; i++) r = Math.multiplyExact(r, 10L);
        return r;
    }

    private static BigDecimal nz(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }

    private static int scaleOf(BigDecimal v) {
        if (v == null || v.signum() == 0) return 0;
        return Math.max(0, v.stripTrailingZeros().scale());
    }

    private static long unscaled(BigDecimal v, int k) {
        try {
            return v.setScale(k, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("number " + v.toPlainString() + " is too large for exact calculation");
        }
    }

    @Override
    public String toString() {
        return "Gradebook[section=" + definition.section().id() + ", students=" + studentIds.length
                + ", assignments=" + assignmentIds.length + ", scale=" + scale + "]";
    }
}
