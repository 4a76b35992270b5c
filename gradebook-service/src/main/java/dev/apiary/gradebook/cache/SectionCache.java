package dev.apiary.gradebook.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.apiary.common.tracing.CurrentTrace;
import dev.apiary.gradebook.calc.Gradebook;
import org.springframework.beans.factory.annotation.Autowired;
import dev.apiary.gradebook.config.GradebookProperties;
import dev.apiary.gradebook.source.LegacyClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * The cache of parsed section source data (never of results). Caffeine, bounded by weight in bytes
 * ({@link SectionWeigher}), with a safety TTL counted from the fetch (patches do not extend it).
 * Misses for one section share one upstream call: an {@link AsyncCache} keeps the in-flight load
 * as the entry, so concurrent readers join it, and a failed load leaves nothing behind.
 */
@Component
public class SectionCache {

    private static final Logger log = LoggerFactory.getLogger(SectionCache.class);

    private final LegacyClient legacy;
    private final boolean enabled;
    private final AsyncCache<Long, CachedSection> cache;
    private final long maxBytes;

    public SectionCache(LegacyClient legacy, GradebookProperties props, MeterRegistry registry) {
        this(legacy, props, registry, CurrentTrace.NONE);
    }

    /** @param trace a fetch (on a loader thread) joins the trace of the request that caused it */
    @Autowired
    public SectionCache(LegacyClient legacy, GradebookProperties props, MeterRegistry registry, CurrentTrace trace) {
        this.legacy = legacy;
        this.enabled = props.cacheEnabled();
        this.maxBytes = props.cacheMaxBytes().toBytes();
        long ttlNanos = props.cacheTtl().toNanos();
        ExecutorService loaders = Executors.newVirtualThreadPerTaskExecutor();
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher(new SectionWeigher())
                .expireAfter(new Expiry<Long, CachedSection>() {
                    private long remaining(CachedSection v, long now) {
                        return Math.max(0, ttlNanos - (now - v.fetchedNanos()));
                    }

                    @Override
                    public long expireAfterCreate(Long key, CachedSection v, long now) {
                        return remaining(v, now);
                    }

                    @Override
                    public long expireAfterUpdate(Long key, CachedSection v, long now, long current) {
                        return remaining(v, now);
                    }

                    @Override
                    public long expireAfterRead(Long key, CachedSection v, long now, long current) {
                        return current;
                    }
                })
                .executor(trace.executor(loaders))
                .recordStats()
                .buildAsync();
        CaffeineCacheMetrics.monitor(registry, cache.synchronous(), "gradebook.sections");
        Gauge.builder("gradebook.cache.weighted.size", this, SectionCache::weightedSize)
                .description("Estimated retained bytes of cached sections (the weigher's sum)")
                .baseUnit("bytes").register(registry);
        Gauge.builder("gradebook.cache.max.weight", () -> maxBytes)
                .description("Bound of the section cache in bytes").baseUnit("bytes").register(registry);
        Gauge.builder("gradebook.cache.hit.ratio", this, c -> c.cache.synchronous().stats().hitRate())
                .description("Hits / requests of the section cache").register(registry);
    }

    /** The section, from the cache or (once, whoever else asks meanwhile) from the legacy app. */
    public Lookup get(long sectionId) {
        if (!enabled) return new Lookup(CachedSection.fetched(legacy.fetch(sectionId)), false);
        boolean[] loaded = {false};
        CompletableFuture<CachedSection> f = cache.get(sectionId, (id, executor) -> {
            loaded[0] = true;
            return CompletableFuture.supplyAsync(() -> CachedSection.fetched(legacy.fetch(id)), executor);
        });
        try {
            return new Lookup(f.join(), !loaded[0]);
        } catch (CompletionException e) {
            // Caffeine drops a failed load in a callback that may run after this caller has its answer: drop it
            // now, so the next request loads again instead of getting the same failure
            cache.asMap().remove(sectionId, f);
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    /** The cached, fully loaded section, if any (never loads). */
    public Optional<CachedSection> peek(long sectionId) {
        CompletableFuture<CachedSection> f = cache.getIfPresent(sectionId);
        if (f == null || !f.isDone() || f.isCompletedExceptionally()) return Optional.empty();
        return Optional.of(f.join());
    }

    /**
     * Replaces a cached section by a patched copy (copy-on-write; readers holding the old snapshot
     * are unaffected). If a load of the section is in flight it is dropped instead, since its data
     * may predate the change. Returns the new entry, or empty if the section was not cached (or the
     * patch could not be applied, in which case the section is evicted). A change function that
     * returns its argument means "nothing to change".
     */
    public Optional<Patched> patch(long sectionId, UnaryOperator<Gradebook> change) {
        Patched[] out = {null};
        cache.asMap().computeIfPresent(sectionId, (id, f) -> {
            if (!f.isDone() || f.isCompletedExceptionally()) return null;
            CachedSection cur = f.join();
            try {
                Gradebook next = change.apply(cur.gradebook());
                if (next == cur.gradebook()) {
                    out[0] = new Patched(cur, false);
                    return f;
                }
                out[0] = new Patched(cur.patched(next), true);
                return CompletableFuture.completedFuture(out[0].section());
            } catch (RuntimeException e) {
                log.warn("section {}: change could not be applied to the cached copy ({}); evicted", id, e.getMessage());
                return null;
            }
        });
        return Optional.ofNullable(out[0]);
    }

    public void evict(long sectionId) {
        cache.synchronous().invalidate(sectionId);
    }

    public void evictAll() {
        cache.synchronous().invalidateAll();
    }

    public long weightedSize() {
        return cache.synchronous().policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    public long maxBytes() {
        return maxBytes;
    }

    public long estimatedSize() {
        return cache.synchronous().estimatedSize();
    }

    public com.github.benmanes.caffeine.cache.stats.CacheStats stats() {
        return cache.synchronous().stats();
    }

    /** Maintenance now (tests and the benchmark want settled sizes). */
    public void cleanUp() {
        cache.synchronous().cleanUp();
    }

    /** The entry after a patch, and whether the patch changed anything. */
    public record Patched(CachedSection section, boolean changed) {}

    /** A section and whether it came from the cache. */
    public record Lookup(CachedSection section, boolean hit) {}
}
