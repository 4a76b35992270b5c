package dev.apiary.common.security;

import java.util.Set;

/**
 * An authenticated API client: the legacy app (every school) or a named client bound to some schools.
 * It is the principal of every request made with an API key.
 */
public record ApiClient(String name, Set<String> schools, Set<String> scopes) implements Caller {

    public static final String ALL_SCHOOLS = "*";
    /** The name under which {@code apiary.security.api-keys} authenticate: the legacy app. */
    public static final String LEGACY = "legacy";
    public static final String ADMIN_SCOPE = "admin";

    public ApiClient {
        schools = Set.copyOf(schools);
        scopes = Set.copyOf(scopes);
    }

    @Override
    public boolean mayAccessSchool(String schoolId) {
        return schools.contains(ALL_SCHOOLS) || (schoolId != null && schools.contains(schoolId));
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
