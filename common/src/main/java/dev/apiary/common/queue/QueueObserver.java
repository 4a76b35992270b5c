package dev.apiary.common.queue;

import java.time.Duration;

/** What a queue reports as it works (the metrics listen). */
interface QueueObserver {

    QueueObserver NONE = new QueueObserver() {
    };

    /** A handler returned or threw after {@code took}. */
    default void handled(Duration took) {
    }

    /** An entry failed and was scheduled for a later attempt. */
    default void retried() {
    }

    /** An entry went to the dead-letter stream. */
    default void deadLettered() {
    }
}
