package dev.apiary.gradebook.calc;

/**
 * Drop rules for one group in one view (docs/grading.md section 4), in exact integer
 * arithmetic. Scores and points possible are scaled longs of one common scale; trial ratios
 * {@code q} are kept as fractions {@code qN/qD} ({@code qD > 0}) and surpluses
 * {@code s - q*t} are compared as the 128-bit integers {@code s*qD - qN*t}.
 *
 * <p>Instead of Canvas's floating-point bisection the root of {@code F(q)} is found exactly
 * with Dinkelbach's iteration (each step moves {@code q} to the ratio of the set selected at
 * {@code q}; it stops when that set's surplus is zero), then clamped to the cap {@code B} as the
 * spec's "exact form" prescribes. Tie-breaks follow section 4.5.
 */
final class Drop {

    private enum Mode { EXACT, CAP, ABOVE }

    private final long[] s;
    private final long[] t;
    private final long[] id;
    private final int[] protectedIdx;
    private final long protS;
    private final long protT;
    private final boolean protPointed;
    // scratch for surpluses (128-bit), allocated on first use
    private final int n;
    private long[] hi;
    private long[] lo;

    private Drop(long[] s, long[] t, long[] id, int[] protectedIdx, int n) {
        this.s = s;
        this.t = t;
        this.id = id;
        this.protectedIdx = protectedIdx;
        long ps = 0, pt = 0;
        boolean pp = false;
        for (int i : protectedIdx) {
            ps = Math.addExact(ps, s[i]);
            pt = Math.addExact(pt, t[i]);
            pp |= t[i] > 0;
        }
        this.protS = ps;
        this.protT = pt;
        this.protPointed = pp;
        this.n = n;
    }

    /**
     * Applies the drop rules to candidates {@code 0..n-1}; sets {@code kept[i]} for each.
     *
     * @param prot never-drop flags of the candidates
     */
    static void apply(long[] s, long[] t, long[] id, boolean[] prot, int n, int dropLowest, int dropHighest,
                      boolean[] kept) {
        for (int i = 0; i < n; i++) kept[i] = true;
        if (dropLowest <= 0 && dropHighest <= 0) return;                       // 4.1
        int np = 0;
        for (int i = 0; i < n; i++) if (prot[i]) np++;
        int nd = n - np;
        if (nd == 0) return;                                                   // 4.2: only protected items
        int[] protectedIdx = new int[np];
        int[] droppable = new int[nd];
        for (int i = 0, p = 0, d = 0; i < n; i++) {
            if (prot[i]) protectedIdx[p++] = i; else droppable[d++] = i;
        }
        int dl = Math.min(Math.max(dropLowest, 0), nd - 1);                    // 4.3
        int dh = Math.max(dropHighest, 0);
        if (dl + dh >= nd) dh = 0;
        int keepHigh = nd - dl;
        int keepLow = keepHigh - dh;

        boolean pointed = false;
        for (int i : droppable) pointed |= t[i] > 0;
        int[] keep;
        if (pointed) {                                                         // 4.4
            Drop d = new Drop(s, t, id, protectedIdx, n);
            keep = d.phase(droppable, keepHigh, true);
            keep = d.phase(keep, keepLow, false);
        } else {                                                               // 4.6
            int[] order = droppable.clone();
            // score ascending, ties by id ascending
            insertionSort(order, (a, b) -> {
                int c = Long.compare(s[a], s[b]);
                return c != 0 ? c : Long.compare(id[a], id[b]);
            });
            int from = Math.max(0, order.length - keepHigh);
            keep = new int[Math.min(keepLow, order.length - from)];
            System.arraycopy(order, from, keep, 0, keep.length);
        }
        for (int i : droppable) kept[i] = false;
        for (int i : keep) kept[i] = true;
    }

    /** One phase: keep {@code keep} of {@code items}, maximising (phase 1) or minimising (phase 2) the ratio. */
    private int[] phase(int[] items, int keep, boolean maximize) {
        int kc = Math.max(1, keep);
        if (items.length <= kc) return items;

        boolean anyPointed = protPointed;
        boolean anyZero = false;
        for (int i : items) {
            if (t[i] > 0) anyPointed = true; else anyZero = true;
        }
        for (int i : protectedIdx) if (t[i] <= 0) anyZero = true;

        if (!anyPointed) {
            // 4.8 degenerate: only zero-point items left and no protected points: keep the highest scores
            int[] order = items.clone();
            insertionSort(order, (a, b) -> {
                int c = Long.compare(s[b], s[a]);
                return c != 0 ? c : Long.compare(id[a], id[b]);
            });
            return head(order, kc);
        }

        if (!anyZero && kc == items.length - 1 && fastPath) {
            int[] one = dropOne(items, maximize);
            if (one != null) return one;
        }

        // the cap B, and the smallest individual ratio (qLow), over pointed items of items ∪ protected
        long bN, bD;
        long lowN = 0, lowD = 0, maxN = 0, maxD = 0;
        long tP = 0, sP = 0, sZ = 0;
        for (int pass = 0; pass < 2; pass++) {
            int[] set = pass == 0 ? items : protectedIdx;
            for (int i : set) {
                if (t[i] > 0) {
                    tP = Math.addExact(tP, t[i]);
                    sP = Math.addExact(sP, s[i]);
                    if (maxD == 0 || cmpProducts(s[i], maxD, maxN, t[i]) > 0) { maxN = s[i]; maxD = t[i]; }
                    if (lowD == 0 || cmpProducts(s[i], lowD, lowN, t[i]) < 0) { lowN = s[i]; lowD = t[i]; }
                } else {
                    sZ = Math.addExact(sZ, s[i]);
                }
            }
        }
        if (anyZero) {
            bN = Math.addExact(Math.max(tP, sP), sZ);
            bD = tP;
        } else {
            bN = maxN;
            bD = maxD;
        }

        long qN, qD;
        Mode mode;
        if (maximize ? unbounded(items, kc) : nonPositiveEverywhere(items, kc)) {
            if (maximize) { qN = bN; qD = bD; mode = Mode.CAP; }
            else { qN = lowN; qD = lowD; mode = Mode.ABOVE; }
        } else {
            long[] root = root(items, kc, maximize);
            if (cmpProducts(root[0], bD, bN, root[1]) > 0) { qN = bN; qD = bD; mode = Mode.CAP; }
            else return lastSelection;           // the selection made at the root itself (EXACT)
        }
        return select(items, kc, maximize, qN, qD, mode);
    }

    /** Phase 1: can a selection of zero-point items keep F(q) ≥ 0 for every q? */
    private boolean unbounded(int[] items, int kc) {
        if (protPointed) return false;
        int[] zeros = zeroPointScoresSorted(items, false);
        if (zeros.length < kc) return false;
        long sum = protS;
        for (int j = 0; j < kc; j++) sum = Math.addExact(sum, s[zeros[j]]);
        return sum >= 0;
    }

    /** Phase 2: can a selection of zero-point items keep the sum ≤ 0 for every q? */
    private boolean nonPositiveEverywhere(int[] items, int kc) {
        if (protPointed) return false;
        int[] zeros = zeroPointScoresSorted(items, true);
        if (zeros.length < kc) return false;
        long sum = protS;
        for (int j = 0; j < kc; j++) sum = Math.addExact(sum, s[zeros[j]]);
        return sum <= 0;
    }

    private int[] zeroPointScoresSorted(int[] items, boolean ascending) {
        int c = 0;
        for (int i : items) if (t[i] <= 0) c++;
        int[] z = new int[c];
        c = 0;
        for (int i : items) if (t[i] <= 0) z[c++] = i;
        insertionSort(z, ascending ? (a, b) -> Long.compare(s[a], s[b]) : (a, b) -> Long.compare(s[b], s[a]));
        return z;
    }

    /**
     * The best (phase 1: largest, phase 2: smallest) achievable ratio of kc items plus the protected
     * ones, as {N, D}: Dinkelbach's iteration, exact.
     */
    private long[] root(int[] items, int kc, boolean maximize) {
        // start from the kc items with the best (phase 1) or worst (phase 2) individual ratio: a feasible
        // set, usually optimal or nearly, so the iteration below tends to confirm it in one or two steps
        int[] start = items.clone();
        sortByRatio(start, maximize);
        long n = protS, d = protT;
        for (int j = 0; j < kc; j++) {
            n = Math.addExact(n, s[start[j]]);
            d = Math.addExact(d, t[start[j]]);
        }
        if (d <= 0) {
            // only zero-point items chosen: fall back to the ones with the most points possible
            start = items.clone();
            sortByPointsDesc(start);
            n = protS;
            d = protT;
            for (int j = 0; j < kc; j++) {
                n = Math.addExact(n, s[start[j]]);
                d = Math.addExact(d, t[start[j]]);
            }
        }
        for (int iter = 0; iter < 10_000; iter++) {
            int[] sel = select(items, kc, maximize, n, d, Mode.EXACT);
            lastSelection = sel;
            long n2 = protS, d2 = protT;
            for (int i : sel) {
                n2 = Math.addExact(n2, s[i]);
                d2 = Math.addExact(d2, t[i]);
            }
            // sign of (surplus of sel at q = n/d) * d  =  n2*d - n*d2
            int c = cmpProducts(n2, d, n, d2);
            if ((maximize ? c <= 0 : c >= 0) || d2 <= 0) return new long[] {n, d};
            // the selection improved on q: it is a better set; iterate from its ratio
            n = n2;
            d = d2;
        }
        return new long[] {n, d};
    }

    /** The kc items ranked first by surplus at q = qN/qD (ties per section 4.5). */
    private int[] select(int[] items, int kc, boolean maximize, long qN, long qD, Mode mode) {
        if (hi == null) {
            hi = new long[n];
            lo = new long[n];
        }
        boolean small = fits31(qN) && fits31(qD);
        for (int i : items) small &= fits31(s[i]) && fits31(t[i]);
        for (int i : items) {
            if (small) {
                // |s*qD| and |qN*t| < 2^62: the difference fits a long exactly
                hi[i] = s[i] * qD - qN * t[i];
                lo[i] = 0;
            } else {
                // s*qD - qN*t as 128 bits
                long h1 = Math.multiplyHigh(s[i], qD), l1 = s[i] * qD;
                long h2 = Math.multiplyHigh(qN, t[i]), l2 = qN * t[i];
                lo[i] = l1 - l2;
                hi[i] = h1 - h2 - (Long.compareUnsigned(l1, l2) < 0 ? 1 : 0);
            }
        }
        this.selMax = maximize;
        this.selMode = mode;
        int[] order = items.clone();
        for (int i = 1; i < order.length; i++) {
            int x = order[i];
            int j = i - 1;
            while (j >= 0 && rank(order[j], x) > 0) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
        return head(order, kc);
    }

    /** Off only in tests that compare the fast path with the general search. */
    static boolean fastPath = true;

    private int[] lastSelection;

    /**
     * Keeping all but one item and no zero-point item among them or the protected ones (the common
     * drop_lowest 1 / drop_highest 1): the optimum is at q1 = the best (worst) ratio reachable by
     * removing one item, and the removed item is the one with the smallest (largest) surplus there,
     * ties to the higher id as at any evaluation point. Same result as the general search, in O(n).
     */
    private int[] dropOne(int[] items, boolean maximize) {
        long sAll = protS, tAll = protT;
        for (int i : items) {
            sAll = Math.addExact(sAll, s[i]);
            tAll = Math.addExact(tAll, t[i]);
        }
        int drop = -1;
        long bestN = 0, bestD = 0;
        for (int i : items) {
            long n = sAll - s[i], d = tAll - t[i];
            if (d <= 0) return null;   // cannot happen without zero-point items; keep the general path honest
            int c = drop < 0 ? 1 : (maximize ? 1 : -1) * cmpProducts(n, bestD, bestN, d);
            if (c > 0 || (c == 0 && id[i] > id[drop])) {
                drop = i;
                bestN = n;
                bestD = d;
            }
        }
        int[] keep = new int[items.length - 1];
        int k = 0;
        for (int i : items) if (i != drop) keep[k++] = i;
        return keep;
    }

    private boolean selMax;
    private Mode selMode;

    /** Order of two items by surplus (set by select), then the tie-breaks of 4.5. */
    private int rank(int a, int b) {
        int c = hi[a] != hi[b] ? Long.compare(hi[a], hi[b]) : Long.compareUnsigned(lo[a], lo[b]);
        if (selMax) c = -c;
        if (c != 0) return c;
        if (selMode == Mode.CAP) {
            // evaluated just below the cap: phase 1 prefers more points, phase 2 fewer
            c = selMax ? Long.compare(t[b], t[a]) : Long.compare(t[a], t[b]);
        } else if (selMode == Mode.ABOVE) {
            // evaluated just above q: phase 2 keeps the one whose surplus falls faster (more points)
            c = selMax ? Long.compare(t[a], t[b]) : Long.compare(t[b], t[a]);
        }
        return c != 0 ? c : Long.compare(id[a], id[b]);
    }

    private static boolean fits31(long v) {
        return v > -(1L << 31) && v < (1L << 31);
    }

    /** Most points possible first, ties by id. */
    private void sortByPointsDesc(int[] v) {
        for (int i = 1; i < v.length; i++) {
            int x = v[i];
            int j = i - 1;
            while (j >= 0 && (t[v[j]] < t[x] || (t[v[j]] == t[x] && id[v[j]] > id[x]))) {
                v[j + 1] = v[j];
                j--;
            }
            v[j + 1] = x;
        }
    }

    /** Sorts by individual ratio s/t, best first for phase 1 (zero-point items count as the best), worst first for phase 2. */
    private void sortByRatio(int[] v, boolean bestFirst) {
        for (int i = 1; i < v.length; i++) {
            int x = v[i];
            int j = i - 1;
            while (j >= 0 && (bestFirst ? ratioCmp(v[j], x) < 0 : ratioCmp(v[j], x) > 0)) {
                v[j + 1] = v[j];
                j--;
            }
            v[j + 1] = x;
        }
    }

    private int ratioCmp(int a, int b) {
        boolean za = t[a] <= 0, zb = t[b] <= 0;
        if (za || zb) return za == zb ? Long.compare(s[a], s[b]) : (za ? 1 : -1);
        return cmpProducts(s[a], t[b], s[b], t[a]);
    }

    private static int[] head(int[] order, int k) {
        if (order.length <= k) return order;
        int[] out = new int[k];
        System.arraycopy(order, 0, out, 0, k);
        return out;
    }

    interface IntCmp {
        int compare(int a, int b);
    }

    static void insertionSort(int[] v, IntCmp cmp) {
        for (int i = 1; i < v.length; i++) {
            int x = v[i];
            int j = i - 1;
            while (j >= 0 && cmp.compare(v[j], x) > 0) {
                v[j + 1] = v[j];
                j--;
            }
            v[j + 1] = x;
        }
    }

    /** Compares a*b with c*d exactly (128-bit products). */
    static int cmpProducts(long a, long b, long c, long d) {
        if (fits31(a) && fits31(b) && fits31(c) && fits31(d)) return Long.compare(a * b, c * d);
        return cmp128(Math.multiplyHigh(a, b), a * b, Math.multiplyHigh(c, d), c * d);
    }

    static int cmp128(long h1, long l1, long h2, long l2) {
        int c = Long.compare(h1, h2);
        return c != 0 ? c : Long.compareUnsigned(l1, l2);
    }
}
