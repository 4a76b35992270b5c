package dev.apiary.common.queue;

/**
 * Handles one entry. Returning normally acknowledges it; throwing retries it with backoff
 * (or dead-letters it after the last attempt); throwing {@link PermanentFailure} dead-letters it at once.
 * A handler should notice {@link Thread#interrupted()} — shutdown interrupts handlers it cannot wait for.
 */
@FunctionalInterface
public interface WorkHandler {
    void handle(WorkItem item) throws Exception;

    /**
     * The queue gives up on an entry without running it: the consumers handling it died (crash, kill -9, OOM
     * kill) {@code maxAttempts} times. Called once before the entry goes to the dead-letter stream (again if this
     * instance dies in between, so make it idempotent); a service settles its own state here, e.g. fails the job.
     * {@code reason} is fit for an error field; it names no entry data.
     */
    default void abandoned(WorkItem item, String reason) {
    }
}
