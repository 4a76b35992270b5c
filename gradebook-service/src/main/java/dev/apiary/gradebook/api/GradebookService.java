package dev.apiary.gradebook.api;

import dev.apiary.common.security.Caller;
import dev.apiary.common.tenancy.Actor;
import dev.apiary.common.tenancy.Tenancy;
import dev.apiary.common.web.ApiProblem;
import dev.apiary.common.web.ApiProblem.FieldError;
import dev.apiary.gradebook.auth.GradebookUser;
import dev.apiary.gradebook.auth.SectionAccess;
import dev.apiary.gradebook.cache.CachedSection;
import dev.apiary.gradebook.cache.SectionCache;
import dev.apiary.gradebook.calc.Gradebook;
import dev.apiary.gradebook.events.ChangeEvents;
import dev.apiary.gradebook.events.ScoreChange;
import dev.apiary.gradebook.source.LegacyClient;
import dev.apiary.gradebook.source.SourceFormatException;
import dev.apiary.gradebook.source.SourceParser;
import dev.apiary.gradebook.view.Views;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads (cached source, grades computed per call), write-through score changes, stateless calculation. */
@Service
public class GradebookService {

    private static final Logger log = LoggerFactory.getLogger(GradebookService.class);

    private final SectionCache cache;
    private final LegacyClient legacy;
    private final ChangeEvents events;

    public GradebookService(SectionCache cache, LegacyClient legacy, ChangeEvents events) {
        this.cache = cache;
        this.legacy = legacy;
        this.events = events;
    }

    /** The section, if the caller may see its school (else 404 as for an unknown id: see {@link SectionAccess}). */
    public SectionCache.Lookup lookup(long sectionId) {
        SectionCache.Lookup l = cache.get(sectionId);
        SectionAccess.checkSchool(sectionId, l.section().gradebook().definition().section().schoolId());
        return l;
    }

    /**
     * Validates a score write, writes it through to the legacy app, then (only on success) patches the
     * cache, tells SSE clients and other instances, and answers the student's new grades. The legacy app is told who
     * made the change ({@code actor}), so the system of record can say who changed a grade.
     */
    public Views.WriteResult write(long sectionId, JsonNode body) {
        ScoreChange change = parseWrite(sectionId, body);
        CachedSection current = lookup(sectionId).section();
        Gradebook gb = current.gradebook();
        List<FieldError> errors = new ArrayList<>();
        if (!gb.hasStudent(change.studentId())) {
            errors.add(new FieldError("student_id", "no student " + change.studentId() + " in section " + sectionId));
        }
        if (!gb.hasAssignment(change.assignmentId())) {
            errors.add(new FieldError("assignment_id", "no assignment " + change.assignmentId() + " in section " + sectionId));
        }
        if (!errors.isEmpty()) throw ApiProblem.invalid(errors);

        Caller caller = Tenancy.caller();
        String actor = actor(caller);
        Map<String, Object> legacyBody = new LinkedHashMap<>(change.legacyBody());
        legacyBody.put("actor", actor);
        legacy.writeScore(sectionId, legacyBody);                    // throws on any failure: nothing changed
        log.info("section {}: score written for student {} assignment {} (caller {}, actor {})", sectionId,
                change.studentId(), change.assignmentId(), caller.name(), actor);

        CachedSection after = events.apply(change)
                .orElseGet(() -> current.patched(change.applyTo(gb)));  // not cached (any more): answer from our copy
        events.publish(change);
        Gradebook next = after.gradebook();
        return new Views.WriteResult(sectionId, Views.score(next.scoreEntry(change.studentId(), change.assignmentId())),
                Views.student(next, change.studentId(), after.fetchedAt()));
    }

    /**
     * Who changed the grade, as an id: the teacher or admin (the token's {@code sub}; a header cannot override it),
     * or for an API client the legacy user it names in {@code X-Apiary-Actor} (null when it names none).
     */
    static String actor(Caller caller) {
        return caller instanceof GradebookUser u ? u.subject() : Actor.current().orElse(null);
    }

    /** POST /calculate: the body is a section in the source format; answers it parsed, to be computed and written. */
    public Gradebook parseSource(JsonNode body) {
        Gradebook gb;
        try {
            gb = SourceParser.parse(body);
        } catch (SourceFormatException e) {
            throw ApiProblem.badRequest(e.field(), e.problem());
        }
        return gb;
    }

    static ScoreChange parseWrite(long sectionId, JsonNode body) {
        if (body == null || !body.isObject()) throw ApiProblem.badRequest("body", "must be a JSON object");
        List<FieldError> errors = new ArrayList<>();
        long student = id(body, "student_id", errors);
        long assignment = id(body, "assignment_id", errors);
        BigDecimal score = null;
        JsonNode s = body.get("score");
        if (s != null && !s.isNull()) {
            if (!s.isNumber()) {
                errors.add(new FieldError("score", "must be a number of points or null"));
            } else {
                score = s.decimalValue();
                if (score.signum() < 0) errors.add(new FieldError("score", "must not be negative"));
                else {
                    try {
                        SourceParser.checkBounds(score, "score");
                    } catch (SourceFormatException e) {
                        errors.add(new FieldError("score", e.problem()));
                    }
                }
            }
        }
        boolean excused = bool(body, "excused", errors);
        boolean missing = bool(body, "missing", errors);
        if (!errors.isEmpty()) throw ApiProblem.invalid(errors);
        return new ScoreChange(sectionId, student, assignment, score, excused, missing);
    }

    private static long id(JsonNode body, String f, List<FieldError> errors) {
        JsonNode v = body.get(f);
        if (v == null || v.isNull()) {
            errors.add(new FieldError(f, "is required"));
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            errors.add(new FieldError(f, "must be an integer id"));
            return 0;
        }
        return v.longValue();
    }

    private static boolean bool(JsonNode body, String f, List<FieldError> errors) {
        JsonNode v = body.get(f);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) {
            errors.add(new FieldError(f, "must be true or false"));
            return false;
        }
        return v.booleanValue();
    }
}
