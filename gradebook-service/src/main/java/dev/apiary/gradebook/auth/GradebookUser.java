package dev.apiary.gradebook.auth;

import java.util.Set;

/** A browser user from the legacy-minted JWT: {@code sub}, {@code role} (teacher|admin), visible sections. */
public record GradebookUser(String subject, String role, Set<Long> sections) {

    public boolean isAdmin() {
        return "admin".equals(role);
    }

    @Override
    public String toString() {
        return "GradebookUser[" + subject + ", " + role + "]";   // never the name
    }
}
