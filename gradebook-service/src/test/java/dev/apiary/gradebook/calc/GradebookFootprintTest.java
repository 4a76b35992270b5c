package dev.apiary.gradebook.calc;

import dev.apiary.gradebook.source.SourceParser;
import dev.apiary.gradebook.support.SampleSections;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the cache weigher's estimate ({@link Gradebook#estimatedBytes()}) against a measurement:
 * the heap retained by 150 parsed 40 x 80 sections, after full GCs. The estimate must be within 20 %.
 */
class GradebookFootprintTest {

    @Test
    void estimateMatchesMeasuredRetainedHeap() {
        int n = 150;
        List<byte[]> json = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            json.add(SampleSections.json(SampleSections.generate(5000 + i, 40, 80)).getBytes(StandardCharsets.UTF_8));
        }
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        Gradebook[] kept = new Gradebook[n];
        long before = settledUsed(mem);
        long estimate = 0;
        for (int i = 0; i < n; i++) {
            kept[i] = SourceParser.parse(json.get(i));
            estimate += kept[i].estimatedBytes();
        }
        long after = settledUsed(mem);
        long measured = after - before;
        assertThat(kept[n - 1].studentCount()).isEqualTo(40);
        double ratio = (double) estimate / measured;
        System.out.printf("footprint: measured %d bytes, estimated %d bytes for %d sections (%.3f)%n", measured, estimate, n, ratio);
        assertThat(ratio).as("estimate %d vs measured %d", estimate, measured).isBetween(0.8, 1.2);
    }

    private static long settledUsed(MemoryMXBean mem) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
