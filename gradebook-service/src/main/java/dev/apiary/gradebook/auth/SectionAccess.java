package dev.apiary.gradebook.auth;

import dev.apiary.common.web.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who may see and edit which section: the API key (service) and admins all; teachers their {@code sections}. */
public final class SectionAccess {

    private SectionAccess() {}

    public static void check(long sectionId) {
        check(SecurityContextHolder.getContext().getAuthentication(), sectionId);
    }

    public static void check(Authentication auth, long sectionId) {
        if (auth == null || !auth.isAuthenticated()) {
            throw ApiProblem.of(HttpStatus.UNAUTHORIZED, "Unauthorized", "Send Authorization: Bearer <api key or token>");
        }
        for (GrantedAuthority a : auth.getAuthorities()) {
            if ("ROLE_SERVICE".equals(a.getAuthority()) || "ROLE_ADMIN".equals(a.getAuthority())) return;
        }
        if (auth.getPrincipal() instanceof GradebookUser u && (u.isAdmin() || u.sections().contains(sectionId))) return;
        throw ApiProblem.of(HttpStatus.FORBIDDEN, "Forbidden", "This token may not access section " + sectionId)
                .with("section_id", sectionId);
    }
}
