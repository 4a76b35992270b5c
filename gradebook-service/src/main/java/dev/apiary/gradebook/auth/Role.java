package dev.apiary.gradebook.auth;

import java.util.Optional;

/** The {@code role} claim of a legacy-minted token. */
public enum Role {
    /** Sees the sections its token lists, within its school. */
    TEACHER("teacher"),
    /** Sees every section of its school. */
    ADMIN("admin");

    private final String claim;

    Role(String claim) {
        this.claim = claim;
    }

    public String claim() {
        return claim;
    }

    public static Optional<Role> ofClaim(Object value) {
        for (Role r : values()) {
            if (r.claim.equals(value)) return Optional.of(r);
        }
        return Optional.empty();
    }
}
