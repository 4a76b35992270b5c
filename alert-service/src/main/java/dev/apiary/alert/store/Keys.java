package dev.apiary.alert.store;

/**
 * Redis keys. Everything of one alert shares the hash tag {@code {<alert id>}} so the Lua scripts that touch
 * several of them work on Redis Cluster.
 */
public final class Keys {
    public static final String ACTIVE = "apiary:alert:active";
    /** alert ids whose first dispatch is not confirmed yet, scored by ms (the sweeper's index; one key) */
    public static final String DISPATCHING = "apiary:alert:dispatching";

    // Suffixes of one alert's keys, kept short in Redis (they repeat on every alert); the methods below name them.
    /** hash: delivery index → {@link dev.apiary.alert.core.DeliveryState} id */
    private static final String STATES = "st";
    /** hash: delivery index → the delivery's static JSON ({@link #INFO_CHANNEL} ...) */
    private static final String DELIVERIES = "dv";
    /** hash: delivery index → provider id (Twilio SID, Mailgun message id) */
    private static final String PROVIDER_IDS = "pid";
    /** hash: delivery index → why it failed or was not reached */
    private static final String REASONS = "why";
    /** sorted set: delivery index scored by when it became sent (reconciliation) */
    private static final String SENT_AT = "sentz";

    // Fields of a delivery's static JSON in the {@link #deliveries} hash (short: 20,000 per alert).
    /** channel id ({@code email}, {@code sms}, {@code voice}) */
    public static final String INFO_CHANNEL = "c";
    /** the address (E.164 number or email) */
    public static final String INFO_ADDRESS = "a";
    /** the recipient ids sharing the address */
    public static final String INFO_RECIPIENTS = "r";
    /** the recipient's language ("" = the alert's) */
    public static final String INFO_LANGUAGE = "l";

    private Keys() {
    }

    public static String meta(String a) {
        return "apiary:alert:{" + a + "}:meta";
    }

    /** delivery index → state */
    public static String states(String a) {
        return alertKey(a, STATES);
    }

    /** delivery index → static JSON (channel, address, recipient ids, language) */
    public static String deliveries(String a) {
        return alertKey(a, DELIVERIES);
    }

    /** delivery index → provider id */
    public static String providerIds(String a) {
        return alertKey(a, PROVIDER_IDS);
    }

    /** delivery index → reason of a failure */
    public static String reasons(String a) {
        return alertKey(a, REASONS);
    }

    /** delivery index scored by when it was claimed or reached {@code sent}, until it is final (reconciliation) */
    public static String unsettledSince(String a) {
        return alertKey(a, SENT_AT);
    }

    /** recipient id → name (for the not-reached list) */
    public static String names(String a) {
        return "apiary:alert:{" + a + "}:names";
    }

    /**
     * provider id → the delivery that owns it ({@code <alert id>.<index>}): a lookup after an ambiguous failure
     * never adopts an id another delivery already has. One key per id (its own slot).
     */
    public static String providerOwner(String providerId) {
        return "apiary:alert:provider:{" + providerId + "}";
    }

    private static String alertKey(String alertId, String suffix) {
        return "apiary:alert:{" + alertId + "}:" + suffix;
    }

    public static String events(String a) {
        return "apiary:alert:events:" + a;
    }

    public static String mailgunToken(String token) {
        return "apiary:alert:mgtoken:" + token;
    }

    public static String pace(String what) {
        return "apiary:alert:pace:" + what;
    }
}
