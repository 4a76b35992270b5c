package dev.apiary.gradebook.view;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few reusable byte buffers for response bodies, so a 50 KB section answer is not allocated (and collected) on
 * every read. Lock-free slots; a buffer that finds no free slot is left to the GC, and one that grew past
 * {@code maxBytes} is not kept (a rare huge section must not pin memory).
 */
final class BufferPool {

    private final AtomicReferenceArray<byte[]> slots;
    private final int maxBytes;

    BufferPool(int slots, int maxBytes) {
        this.slots = new AtomicReferenceArray<>(slots);
        this.maxBytes = maxBytes;
    }

    /** A pooled buffer of at least {@code size} bytes, or a new one. */
    byte[] acquire(int size) {
        int n = slots.length(), start = ThreadLocalRandom.current().nextInt(n);
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            byte[] b = slots.get(i);
            if (b != null && b.length >= size && slots.compareAndSet(i, b, null)) return b;
        }
        return new byte[size];
    }

    void release(byte[] b) {
        if (b == null || b.length > maxBytes) return;
        int n = slots.length(), start = ThreadLocalRandom.current().nextInt(n);
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            if (slots.get(i) == null && slots.compareAndSet(i, null, b)) return;
        }
    }
}
