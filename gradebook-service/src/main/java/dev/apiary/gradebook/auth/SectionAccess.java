package dev.apiary.gradebook.auth;

import dev.apiary.common.security.Caller;
import dev.apiary.common.tenancy.Tenancy;
import dev.apiary.common.web.ApiProblem;
import org.springframework.http.HttpStatus;

/**
 * Who may see and edit which section. Two steps, because a section's school is known only once it is loaded:
 * <ol>
 * <li>{@link #checkListed} before loading: a teacher opens only the sections its token lists, else 403. That answer
 *     depends on the token alone, so it says nothing about whether the section exists (and costs no upstream call).</li>
 * <li>{@link #checkSchool} once loaded: another school's section is answered 404, exactly as an unknown id
 *     ({@link Tenancy}): a user sees only its token's school, an API client only the schools it is bound to.</li>
 * </ol>
 */
public final class SectionAccess {

    private SectionAccess() {}

    public static void checkListed(long sectionId) {
        Caller caller = Tenancy.caller();
        if (caller instanceof GradebookUser u && !u.lists(sectionId)) {
            throw ApiProblem.of(HttpStatus.FORBIDDEN, "Forbidden", "This token may not access section " + sectionId)
                    .with("section_id", sectionId);
        }
    }

    public static void checkSchool(long sectionId, String schoolId) {
        Tenancy.requireVisible(schoolId, "section", sectionId);
    }
}
