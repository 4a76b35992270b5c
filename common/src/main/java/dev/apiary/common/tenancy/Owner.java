package dev.apiary.common.tenancy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who a resource belongs to: its school, the client that created it and the legacy user behind the request
 * ({@code X-Apiary-Actor}, may be null). Stored as the fields {@code school_id}, {@code client}, {@code actor} of the
 * resource's hash.
 */
public record Owner(String schoolId, String client, String actor) {

    public static final String SCHOOL_ID = "school_id";
    public static final String CLIENT = "client";
    public static final String ACTOR = "actor";

    /** The owner of what the current request creates for {@code schoolId} (403 if the caller may not). */
    public static Owner forNew(String schoolId) {
        return new Owner(schoolId, Tenancy.requireCreate(schoolId).name(), Actor.current().orElse(null));
    }

    public static Owner of(Map<String, String> fields) {
        return new Owner(fields.get(SCHOOL_ID), fields.get(CLIENT), fields.get(ACTOR));
    }

    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SCHOOL_ID, schoolId);
        if (client != null) m.put(CLIENT, client);
        if (actor != null) m.put(ACTOR, actor);
        return m;
    }
}
