package dev.apiary.common.tenancy;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.apiary.common.security.Caller;
import dev.apiary.common.web.ApiProblem;

/**
 * The school boundary, the same in every service: a caller creates only for schools it is bound to (else 403
 * naming {@code school_id}), and another school's resource is answered as if it did not exist (404), so ids
 * reveal nothing.
 */
public final class Tenancy {

    private Tenancy() {
    }

    /** The caller of the current request; 401 if there is none (an open path that should not have called this). */
    public static Caller caller() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.isAuthenticated() && auth.getPrincipal() instanceof Caller c) {
            return c;
        }
        throw ApiProblem.of(HttpStatus.UNAUTHORIZED, "Unauthorized", "Send Authorization: Bearer <api key or token>");
    }

    /** Before creating anything for {@code schoolId}: 403 problem naming {@code school_id} if the caller may not. */
    public static Caller requireCreate(String schoolId) {
        return requireSchool(schoolId);
    }

    /** Before acting for {@code schoolId} (creating, listing its history): 403 naming {@code school_id} unless allowed. */
    public static Caller requireSchool(String schoolId) {
        Caller c = caller();
        if (!c.mayAccessSchool(schoolId)) {
            throw ApiProblem.of(HttpStatus.FORBIDDEN, "Forbidden", "school_id: this client may not act for school " + schoolId)
                    .with("field", "school_id");
        }
        return c;
    }

    /** Whether the current caller may see a resource owned by {@code schoolId}. */
    public static boolean visible(String schoolId) {
        return caller().mayAccessSchool(schoolId);
    }

    /** 404 (as for an unknown id) unless the current caller may see a resource of {@code schoolId}. */
    public static void requireVisible(String schoolId, String what, Object id) {
        if (schoolId == null || !visible(schoolId)) {
            throw ApiProblem.notFound(what, id);
        }
    }
}
