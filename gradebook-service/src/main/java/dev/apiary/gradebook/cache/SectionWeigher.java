package dev.apiary.gradebook.cache;

import com.github.benmanes.caffeine.cache.Weigher;

/**
 * Weighs a cached section by its estimated retained heap in bytes
 * ({@link dev.apiary.gradebook.calc.Gradebook#estimatedBytes()}) plus the cache's own per-entry
 * overhead (the entry record, two Instants, Caffeine's node and future wrapper, the boxed key).
 * A 40 x 80 section weighs about 55 KB. Caffeine's weights are ints: sections are capped at
 * {@link Integer#MAX_VALUE} bytes.
 */
public final class SectionWeigher implements Weigher<Long, CachedSection> {

    /** CachedSection + 2 Instants + Caffeine node + CompletableFuture + Long key. */
    public static final int ENTRY_OVERHEAD = 32 + 2 * 24 + 96 + 24 + 16;

    @Override
    public int weigh(Long key, CachedSection value) {
        return (int) Math.min(Integer.MAX_VALUE, value.gradebook().estimatedBytes() + ENTRY_OVERHEAD);
    }
}
