package dev.apiary.common.security;

/**
 * Whoever a request is authenticated as (an {@link ApiClient}, or a service's own kind such as the gradebook's
 * JWT user), as far as tenancy cares: a name to record as the owner, and which schools it may act for.
 */
public interface Caller {

    /** Recorded with every resource it creates; an id, never a person's name. */
    String name();

    boolean mayAccessSchool(String schoolId);
}
