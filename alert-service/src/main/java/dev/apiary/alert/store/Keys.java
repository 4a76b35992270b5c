package dev.apiary.alert.store;

/**
 * Redis keys. Everything of one alert shares the hash tag {@code {<alert id>}} so the Lua scripts that touch
 * several of them work on Redis Cluster.
 */
public final class Keys {
    public static final String ACTIVE = "apiary:alert:active";
    public static final String OPTED_OUT = "apiary:alert:opted_out";

    private Keys() {
    }

    public static String meta(String a) {
        return "apiary:alert:{" + a + "}:meta";
    }

    /** delivery index → state */
    public static String states(String a) {
        return "apiary:alert:{" + a + "}:st";
    }

    /** delivery index → static JSON (channel, address, recipient ids, language) */
    public static String deliveries(String a) {
        return "apiary:alert:{" + a + "}:dv";
    }

    /** delivery index → provider id */
    public static String providerIds(String a) {
        return "apiary:alert:{" + a + "}:pid";
    }

    /** delivery index → reason of a failure */
    public static String reasons(String a) {
        return "apiary:alert:{" + a + "}:why";
    }

    /** delivery index scored by the time it reached {@code sent} (reconciliation) */
    public static String sentSince(String a) {
        return "apiary:alert:{" + a + "}:sentz";
    }

    /** recipient id → name (for the not-reached list) */
    public static String names(String a) {
        return "apiary:alert:{" + a + "}:names";
    }

    public static String events(String a) {
        return "apiary:alert:events:" + a;
    }

    public static String idempotency(String school, String keyHash) {
        return "apiary:alert:idem:" + school + ":" + keyHash;
    }

    public static String mailgunToken(String token) {
        return "apiary:alert:mgtoken:" + token;
    }

    public static String pace(String what) {
        return "apiary:alert:pace:" + what;
    }
}
