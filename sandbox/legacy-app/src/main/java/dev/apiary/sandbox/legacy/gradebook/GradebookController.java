package dev.apiary.sandbox.legacy.gradebook;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.apiary.sandbox.legacy.school.Model.Score;
import dev.apiary.sandbox.legacy.school.Model.ScoreChange;
import dev.apiary.sandbox.legacy.school.SchoolData;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The legacy gradebook API that gradebook-service consumes (docs/legacy-contract.md). */
@RestController
public class GradebookController {
    private final GradebookStore store;
    private final ChangePublisher events;
    private final SchoolData school;

    public GradebookController(GradebookStore store, ChangePublisher events, SchoolData school) {
        this.store = store;
        this.events = events;
        this.school = school;
    }

    /** A score write; {@code actor} is the legacy user who made it (gradebook-service sends the teacher's id). */
    public record ScoreWrite(@JsonProperty("student_id") Integer studentId,
                             @JsonProperty("assignment_id") Integer assignmentId,
                             Double score, Boolean excused, Boolean missing, String actor) {}

    @GetMapping(path = "/api/v1/sections", produces = "application/json")
    public List<Map<String, Object>> sections(@RequestParam(name = "school_id", required = false) String schoolId) {
        return school.sections().values().stream().filter(s -> schoolId == null || s.schoolId().equals(schoolId)).map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("school_id", s.schoolId());
            m.put("school", school.school(s.schoolId()).name());
            m.put("name", s.name());
            m.put("term", s.term());
            m.put("grade_level", s.gradeLevel());
            m.put("teacher", s.teacher());
            m.put("students", s.students().size());
            m.put("assignments", s.assignments().size());
            return m;
        }).toList();
    }

    @GetMapping(path = "/api/v1/sections/{id}/gradebook", produces = "application/json")
    public Map<String, Object> gradebook(@PathVariable int id) {
        Map<String, Object> g = store.gradebook(id);
        if (g == null) throw new GradebookStore.UnknownSection(id);
        return g;
    }

    @PutMapping(path = "/api/v1/sections/{id}/scores", produces = "application/json")
    public Map<String, Object> putScore(@PathVariable int id, @RequestBody ScoreWrite body) {
        return write(id, body);
    }

    /** Who changed which score, oldest first: the system of record's audit trail (tests read it). */
    @GetMapping(path = "/api/v1/sections/{id}/score-changes", produces = "application/json")
    public List<Map<String, Object>> scoreChanges(@PathVariable int id) {
        List<ScoreChange> changes = store.changes(id);
        if (changes == null) throw new GradebookStore.UnknownSection(id);
        return changes.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>(GradebookStore.scoreJson(c.score()));
            m.put("actor", c.actor());
            m.put("changed_at", c.changedAt().toString());
            return m;
        }).toList();
    }

    /** "Another teacher" (or the legacy app itself) changes a score: same as the PUT, for demos and UI tests. */
    @org.springframework.web.bind.annotation.PostMapping(path = "/demo/sections/{id}/scores", produces = "application/json")
    public Map<String, Object> demoScore(@PathVariable int id, @RequestBody ScoreWrite body) {
        return write(id, body);
    }

    /** Guardians, for the alert page and tests: {id, student_id, name, phone, email, language}. */
    @GetMapping(path = "/api/v1/guardians", produces = "application/json")
    public List<Map<String, Object>> guardians(@RequestParam(name = "school_id", required = false) String schoolId,
                                               @RequestParam(required = false) Integer grade,
                                               @RequestParam(name = "section_id", required = false) Integer sectionId,
                                               @RequestParam(defaultValue = "100000") int limit) {
        return school.guardians(schoolId, grade, sectionId).stream().limit(limit).map(g -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", g.id());
            m.put("student_id", g.studentId());
            m.put("name", g.name());
            m.put("phone", g.phone());
            m.put("email", g.email());
            m.put("language", g.language());
            return m;
        }).toList();
    }

    Map<String, Object> write(int sectionId, ScoreWrite body) {
        if (body == null) throw new GradebookStore.InvalidScore("body", "is required");
        Score s = store.write(sectionId, body.studentId(), body.assignmentId(), body.score(), body.excused(),
                body.missing(), body.actor());
        events.score(sectionId, s);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("section_id", sectionId);
        out.putAll(GradebookStore.scoreJson(s));
        out.put("actor", body.actor());
        out.put("updated_at", Instant.now().toString());
        return out;
    }

    @ExceptionHandler(GradebookStore.InvalidScore.class)
    ResponseEntity<ProblemDetail> invalid(GradebookStore.InvalidScore e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        p.setTitle("Invalid score");
        p.setType(URI.create("about:blank"));
        p.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        return ResponseEntity.badRequest().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    /** Malformed JSON or a value of the wrong type: 400 naming the field when Jackson knows it. */
    @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(org.springframework.http.converter.HttpMessageNotReadableException e) {
        String field = "body";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof tools.jackson.databind.DatabindException d && !d.getPath().isEmpty()) {
                var ref = d.getPath().getLast();
                field = ref.getPropertyName() != null ? ref.getPropertyName() : field;
                break;
            }
        }
        return invalid(new GradebookStore.InvalidScore(field, "is malformed or of the wrong type"));
    }

    @ExceptionHandler(GradebookStore.UnknownSection.class)
    ResponseEntity<ProblemDetail> unknown(GradebookStore.UnknownSection e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        p.setTitle("Not found");
        return ResponseEntity.status(404).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
