package dev.apiary.pdf.report;

import dev.apiary.common.events.EventHub;
import dev.apiary.common.events.StateStreams;
import dev.apiary.common.events.StreamOptions;
import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.web.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** The report API: /api/pdf/v1/reports. */
@RestController
@RequestMapping("/api/pdf/v1/reports")
public class ReportController {
    /** Set (to 1) by nginx on proxied requests: answer files with X-Accel-Redirect instead of the bytes. */
    public static final String ACCEL_HEADER = "X-Apiary-Accel";
    /** The internal nginx location that maps to the data dir. */
    public static final String ACCEL_PREFIX = "/_files/pdf/";

    private final ReportService reports;
    private final ReportSubmission submissions;
    private final ReportHistory history;
    private final StateStreams<ReportView> progress;

    public ReportController(ReportService reports, ReportSubmission submissions, ReportHistory history, EventHub hub,
                            JobStatusStore store) {
        this.reports = reports;
        this.submissions = submissions;
        this.history = history;
        // the status on connect, then each change (the worker writes progress every 250 ms), until a final state
        this.progress = hub.states("report", "status", store.source(ReportKeys::status, ReportView::of),
                StreamOptions.defaults().withMaxEventsPerSecond(4));
    }

    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> submit(HttpServletRequest request,
                                                      @RequestHeader(value = "Idempotency-Key", required = false) String key)
            throws IOException {
        String type = request.getContentType();
        if (type == null || !MediaType.parseMediaType(type).isCompatibleWith(MediaType.APPLICATION_JSON)) {
            throw ApiProblem.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                    "Send the report request as application/json");
        }
        ReportSubmission.Submitted s = submissions.submit(request.getInputStream(), key);
        URI location = URI.create("/api/pdf/v1/reports/" + s.view().id());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(location)
                .header("Idempotent-Replayed", Boolean.toString(s.replayed()))
                .body(s.view().accepted());
    }

    /** A school's reports, newest first: {@code ?school_id=&state=&since=&cursor=&limit=}. */
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public ReportHistory.ReportList list(@RequestParam(name = "school_id", required = false) String schoolId,
                                         @RequestParam(required = false) String state,
                                         @RequestParam(required = false) String since,
                                         @RequestParam(required = false) String cursor,
                                         @RequestParam(required = false) String limit) {
        return history.list(schoolId, state, since, cursor, limit);
    }

    @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ReportView status(@PathVariable String id) {
        return reports.view(id);
    }

    @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public void events(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        reports.status(id);
        progress.open(id, request, response);
    }

    @GetMapping("/{id}/file")
    public ResponseEntity<Resource> file(@PathVariable String id,
                                         @RequestHeader(value = ACCEL_HEADER, required = false) String accel) {
        ReportService.FileAnswer f = reports.file(id);
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PDF);
        headers.setContentDisposition(ContentDisposition.attachment().filename(f.filename()).build());
        headers.setCacheControl("private, no-store");
        if ("1".equals(accel)) {
            headers.set("X-Accel-Redirect", ACCEL_PREFIX + f.relativePath());
            return ResponseEntity.ok().headers(headers).build();
        }
        return ResponseEntity.ok().headers(headers).body(new FileSystemResource(f.path()));
    }

    @DeleteMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ReportView> delete(@PathVariable String id) {
        ReportView v = reports.cancelOrDelete(id);
        return v == null ? ResponseEntity.noContent().build() : ResponseEntity.ok(v);
    }
}
