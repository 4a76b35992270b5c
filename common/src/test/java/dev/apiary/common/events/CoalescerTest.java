package dev.apiary.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.apiary.common.test.Await;

class CoalescerTest {

    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
        runner.shutdownNow();
    }

    @Test
    void aBurstOfRequestsCostsFewRunsSpacedByTheRateAndTheLastRequestIsNeverLost() {
        List<Long> runs = new CopyOnWriteArrayList<>();
        AtomicInteger seen = new AtomicInteger();
        AtomicInteger latest = new AtomicInteger();
        Coalescer c = new Coalescer(10, timer, runner, System::nanoTime, () -> {
            runs.add(System.nanoTime());
            seen.set(latest.get());
        });
        long t0 = System.nanoTime();
        for (int i = 1; i <= 10_000; i++) {
            latest.set(i);
            c.request();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Await.until(Duration.ofSeconds(5), "the last request served", () -> seen.get() == 10_000);
        assertThat(runs.size()).as("runs for 10,000 requests in %.3f s", seconds)
                .isLessThanOrEqualTo((int) Math.floor(seconds / 0.1) + 2);
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i) - runs.get(i - 1)).as("spacing").isGreaterThanOrEqualTo(90_000_000L); // scheduled from the run's start, noted a moment later
        }
    }

    @Test
    void withoutALimitEveryRequestIsServedAndRunsNeverOverlap() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger latest = new AtomicInteger();
        AtomicInteger seen = new AtomicInteger();
        Coalescer c = new Coalescer(0, timer, runner, System::nanoTime, () -> {
            if (running.incrementAndGet() > 1) overlaps.incrementAndGet();
            seen.set(latest.get());
            running.decrementAndGet();
        });
        for (int i = 1; i <= 1000; i++) {
            latest.set(i);
            c.request();
        }
        Await.until(Duration.ofSeconds(5), "the last request served", () -> seen.get() == 1000);
        assertThat(overlaps.get()).isZero();
    }

    @Test
    void aRunThatAsksToRetryRunsAgainAfterTheDelay() {
        AtomicInteger runs = new AtomicInteger();
        long[] at = new long[2];
        Coalescer[] c = new Coalescer[1];
        c[0] = new Coalescer(0, timer, runner, System::nanoTime, () -> {
            int n = runs.incrementAndGet();
            if (n <= 2) at[n - 1] = System.nanoTime();
            if (n == 1) c[0].retryAfter(Duration.ofMillis(300));
        });
        c[0].request();
        Await.until(Duration.ofSeconds(5), "the retry", () -> runs.get() == 2);
        assertThat(at[1] - at[0]).isGreaterThanOrEqualTo(300_000_000L);
    }
}
