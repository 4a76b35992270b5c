package dev.apiary.sandbox.legacy.auth;

import dev.apiary.sandbox.legacy.LegacyProperties;
import dev.apiary.sandbox.legacy.gradebook.ChangePublisher;
import dev.apiary.sandbox.legacy.gradebook.GradebookStore;
import dev.apiary.sandbox.legacy.school.Model.Section;
import dev.apiary.sandbox.legacy.school.SchoolData;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Demo and test helpers: tokens, the gradebook hand-over link, reset. */
@RestController
public class DemoController {
    private final JwtMinter minter;
    private final SchoolData school;
    private final GradebookStore store;
    private final ChangePublisher events;
    private final LegacyProperties props;

    public DemoController(JwtMinter minter, SchoolData school, GradebookStore store, ChangePublisher events,
                          LegacyProperties props) {
        this.minter = minter;
        this.school = school;
        this.store = store;
        this.events = events;
        this.props = props;
    }

    /**
     * {"token": "..."} for the given user. {@code school_id} defaults to the school of the listed sections (when they
     * share one), else the default school; an admin without {@code sections} gets every section of its school. Any
     * combination may be asked for, also a teacher listing another school's section: tests check that
     * gradebook-service refuses it.
     */
    @GetMapping(path = "/demo/token", produces = "application/json")
    public Map<String, String> token(@RequestParam(defaultValue = "teacher-1") String sub,
                                     @RequestParam(required = false) String name,
                                     @RequestParam(defaultValue = "teacher") String role,
                                     @RequestParam(name = "school_id", required = false) String schoolId,
                                     @RequestParam(required = false) String sections,
                                     @RequestParam(name = "ttl_seconds", defaultValue = "3600") long ttlSeconds) {
        if (!role.equals("teacher") && !role.equals("admin")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "role must be teacher or admin");
        }
        List<Integer> listed;
        try {
            listed = sections == null || sections.isBlank() ? List.of()
                    : Arrays.stream(sections.split(",")).map(String::trim).map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "sections must be comma-separated integers");
        }
        String tokenSchool = schoolId != null && !schoolId.isBlank() ? schoolId.trim() : schoolOf(listed);
        List<Integer> ids = listed.isEmpty() && role.equals("admin")
                ? school.sections().values().stream().filter(s -> s.schoolId().equals(tokenSchool)).map(Section::id).toList()
                : listed;
        String display = name != null ? name : (role.equals("admin") ? "Demo Admin" : "Demo Teacher");
        return Map.of("token", minter.mint(sub, display, role, tokenSchool, ids, Duration.ofSeconds(ttlSeconds)));
    }

    /** The one school all these sections belong to; the default school when there is none. */
    private String schoolOf(List<Integer> sectionIds) {
        List<String> schools = sectionIds.stream().map(school::section).filter(java.util.Objects::nonNull)
                .map(Section::schoolId).distinct().toList();
        return schools.size() == 1 ? schools.getFirst() : props.schoolId();
    }

    /** The legacy page's "open gradebook" link: mints a token for the section's teacher and hands it over. */
    @GetMapping("/sections/{id}/open-gradebook")
    public ResponseEntity<Void> openGradebook(@PathVariable int id) {
        Section s = school.section(id);
        if (s == null) throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no section " + id);
        String token = minter.mint("teacher-" + id, s.teacher(), "teacher", s.schoolId(), List.of(id), Duration.ofHours(8));
        return ResponseEntity.status(HttpStatus.FOUND)
                .location(URI.create("/gradebook/sections/" + id + "#token=" + token)).build();
    }

    /** The request headers as this app received them (checks what a proxy in front adds: X-Forwarded-*, X-Request-Id). */
    @GetMapping(path = "/demo/echo-headers", produces = "application/json")
    public Map<String, String> echoHeaders(jakarta.servlet.http.HttpServletRequest request) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String name : java.util.Collections.list(request.getHeaderNames())) {
            if (!name.equalsIgnoreCase("authorization") && !name.equalsIgnoreCase("cookie")) {
                out.put(name.toLowerCase(java.util.Locale.ROOT), request.getHeader(name));
            }
        }
        return out;
    }

    /** Back to the generated scores (tests use this); publishes a whole-section change per section. */
    @PostMapping(path = "/demo/reset", produces = "application/json")
    public Map<String, Object> reset() {
        store.reset();
        school.sections().keySet().forEach(id -> events.section(id, "section"));
        return Map.of("reset", true);
    }
}
