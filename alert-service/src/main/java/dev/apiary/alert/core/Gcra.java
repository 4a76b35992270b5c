package dev.apiary.alert.core;

/**
 * GCRA (generic cell rate algorithm) as a schedule: each use of a rate-limited resource costs {@code costMs} of its
 * schedule; the state is one number, the theoretical arrival time (TAT) of the next use. A use reserves its slot at
 * once and waits until that slot, so concurrent senders (threads, instances) queue fairly behind each other instead
 * of retrying. {@code burstMs} lets uses run that much ahead of the schedule (0: strictly paced).
 * <p>
 * The same arithmetic runs in Redis as a Lua script ({@code store/RedisPacer}) so that every instance shares one
 * schedule per key; {@code RedisPacerTest} checks the script against this function.
 */
public final class Gcra {
    private Gcra() {
    }

    /**
     * One reservation.
     *
     * @param tat    the schedule after it (store this)
     * @param waitMs how long the caller waits before using the resource (0 = now)
     */
    public record Reservation(double tat, long waitMs) {
    }

    /**
     * Reserves one use at {@code nowMs}.
     *
     * @param tatMs   the stored TAT (0 or less: never used, or expired)
     * @param costMs  what this use costs of the schedule (1000 / rate, times SMS segments)
     * @param burstMs how far ahead of the schedule a use may run
     */
    public static Reservation reserve(double tatMs, double nowMs, double costMs, double burstMs) {
        double start = Math.max(tatMs, nowMs);
        double wait = start - burstMs - nowMs;
        return new Reservation(start + costMs, wait <= 0 ? 0 : (long) Math.floor(wait));
    }
}
