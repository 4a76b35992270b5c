package dev.apiary.alert.optout;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.apiary.alert.config.AlertProperties;

/**
 * Whose list an opt-out belongs to. A STOP is an answer to a sender, so a school with its own SMS sender
 * ({@code apiary.alert.schools.<id>.sms-from} or {@code messaging-service-sid}) has its own list; the schools that
 * send from the shared default sender share the list {@value #SHARED} (a STOP to the shared number stops texts of
 * all of them, as Twilio's own block on that number does). Only clients for all schools see that list.
 */
@Component
public class OptOutScopes {
    public static final String SHARED = "_shared";

    private final AlertProperties props;

    public OptOutScopes(AlertProperties props) {
        this.props = props;
    }

    /** The school whose number (or Messaging Service) received an inbound message, else {@link #SHARED}. */
    public String forInbound(String to, String messagingServiceSid) {
        AlertProperties.Senders d = props.defaults();
        for (Map.Entry<String, AlertProperties.Senders> e : props.schools().entrySet()) {
            AlertProperties.Senders s = props.senders(e.getKey());
            if (own(s.messagingServiceSid(), d.messagingServiceSid()) && s.messagingServiceSid().equals(messagingServiceSid)) {
                return e.getKey();
            }
            if (to != null && ((own(s.smsFrom(), d.smsFrom()) && s.smsFrom().equals(to))
                    || (own(s.voiceFrom(), d.voiceFrom()) && s.voiceFrom().equals(to)))) {
                return e.getKey();
            }
        }
        return SHARED;
    }

    /** The list a STOP to this school's SMS sender lands on (also where Twilio's 21610 is recorded). */
    public String senderScope(String schoolId) {
        AlertProperties.Senders s = props.senders(schoolId);
        return own(s.smsSender(), props.defaults().smsSender()) ? schoolId : SHARED;
    }

    /** The lists a school's phone deliveries are checked against. */
    public List<String> phoneScopes(String schoolId) {
        String sender = senderScope(schoolId);
        return sender.equals(schoolId) ? List.of(schoolId) : List.of(schoolId, SHARED);
    }

    private static boolean own(String value, String shared) {
        return value != null && !value.isBlank() && !value.equals(shared);
    }
}
