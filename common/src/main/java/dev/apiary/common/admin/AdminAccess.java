package dev.apiary.common.admin;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.apiary.common.security.ApiClient;
import dev.apiary.common.security.Caller;
import dev.apiary.common.tenancy.Tenancy;
import dev.apiary.common.web.ApiProblem;

/**
 * Who may use an admin API: a client with scope {@code admin} (the security chain checks it for the admin base path;
 * checked here again so an admin endpoint stays closed under a service's own chain). What it may see still follows
 * its schools.
 */
final class AdminAccess {

    private AdminAccess() {
    }

    /** The current caller, or 403 unless it has scope {@code admin}. */
    static Caller requireAdmin() {
        Caller caller = Tenancy.caller();
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        boolean admin = auth.getAuthorities().stream()
                .anyMatch(a -> ("SCOPE_" + ApiClient.ADMIN_SCOPE).equals(a.getAuthority()));
        if (!admin) {
            throw ApiProblem.of(HttpStatus.FORBIDDEN, "Forbidden", "These credentials may not access this resource");
        }
        return caller;
    }

    /** Whether the caller acts for every school (entries that name no school are theirs only). */
    static boolean allSchools(Caller caller) {
        return caller instanceof ApiClient c && c.schools().contains(ApiClient.ALL_SCHOOLS);
    }

    /** An entry naming a school is visible to whoever may access that school; one naming none to all-schools callers. */
    static boolean maySee(Caller caller, String schoolId) {
        return schoolId == null ? allSchools(caller) : caller.mayAccessSchool(schoolId);
    }
}
