package dev.apiary.common.faults;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Faults the crash-safety tests provoke at exact points of a create that reserves an {@code Idempotency-Key} and then
 * queues its first units of work (an alert's batches, a report's parts). FOR TESTS ONLY: any of the service's
 * {@code <prefix>.*} without {@code apiary.dev-mode=true} stops the start.
 *
 * @param stallAfterReservation the create sleeps this long right after reserving its {@code Idempotency-Key}, before
 *                              the job exists (a test kills the process there)
 * @param failAfterQueued       the first dispatch of a new job throws after queuing this many units (0 = never)
 * @param units                 what the service queues, plural ({@code batches}, {@code parts}): names the setting
 *                              {@code <prefix>.fail-after-queued-<units>} and the thrown message
 */
public record FaultInjection(Duration stallAfterReservation, int failAfterQueued, String units) {
    private static final Logger log = LoggerFactory.getLogger(FaultInjection.class);

    /** No faults: what every production start gets. */
    public static FaultInjection none(String units) {
        return new FaultInjection(Duration.ZERO, 0, units);
    }

    /**
     * Binds {@code <prefix>.stall-after-reservation} (default 0s) and {@code <prefix>.fail-after-queued-<units>}
     * (default 0); throws unless they are unset or {@code apiary.dev-mode=true}.
     */
    public static FaultInjection from(Environment env, String prefix, String units) {
        Binder binder = Binder.get(env);
        FaultInjection f = new FaultInjection(
                binder.bind(prefix + ".stall-after-reservation", Duration.class).orElse(Duration.ZERO),
                binder.bind(prefix + ".fail-after-queued-" + units, Integer.class).orElse(0), units);
        if (f.equals(none(units))) {
            return f;
        }
        if (!env.getProperty("apiary.dev-mode", Boolean.class, false)) {
            throw new IllegalStateException(prefix + ".* is for tests only and needs apiary.dev-mode=true");
        }
        log.warn("FAULT INJECTION ON (tests only): {}", f);
        return f;
    }

    /** Called right after an Idempotency-Key was reserved, before the job {@code id} is written. */
    public void afterReservation(String id) {
        if (stallAfterReservation.isPositive()) {
            log.warn("fault injection: {} stalls {} after its idempotency reservation", id, stallAfterReservation);
            try {
                Thread.sleep(stallAfterReservation);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called after each unit the first dispatch of a new job {@code id} queued ({@code queued} so far). */
    public void afterQueued(String id, int queued) {
        if (failAfterQueued > 0 && queued == failAfterQueued) {
            throw new IllegalStateException("fault injection: dispatch of " + id + " fails after " + queued
                    + " queued " + units);
        }
    }
}
