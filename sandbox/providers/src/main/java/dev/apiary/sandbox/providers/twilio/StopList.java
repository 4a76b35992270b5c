package dev.apiary.sandbox.providers.twilio;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Twilio's own STOP filtering on long codes: an inbound opt-out keyword blocks messages from that number (or the
 * Messaging Service it belongs to) to the sender until an opt-in keyword; sends to a blocked number answer 21610.
 * Keywords as Twilio documents them: the whole message, one word, any case, surrounding whitespace ignored.
 */
@Component
public final class StopList {
    private static final Set<String> OUT = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    private static final Set<String> IN = Set.of("START", "YES", "UNSTOP");

    private final Set<String> blocked = ConcurrentHashMap.newKeySet();

    /** Applies an inbound message from {@code from} to {@code sender} (a number or Messaging Service SID). */
    public void inbound(String sender, String from, String body) {
        String word = body == null ? "" : body.strip().toUpperCase(Locale.ROOT);
        if (OUT.contains(word)) {
            blocked.add(sender + "|" + from);
        } else if (IN.contains(word)) {
            blocked.remove(sender + "|" + from);
        }
    }

    public boolean blocked(String sender, String to) {
        return sender != null && blocked.contains(sender + "|" + to);
    }

    public void clear() {
        blocked.clear();
    }
}
