package dev.apiary.alert.optout;

import java.util.Locale;
import java.util.Optional;

import dev.apiary.alert.core.Channel;

/**
 * The two suppression lists of a school: phone numbers that replied STOP (they get no SMS and no call) and email
 * addresses that unsubscribed or complained.
 */
public enum OptOutChannel {
    SMS("sms"),
    EMAIL("email");

    private final String id;

    OptOutChannel(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The list that covers deliveries of a channel: SMS and voice go by phone number. */
    public static OptOutChannel of(Channel c) {
        return c == Channel.EMAIL ? EMAIL : SMS;
    }

    public static Optional<OptOutChannel> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "sms" -> Optional.of(SMS);
            case "email" -> Optional.of(EMAIL);
            default -> Optional.empty();
        };
    }
}
