package dev.apiary.common.queue;

/**
 * Handles one entry. Returning normally acknowledges it; throwing retries it with backoff
 * (or dead-letters it after the last attempt); throwing {@link PermanentFailure} dead-letters it at once.
 * A handler should notice {@link Thread#interrupted()} — shutdown interrupts handlers it cannot wait for.
 */
@FunctionalInterface
public interface WorkHandler {
    void handle(WorkItem item) throws Exception;
}
