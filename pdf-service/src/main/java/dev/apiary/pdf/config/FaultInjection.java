package dev.apiary.pdf.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;

import java.time.Duration;

/**
 * Faults the crash-safety tests provoke at exact points of a submission. FOR TESTS ONLY: any of
 * {@code apiary.pdf.fault-injection.*} without {@code apiary.dev-mode=true} stops the start.
 *
 * @param stallAfterReservation the submission sleeps this long right after reserving its {@code Idempotency-Key},
 *                              before the report exists (a test kills the process there)
 * @param failAfterQueuedParts  the first dispatch of a report throws after queuing this many parts (0 = never)
 */
public record FaultInjection(Duration stallAfterReservation, int failAfterQueuedParts) {
    private static final Logger log = LoggerFactory.getLogger(FaultInjection.class);
    static final String PREFIX = "apiary.pdf.fault-injection";
    public static final FaultInjection NONE = new FaultInjection(Duration.ZERO, 0);

    /** The settings as bound for the binder only: the defaults of an unset group. */
    record Settings(@DefaultValue("0s") Duration stallAfterReservation, @DefaultValue("0") int failAfterQueuedParts) {
    }

    public static FaultInjection from(Environment env) {
        Settings s = Binder.get(env).bindOrCreate(PREFIX, Settings.class);
        FaultInjection f = new FaultInjection(s.stallAfterReservation(), s.failAfterQueuedParts());
        if (f.equals(NONE)) {
            return NONE;
        }
        if (!env.getProperty("apiary.dev-mode", Boolean.class, false)) {
            throw new IllegalStateException(PREFIX + ".* is for tests only and needs apiary.dev-mode=true");
        }
        log.warn("FAULT INJECTION ON (tests only): {}", f);
        return f;
    }

    /** Called right after an Idempotency-Key was reserved, before the report is created. */
    public void afterReservation(String reportId) {
        if (stallAfterReservation.isPositive()) {
            log.warn("fault injection: report {} stalls {} after its idempotency reservation", reportId,
                    stallAfterReservation);
            try {
                Thread.sleep(stallAfterReservation);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called after each part a new report's first dispatch queued ({@code queued} so far). */
    public void afterPartQueued(String reportId, int queued) {
        if (failAfterQueuedParts > 0 && queued == failAfterQueuedParts) {
            throw new IllegalStateException("fault injection: dispatch of report " + reportId + " fails after "
                    + queued + " queued part(s)");
        }
    }
}
