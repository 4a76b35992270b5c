package dev.apiary.bench.gradebook;

import dev.apiary.gradebook.calc.GradeCalculator;
import dev.apiary.gradebook.calc.Gradebook;
import dev.apiary.gradebook.support.SampleSections;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Thread CPU time per 40 x 80 section calculation: a complement to JMH's wall-clock numbers on a
 * shared machine (time spent descheduled does not count). Prints the best of 10 rounds of 20,000.
 */
public final class CalcCpuTime {
    public static void main(String[] args) {
        Gradebook gb = Gradebook.of(SampleSections.generate(101, 40, 80));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        Object sink = null;
        for (int round = 0; round < 10; round++) {
            int n = 20_000;
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) sink = GradeCalculator.calculateAll(gb);
            double us = (mx.getCurrentThreadCpuTime() - c0) / 1000.0 / n;
            if (round >= 3) best = Math.min(best, us);
        }
        System.out.printf("calculation CPU time per 40x80 section: %.1f us (best of rounds 4-10 of 20000)%s%n", best,
                sink == null ? "!" : "");
    }
}
