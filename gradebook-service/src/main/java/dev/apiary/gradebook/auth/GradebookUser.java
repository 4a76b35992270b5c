package dev.apiary.gradebook.auth;

import java.time.Instant;
import java.util.Set;

/**
 * A browser user from the legacy-minted JWT: {@code sub}, {@code role} (teacher|admin), visible sections, and when
 * the token expires ({@code exp}: a live stream ends then).
 */
public record GradebookUser(String subject, String role, Set<Long> sections, Instant expiresAt) {

    public boolean isAdmin() {
        return "admin".equals(role);
    }

    @Override
    public String toString() {
        return "GradebookUser[" + subject + ", " + role + "]";   // never the name
    }
}
