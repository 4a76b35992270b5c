package dev.apiary.alert.core;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

public enum Channel {
    EMAIL, SMS, VOICE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Channel> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        for (Channel c : values()) {
            if (c.id().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** States a delivery of this channel can be in, in display order. */
    public List<String> states() {
        return this == VOICE
                ? List.of("queued", "sending", "sent", "completed", "busy", "no_answer", "failed", "canceled", "opted_out")
                : List.of("queued", "sending", "sent", "delivered", "undelivered", "failed", "canceled", "opted_out");
    }
}
