package dev.apiary.alert.core;

import java.util.Set;

/**
 * Forward-only delivery states: queued(0) → sending(1) → sent(2) → a final state(3). A change is applied only
 * when it raises the rank, so late or duplicated callbacks never move a delivery backwards and finals stick.
 * The same ranks are in the Redis Lua script that applies changes.
 */
public final class DeliveryStates {
    public static final Set<String> REACHED = Set.of("delivered", "completed");
    public static final Set<String> FINAL = Set.of("delivered", "undelivered", "failed", "canceled", "opted_out",
            "completed", "busy", "no_answer");

    private DeliveryStates() {
    }

    public static int rank(String state) {
        if (state == null) {
            return -1;
        }
        return switch (state) {
            case "queued" -> 0;
            case "sending" -> 1;
            case "sent" -> 2;
            default -> 3;
        };
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
