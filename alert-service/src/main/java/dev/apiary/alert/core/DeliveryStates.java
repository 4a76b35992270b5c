package dev.apiary.alert.core;

import java.util.Set;

/**
 * String-level helpers over {@link DeliveryState} (the one definition of states and ranks) and the providers'
 * status words mapped to delivery states.
 */
public final class DeliveryStates {
    public static final Set<String> REACHED = DeliveryState.ids(DeliveryState::reached);
    public static final Set<String> FINAL = DeliveryState.ids(DeliveryState::isFinal);

    private DeliveryStates() {
    }

    /** The rank of a state name: -1 for null or unknown. */
    public static int rank(String state) {
        DeliveryState s = DeliveryState.of(state);
        return s == null ? -1 : s.rank();
    }

    public static boolean isFinal(String state) {
        return FINAL.contains(state);
    }

    public static boolean canMove(String from, String to) {
        return rank(to) > rank(from);
    }

    /** Twilio MessageStatus → delivery state (null: ignore). */
    public static String fromTwilioMessage(String status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case "accepted", "scheduled", "queued", "sending", "sent" -> "sent";
            case "delivered", "read" -> "delivered";
            case "undelivered" -> "undelivered";
            case "failed", "canceled" -> "failed";
            default -> null;
        };
    }

    /** Twilio CallStatus → delivery state (null: ignore). */
    public static String fromTwilioCall(String status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case "queued", "initiated", "ringing", "in-progress" -> "sent";
            case "completed" -> "completed";
            case "busy" -> "busy";
            case "no-answer" -> "no_answer";
            case "failed", "canceled" -> "failed";
            default -> null;
        };
    }

    /** Mailgun event → delivery state (null: ignore; temporary failures are retried by Mailgun). */
    public static String fromMailgun(String event, String severity) {
        if (event == null) {
            return null;
        }
        return switch (event) {
            case "accepted" -> "sent";
            case "delivered" -> "delivered";
            case "failed", "permanent_fail" -> "temporary".equals(severity) ? null : "failed";
            case "rejected" -> "failed";
            default -> null;
        };
    }
}
