package dev.apiary.common.events;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task at most {@code maxPerSecond} times a second however often it is requested: one run at a time,
 * runs spaced at least 1/maxPerSecond apart (0 = no spacing), and a request that arrives during a run leads to
 * one more run after it, so no request is lost and a burst costs one run.
 */
final class Coalescer {

    private static final Logger log = LoggerFactory.getLogger(Coalescer.class);

    private final long minIntervalNanos;
    private final ScheduledExecutorService timer;
    private final Executor runner;
    private final LongSupplier clock;
    private final Runnable task;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile long lastRun;
    private volatile boolean ranOnce;
    private volatile long retryNanos;

    Coalescer(double maxPerSecond, ScheduledExecutorService timer, Executor runner, LongSupplier clock, Runnable task) {
        this.minIntervalNanos = maxPerSecond <= 0 ? 0 : (long) Math.ceil(1_000_000_000L / maxPerSecond);
        this.timer = timer;
        this.runner = runner;
        this.clock = clock;
        this.task = task;
    }

    /** Asks for a run: at once if the last one was long enough ago, else when it is due. */
    void request() {
        requested.set(true);
        schedule(0);
    }

    /** Called by the task when it could not do its work (Redis away): runs again after {@code delay}. */
    void retryAfter(Duration delay) {
        retryNanos = delay.toNanos();
        requested.set(true);
    }

    private void schedule(long atLeastNanos) {
        if (!scheduled.compareAndSet(false, true)) return;
        long delay = atLeastNanos;
        if (ranOnce) delay = Math.max(delay, lastRun + minIntervalNanos - clock.getAsLong());
        try {
            if (delay <= 0) runner.execute(this::run);
            else timer.schedule(() -> runner.execute(this::run), delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            scheduled.set(false); // shutting down
        }
    }

    private void run() {
        requested.set(false);
        lastRun = clock.getAsLong();
        ranOnce = true;
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("event stream update failed: {}", e.toString());
        } finally {
            scheduled.set(false);
            long retry = retryNanos;
            retryNanos = 0;
            if (requested.get()) schedule(retry);
        }
    }
}
