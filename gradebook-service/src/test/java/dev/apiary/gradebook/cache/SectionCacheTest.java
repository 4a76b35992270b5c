package dev.apiary.gradebook.cache;

import dev.apiary.common.test.Await;
import dev.apiary.gradebook.config.GradebookProperties;
import dev.apiary.gradebook.source.LegacyClient;
import dev.apiary.gradebook.support.LegacyStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache against a real HTTP stand-in: bounded by bytes, safety TTL from the fetch, patches copy-on-write. */
class SectionCacheTest {

    static final LegacyStandIn legacy = new LegacyStandIn();

    @AfterAll
    static void stop() {
        legacy.close();
    }

    static SectionCache cache(DataSize max, Duration ttl, SimpleMeterRegistry registry) {
        var props = new GradebookProperties(URI.create(legacy.baseUrl()), "", Duration.ofSeconds(1), Duration.ofSeconds(5),
                true, max, ttl, "apiary-dev-jwt-secret-please-change-0123456789", GradebookProperties.LEGACY_ISSUER,
                GradebookProperties.AUDIENCE, "apiary:gradebook:changes");
        return new SectionCache(new LegacyClient(props), props, registry);
    }

    @Test
    void staysWithinItsByteBound() {
        var registry = new SimpleMeterRegistry();
        for (long id = 400; id < 430; id++) legacy.generated(id, 40, 80);
        // one 40 x 80 section weighs ~60 KB: a 600 KB bound holds about ten of thirty
        SectionCache c = cache(DataSize.ofKilobytes(600), Duration.ofMinutes(10), registry);
        long one = new SectionWeigher().weigh(400L, c.get(400).section());
        assertThat(one).isBetween(30_000L, 120_000L);
        for (long id = 400; id < 430; id++) c.get(id);
        c.cleanUp();
        assertThat(c.weightedSize()).isLessThanOrEqualTo(600 * 1024);
        assertThat(c.estimatedSize()).isBetween(5L, 12L);
        assertThat(c.stats().evictionCount()).isGreaterThan(0);
        assertThat(registry.get("gradebook.cache.weighted.size").gauge().value()).isEqualTo(c.weightedSize());
        assertThat(registry.get("cache.evictions").tag("cache", "gradebook.sections").functionCounter().count()).isPositive();
    }

    @Test
    void safetyTtlCountsFromTheFetchNotFromPatches() {
        legacy.generated(440, 3, 6);
        SectionCache c = cache(DataSize.ofMegabytes(8), Duration.ofMillis(600), new SimpleMeterRegistry());
        CachedSection first = c.get(440).section();
        long student = first.gradebook().definition().students().get(0).id();
        long assignment = first.gradebook().definition().assignments().get(0).id();
        // keep patching: a patch must not extend the TTL
        long end = System.nanoTime() + Duration.ofMillis(300).toNanos();
        int v = 0;
        while (System.nanoTime() < end) {
            int score = v++ % 10;
            c.patch(440, gb -> gb.withScore(student, assignment, BigDecimal.valueOf(score), false, false));
        }
        assertThat(c.get(440).hit()).isTrue();
        Await.until(Duration.ofSeconds(5), "expired after the TTL", () -> c.peek(440).isEmpty());
        var again = c.get(440);
        assertThat(again.hit()).isFalse();
        assertThat(legacy.reads(440)).isEqualTo(2);
    }

    @Test
    void patchIsCopyOnWriteAndReportsNoOps() {
        legacy.generated(450, 3, 6);
        SectionCache c = cache(DataSize.ofMegabytes(8), Duration.ofMinutes(10), new SimpleMeterRegistry());
        CachedSection before = c.get(450).section();
        long student = before.gradebook().definition().students().get(1).id();
        long assignment = before.gradebook().definition().assignments().get(2).id();
        var p = c.patch(450, gb -> gb.withScore(student, assignment, new BigDecimal("1.5"), false, false)).orElseThrow();
        assertThat(p.changed()).isTrue();
        assertThat(p.section().patchedAt()).isNotNull();
        assertThat(p.section().fetchedAt()).isEqualTo(before.fetchedAt());
        assertThat(p.section().gradebook().scoreEntry(student, assignment).score()).isEqualByComparingTo("1.5");
        // the old snapshot a reader may still hold is untouched
        var old = before.gradebook().scoreEntry(student, assignment);
        assertThat(old == null || old.score() == null || old.score().compareTo(new BigDecimal("1.5")) != 0).isTrue();
        var same = c.patch(450, gb -> gb).orElseThrow();
        assertThat(same.changed()).isFalse();
        // a change that cannot apply (unknown student) evicts: the next read refetches
        assertThat(c.patch(450, gb -> gb.withScore(-1, assignment, BigDecimal.ONE, false, false))).isEmpty();
        assertThat(c.peek(450)).isEmpty();
        // not cached: nothing to patch
        assertThat(c.patch(451, gb -> gb)).isEmpty();
    }
}
