package dev.apiary.common.queue;

/** For tests in other packages: what only the queue's own package may do. */
public final class QueueTestAccess {

    private QueueTestAccess() {
    }

    /** Abrupt stop without releasing anything, as a crashed instance leaves it (kill -9). */
    public static void kill(WorkQueue queue) {
        queue.kill();
    }
}
