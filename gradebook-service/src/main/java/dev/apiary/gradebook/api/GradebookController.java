package dev.apiary.gradebook.api;

import dev.apiary.common.web.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import dev.apiary.gradebook.auth.SectionAccess;
import dev.apiary.gradebook.cache.CachedSection;
import dev.apiary.gradebook.cache.SectionCache;
import dev.apiary.gradebook.auth.GradebookUser;
import dev.apiary.gradebook.events.SectionEvents;
import dev.apiary.gradebook.view.SectionJson;
import dev.apiary.gradebook.view.Views;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The gradebook API. Every response built from cached data says how old it is:
 * {@code data_as_of} (when the source was fetched from the legacy app), {@code Age} (seconds) and
 * {@code X-Cache: hit|miss}.
 */
@RestController
@RequestMapping("/api/gradebook/v1")
public class GradebookController {

    private final GradebookService service;
    private final SectionEvents streams;
    private final SectionJson sectionJson;

    public GradebookController(GradebookService service, SectionEvents streams, SectionJson sectionJson) {
        this.service = service;
        this.streams = streams;
        this.sectionJson = sectionJson;
    }

    /**
     * The section in the shape of docs/grading.md section 9 (definition + every student's grades). The raw score
     * entries (3,200 for 40 x 80: six times the size) only with {@code ?scores=true}, for clients that show them (the UI).
     */
    @GetMapping(path = "/sections/{id}", produces = "application/json")
    public void section(@PathVariable("id") long id,
                        @RequestParam(name = "scores", defaultValue = "false") boolean scores,
                        HttpServletResponse response) throws IOException {
        SectionAccess.checkListed(id);
        SectionCache.Lookup l = service.lookup(id);
        CachedSection c = l.section();
        // written straight to the response (no message converter, no copy of the ~50 KB body): the hottest path
        long age = c.age().toSeconds();
        ageHeaders(l, age).forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        sectionJson.writeTo(response, c.gradebook(), scores, c.fetchedAt(), c.patchedAt(), age);
    }

    @GetMapping(path = "/sections/{id}/students/{studentId}", produces = "application/json")
    public ResponseEntity<Views.StudentView> student(@PathVariable("id") long id,
                                                     @PathVariable("studentId") long studentId) {
        SectionAccess.checkListed(id);
        SectionCache.Lookup l = service.lookup(id);
        CachedSection c = l.section();
        Views.StudentView v = Views.student(c.gradebook(), studentId, c.fetchedAt());
        if (v == null) throw ApiProblem.notFound("student", studentId).with("section_id", id);
        return ResponseEntity.ok().headers(ageHeaders(l, c.age().toSeconds())).body(v);
    }

    @PutMapping(path = "/sections/{id}/scores", consumes = "application/json", produces = "application/json")
    public Views.WriteResult writeScore(@PathVariable("id") long id, @RequestBody JsonNode body) {
        SectionAccess.checkListed(id);
        return service.write(id, body);
    }

    @PostMapping(path = "/calculate", consumes = "application/json", produces = "application/json")
    public ResponseEntity<byte[]> calculate(@RequestBody JsonNode body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(sectionJson.write(service.parseSource(body), false, null, null, null));
    }

    /**
     * SSE: {@code ready}, then {@code score} (a student's new grades) and {@code reload} events; a browser's stream
     * ends when its token expires ({@code end} event, reason {@code expired}).
     */
    @GetMapping(path = "/sections/{id}/events", produces = "text/event-stream")
    public void events(@PathVariable("id") long id, HttpServletRequest request, HttpServletResponse response) {
        SectionAccess.checkListed(id);
        service.lookup(id);                 // another school's section: 404 before any stream opens
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        streams.open(id, auth.getPrincipal() instanceof GradebookUser u ? u.expiresAt() : null, request, response);
    }

    private static HttpHeaders ageHeaders(SectionCache.Lookup l, long ageSeconds) {
        HttpHeaders h = new HttpHeaders();
        h.set("Age", Long.toString(ageSeconds));
        h.set("X-Cache", l.hit() ? "hit" : "miss");
        h.setCacheControl(CacheControl.noStore());
        return h;
    }
}
