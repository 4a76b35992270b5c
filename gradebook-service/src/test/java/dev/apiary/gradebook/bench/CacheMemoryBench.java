package dev.apiary.gradebook.bench;

import com.sun.net.httpserver.HttpServer;
import dev.apiary.gradebook.cache.SectionCache;
import dev.apiary.gradebook.support.SampleSections;
import dev.apiary.gradebook.config.GradebookProperties;
import dev.apiary.gradebook.source.LegacyClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory benchmark (issue 5): a 64 MB cache bound and a working set of 3x that, uniform random
 * reads. Reports the weigher's total, the heap the cache really retains (full GCs with the cache
 * full, then emptied), the hit ratio and evictions. Run by bench/gradebook/run-memory.sh.
 */
class CacheMemoryBench {

    @Test
    void boundedCacheUnderThreeTimesItsWorkingSet() throws Exception {
        long bound = DataSize.ofMegabytes(Long.getLong("bench.cache.mb", 64)).toBytes();
        // the stand-in generates each section's JSON per request and keeps nothing
        HttpServer legacy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        legacy.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        legacy.createContext("/api/v1/sections/", ex -> {
            try (ex) {
                long id = Long.parseLong(ex.getRequestURI().getPath().split("/")[4]);
                byte[] b = SampleSections.json(SampleSections.generate(id, 40, 80)).getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
            }
        });
        legacy.start();
        try {
            var props = new GradebookProperties(URI.create("http://127.0.0.1:" + legacy.getAddress().getPort()), "",
                    Duration.ofSeconds(2), Duration.ofSeconds(30), true, DataSize.ofBytes(bound), Duration.ofHours(1),
                    "apiary-dev-jwt-secret-please-change-0123456789", GradebookProperties.LEGACY_ISSUER,
                GradebookProperties.AUDIENCE, "apiary:gradebook:changes");
            SectionCache cache = new SectionCache(new LegacyClient(props), props, new SimpleMeterRegistry());
            long perSection = cache.get(1).section().gradebook().estimatedBytes();
            int workingSet = (int) (3 * bound / perSection);
            int reads = Integer.getInteger("bench.reads", 4 * workingSet);
            long before = settledUsed();

            long t0 = System.nanoTime();
            try (var pool = Executors.newFixedThreadPool(4)) {
                List<Future<?>> fs = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int seed = w;
                    fs.add(pool.submit(() -> {
                        Random r = new Random(seed);
                        for (int i = 0; i < reads / 4; i++) cache.get(1 + r.nextInt(workingSet));
                    }));
                }
                for (var f : fs) f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            cache.cleanUp();
            long full = settledUsed();
            long weighted = cache.weightedSize();
            long entries = cache.estimatedSize();
            var stats = cache.stats();
            cache.evictAll();
            cache.cleanUp();
            long empty = settledUsed();
            long retained = full - empty;

            String text = String.format("""
                    cache bound: %d bytes (%.1f MB); one 40x80 section weighs ~%d bytes
                    working set: %d sections (3x the bound), %d uniform random reads by 4 threads in %.1f s
                    entries at the end: %d; weighted size: %d bytes (%.1f%% of the bound)
                    measured heap retained by the cache (full GCs, full minus emptied): %d bytes (%.1f%% of the bound; weigher/measured = %.3f)
                    heap used before the run: %d, with the cache full: %d, emptied: %d
                    hit ratio: %.3f (hits %d, misses %d), evictions: %d
                    """, bound, bound / 1048576.0, perSection, workingSet, reads, seconds, entries, weighted,
                    100.0 * weighted / bound, retained, 100.0 * retained / bound, (double) weighted / retained,
                    before, full, empty, stats.hitRate(), stats.hitCount(), stats.missCount(), stats.evictionCount());
            BenchOutput.write("memory", text);
            assertThat(weighted).isLessThanOrEqualTo(bound);
        } finally {
            legacy.stop(0);
        }
    }

    private static long settledUsed() {
        var mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
