package dev.apiary.alert.optout;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.apiary.alert.store.AlertStore;
import tools.jackson.databind.JsonNode;

/**
 * Mailgun {@code unsubscribed} and {@code complained} events (already authenticated by the webhook): the recipient
 * goes on the email list of the school that sent the message — named by the {@code school} user-variable the service
 * sets on every send, else found from the {@code alert} user-variable.
 */
@Component
public class MailgunSuppressions {
    private static final Logger log = LoggerFactory.getLogger(MailgunSuppressions.class);
    static final String CLIENT = "mailgun-webhook";

    private final OptOuts optOuts;
    private final OptOutAudit audit;
    private final AlertStore store;

    public MailgunSuppressions(OptOuts optOuts, OptOutAudit audit, AlertStore store) {
        this.optOuts = optOuts;
        this.audit = audit;
        this.store = store;
    }

    public static boolean isSuppression(String event) {
        return "unsubscribed".equals(event) || "complained".equals(event);
    }

    /** Records the event's recipient; false if the event names no school or recipient (nothing changes). */
    public boolean record(JsonNode eventData) {
        String event = eventData.path("event").asString("");
        String recipient = eventData.path("recipient").asString("").trim().toLowerCase(Locale.ROOT);
        JsonNode vars = eventData.path("user-variables");
        String school = vars.path("school").asString("");
        if (school.isBlank()) {
            String alert = vars.path("alert").asString("");
            if (alert.matches("al[0-9a-f]{22}")) {
                school = store.meta(alert).getOrDefault("school_id", "");
            }
        }
        if (!isSuppression(event) || recipient.isBlank() || school.isBlank()) {
            log.warn("mailgun {} event without a school or recipient ignored", event);
            return false;
        }
        String source = "mailgun_" + event;
        if (optOuts.add(school, OptOutChannel.EMAIL, recipient, source)) {
            audit.record(school, CLIENT, null, "opt_out.added", OptOutChannel.EMAIL, recipient, source);
        }
        log.info("mailgun {}: address suppressed for school {}", event, school);
        return true;
    }
}
