package dev.apiary.sandbox.legacy.suite;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.apiary.sandbox.legacy.LegacyProperties;
import dev.apiary.sandbox.legacy.school.Model.Guardian;
import dev.apiary.sandbox.legacy.school.Model.School;
import dev.apiary.sandbox.legacy.school.Model.Section;
import dev.apiary.sandbox.legacy.school.Model.Student;
import dev.apiary.sandbox.legacy.school.SchoolData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.ObjectMapper;

/**
 * The legacy app's pages call the services here, server side, with the API key (the browser never sees it):
 * report cards via pdf-service, urgent alerts via alert-service.
 */
@RestController
public class SuiteController {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private final SuiteClient client;
    private final SchoolData school;
    private final LegacyProperties props;
    private final ObjectMapper json;

    public SuiteController(SuiteClient client, SchoolData school, LegacyProperties props, ObjectMapper json) {
        this.client = client;
        this.school = school;
        this.props = props;
        this.json = json;
    }

    /** The pages (the same paths take the POSTs below). */
    @GetMapping(path = "/report-cards", produces = "text/html")
    public org.springframework.web.servlet.ModelAndView reportPage() {
        return new org.springframework.web.servlet.ModelAndView("forward:/report-cards.html");
    }

    @GetMapping(path = "/urgent-alert", produces = "text/html")
    public org.springframework.web.servlet.ModelAndView alertPage() {
        return new org.springframework.web.servlet.ModelAndView("forward:/urgent-alert.html");
    }

    /** Submits the report cards of one grade; answers what pdf-service answered. */
    @PostMapping(path = "/report-cards", produces = "application/json")
    public ResponseEntity<String> createReport(@RequestParam(name = "school_id", required = false) String schoolId,
                                               @RequestParam(defaultValue = "7") int grade,
                                               @RequestParam(required = false) Integer limit,
                                               @RequestParam(name = "page_size", required = false) String pageSize,
                                               @RequestParam(defaultValue = "1") int copies,
                                               @RequestHeader(name = "Idempotency-Key", required = false) String key)
            throws IOException, InterruptedException {
        School forSchool = schoolOrDefault(schoolId);
        List<Student> students = school.studentsOfGrade(forSchool.id(), grade);
        if (students.isEmpty()) throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "no students in grade " + grade);
        if (limit != null && limit > 0 && limit < students.size()) students = students.subList(0, limit);
        if (copies < 1 || copies > 50) throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "copies must be 1..50");
        if (copies > 1) {
            // load demos: the same students several times (a bigger school)
            List<Student> many = new java.util.ArrayList<>();
            for (int i = 0; i < copies; i++) many.addAll(students);
            students = many;
        }
        Map<String, Object> body = ReportPayloads.reportCards(forSchool, students);
        if (pageSize != null) body.put("page_size", pageSize);
        var r = client.postJson("/api/pdf/v1/reports", json.writeValueAsString(body),
                key != null ? key : UUID.randomUUID().toString());
        return pass(r);
    }

    @GetMapping(path = "/report-cards/{id}", produces = "application/json")
    public ResponseEntity<String> report(@PathVariable String id) throws IOException, InterruptedException {
        return pass(client.get("/api/pdf/v1/reports/" + checked(id)));
    }

    @GetMapping(path = "/report-cards/{id}/events")
    public ResponseEntity<StreamingResponseBody> reportEvents(@PathVariable String id) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = client.stream("/api/pdf/v1/reports/" + checked(id) + "/events", "text/event-stream");
        if (r.statusCode() != 200) {
            r.body().close();
            throw new ResponseStatusException(HttpStatus.valueOf(r.statusCode()), "pdf-service answered " + r.statusCode());
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache").header("X-Accel-Buffering", "no")
                .body(out -> copy(r.body(), out));
    }

    @GetMapping(path = "/report-cards/{id}/file")
    public ResponseEntity<StreamingResponseBody> reportFile(@PathVariable String id) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = client.stream("/api/pdf/v1/reports/" + checked(id) + "/file", "application/pdf");
        if (r.statusCode() != 200) {
            String detail = new String(r.body().readAllBytes());
            return ResponseEntity.status(r.statusCode()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(out -> out.write(detail.getBytes()));
        }
        var b = ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF);
        r.headers().firstValue("Content-Disposition").ifPresent(v -> b.header(HttpHeaders.CONTENT_DISPOSITION, v));
        r.headers().firstValue("Content-Length").ifPresent(v -> b.header(HttpHeaders.CONTENT_LENGTH, v));
        return b.body(out -> copy(r.body(), out));
    }

    public record AlertForm(@JsonProperty("school_id") String schoolId, String subject, String text, @JsonProperty("voice_text") String voiceText,
                            List<String> channels, Integer grade, @JsonProperty("section_id") Integer sectionId,
                            Integer limit) {}

    /**
     * Sends an urgent alert to the guardians of a grade or section of one school ({@code school_id}; by default the
     * section's school, else the default school); answers what alert-service answered.
     */
    @PostMapping(path = "/urgent-alert", produces = "application/json")
    public ResponseEntity<String> sendAlert(@RequestBody AlertForm form,
                                            @RequestHeader(name = "Idempotency-Key", required = false) String key)
            throws IOException, InterruptedException {
        Section section = form.sectionId() == null ? null : school.section(form.sectionId());
        School forSchool = schoolOrDefault(form.schoolId() != null ? form.schoolId()
                : section != null ? section.schoolId() : null);
        List<Guardian> guardians = school.guardians(forSchool.id(), form.grade(), form.sectionId());
        if (form.limit() != null && form.limit() > 0 && form.limit() < guardians.size()) {
            guardians = guardians.subList(0, form.limit());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("school_id", forSchool.id());
        body.put("subject", form.subject());
        body.put("text", form.text());
        if (form.voiceText() != null && !form.voiceText().isBlank()) body.put("voice_text", form.voiceText());
        body.put("channels", form.channels());
        body.put("recipients", guardians.stream().map(g -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", "guardian-" + g.id());
            m.put("name", g.name());
            m.put("email", g.email());
            m.put("phone", g.phone());
            m.put("language", g.language());
            return m;
        }).toList());
        return pass(client.postJson("/api/alerts/v1/alerts", json.writeValueAsString(body),
                key != null ? key : UUID.randomUUID().toString()));
    }

    private School schoolOrDefault(String schoolId) {
        School s = school.school(schoolId == null || schoolId.isBlank() ? props.schoolId() : schoolId);
        if (s == null) throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "no school " + schoolId);
        return s;
    }

    private static String checked(String id) {
        if (!ID.matcher(id).matches()) throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "bad id");
        return id;
    }

    private static ResponseEntity<String> pass(HttpResponse<String> r) {
        var b = ResponseEntity.status(r.statusCode());
        r.headers().firstValue("Content-Type").ifPresent(v -> b.header(HttpHeaders.CONTENT_TYPE, v));
        r.headers().firstValue("Location").ifPresent(v -> b.header(HttpHeaders.LOCATION, v));
        return b.body(r.body());
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        try (in) {
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        }
    }
}
