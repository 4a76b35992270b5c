package dev.apiary.common.queue;

import java.time.Duration;

/**
 * A queue's numbers at one moment.
 *
 * @param depth              entries in the stream: waiting or being handled
 * @param pending            entries delivered to a consumer and not yet acknowledged
 * @param oldestPendingAge   how long ago the oldest pending entry was added to the stream; null when none is pending
 * @param retriesScheduled   failed entries waiting for their next attempt
 * @param deadLetters        entries in the dead-letter stream
 */
public record QueueStats(long depth, long pending, Duration oldestPendingAge, long retriesScheduled, long deadLetters) {
}
