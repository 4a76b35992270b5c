package dev.apiary.alert.core;

/** Why a delivery is {@code opted_out}: the address is on the school's suppression list. */
public final class OptOutReason {
    public static final String PHONE = "opted_out: the number replied STOP";
    public static final String EMAIL = "opted_out: the address unsubscribed or complained";

    private OptOutReason() {
    }

    public static String of(Channel c) {
        return c == Channel.EMAIL ? EMAIL : PHONE;
    }
}
