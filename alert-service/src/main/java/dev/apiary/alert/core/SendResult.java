package dev.apiary.alert.core;

import java.time.Duration;

/** What one provider call came to. */
public sealed interface SendResult {

    /** The provider took it and gave an id: never send it again. */
    record Accepted(String providerId) implements SendResult {
    }

    /** A permanent refusal (invalid number, not mobile, STOP, 400): the delivery fails with the reason. */
    record Rejected(String reason, boolean optedOut) implements SendResult {
    }

    /**
     * Try again later. {@code ambiguous}: 5xx or timeout, the provider may or may not have taken it
     * (retried: urgent alerts prefer at-least-once). Not ambiguous: 429, never processed.
     */
    record Retry(Duration retryAfter, boolean ambiguous, String reason) implements SendResult {
    }
}
