package dev.apiary.alert.dispatch;

import java.time.Duration;

/** The Retry-After header of a provider's 429 (seconds; the HTTP-date form is not used by Twilio or Mailgun). */
final class RetryAfter {
    private RetryAfter() {
    }

    /** The delay, or null if the value is missing or not a number of seconds. */
    static Duration parse(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
