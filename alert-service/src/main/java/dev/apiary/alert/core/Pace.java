package dev.apiary.alert.core;

/**
 * What one send costs of which provider schedule ({@link Gcra}): SMS in segments per second per sender (the
 * Messaging Service SID or the number), calls per second per account, Mailgun requests per second per domain.
 *
 * @param key    the schedule (one per sender, account or domain)
 * @param costMs milliseconds of that schedule one send uses (0: not paced)
 */
public record Pace(String key, double costMs) {

    /** An SMS: every segment of the body counts ({@link Segments}). */
    public static Pace sms(String sender, String body, double segmentsPerSecond) {
        return new Pace("sms:" + sender, Segments.count(body) * 1000.0 / segmentsPerSecond);
    }

    public static Pace call(String accountSid, double callsPerSecond) {
        return new Pace("voice:" + accountSid, 1000.0 / callsPerSecond);
    }

    /** One Mailgun request (a batch of up to 1,000 emails). */
    public static Pace mailgun(String domain, double requestsPerSecond) {
        return new Pace("mailgun:" + domain, requestsPerSecond > 0 ? 1000.0 / requestsPerSecond : 0);
    }
}
