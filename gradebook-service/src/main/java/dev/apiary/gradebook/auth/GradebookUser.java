package dev.apiary.gradebook.auth;

import dev.apiary.common.security.Caller;

import java.time.Instant;
import java.util.Set;

/**
 * A browser user from the legacy-minted JWT: {@code sub} (the legacy user's id), {@code role}, {@code school_id}, the
 * {@code sections} it lists, and when the token expires ({@code exp}: a live stream ends then). A teacher opens its
 * listed sections of its school, an admin every section of its school; neither ever another school's.
 */
public record GradebookUser(String subject, Role role, String schoolId, Set<Long> sections, Instant expiresAt)
        implements Caller {

    public GradebookUser {
        sections = Set.copyOf(sections);
    }

    /** The legacy user's id (never a person's name): recorded as who did what. */
    @Override
    public String name() {
        return subject;
    }

    @Override
    public boolean mayAccessSchool(String school) {
        return schoolId.equals(school);
    }

    /** Whether the token itself allows the section (a teacher's list; an admin's whole school). */
    public boolean lists(long sectionId) {
        return role == Role.ADMIN || sections.contains(sectionId);
    }

    @Override
    public String toString() {
        return "GradebookUser[" + subject + ", " + role + ", " + schoolId + "]";   // never the name
    }
}
