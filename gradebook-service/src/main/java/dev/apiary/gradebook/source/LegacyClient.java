package dev.apiary.gradebook.source;

import dev.apiary.common.tracing.CurrentTrace;
import org.springframework.beans.factory.annotation.Autowired;
import dev.apiary.common.web.ApiProblem;
import dev.apiary.gradebook.calc.Gradebook;
import dev.apiary.gradebook.config.GradebookProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The legacy app as upstream: reads a section's gradebook source, writes scores. Every failure
 * becomes a problem+json: 404 stays 404, timeouts 504, anything else (refused connection, 5xx,
 * malformed data) 502 saying what went wrong.
 */
@Component
public class LegacyClient {

    private static final Logger log = LoggerFactory.getLogger(LegacyClient.class);

    private final HttpClient http;
    private final GradebookProperties props;
    private final String base;
    private final CurrentTrace trace;

    public LegacyClient(GradebookProperties props) {
        this(props, CurrentTrace.NONE);
    }

    /** @param trace the legacy app's handling of each call joins the caller's trace ({@code traceparent}) */
    @Autowired
    public LegacyClient(GradebookProperties props, CurrentTrace trace) {
        this.trace = trace;
        this.props = props;
        String b = props.legacyBaseUrl().toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.http = HttpClient.newBuilder()
                .connectTimeout(props.connectTimeout())
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Fetches and parses one section. Nothing is cached here: a malformed answer throws. */
    public Gradebook fetch(long sectionId) {
        HttpResponse<byte[]> res = send(request("/api/v1/sections/" + sectionId + "/gradebook").GET().build(),
                sectionId, "read");
        if (res.statusCode() == 404) throw ApiProblem.notFound("section", sectionId);
        if (res.statusCode() / 100 != 2) throw upstreamStatus(sectionId, "read", res);
        try {
            Gradebook gb = SourceParser.parse(res.body());
            if (gb.definition().section().id() != sectionId) {
                throw new SourceFormatException("section.id", "is " + gb.definition().section().id()
                        + ", expected " + sectionId);
            }
            if (gb.definition().section().schoolId() == null) {
                // without its school no caller could be checked against it: refuse rather than guess
                throw new SourceFormatException("section.school_id", "is required");
            }
            return gb;
        } catch (SourceFormatException e) {
            log.warn("legacy app sent malformed gradebook data for section {}: {}", sectionId, e.getMessage());
            throw ApiProblem.of(HttpStatus.BAD_GATEWAY, "Bad gateway",
                            "The legacy app sent malformed gradebook data for section " + sectionId + ": " + e.getMessage())
                    .with("upstream_field", e.field());
        }
    }

    /** Writes one score through to the system of record; throws a problem for any failure. */
    public void writeScore(long sectionId, Map<String, Object> body) {
        byte[] json = SourceParser.mapper().writeValueAsBytes(body);
        HttpResponse<byte[]> res = send(request("/api/v1/sections/" + sectionId + "/scores")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json)).build(), sectionId, "write");
        int sc = res.statusCode();
        if (sc / 100 == 2) return;
        if (sc == 404) throw ApiProblem.notFound("section", sectionId);
        if (sc == 400 || sc == 422) {
            // the system of record refused the value: the client's error, with the legacy app's reason
            String detail = upstreamDetail(res);
            throw ApiProblem.of(HttpStatus.valueOf(sc), "Rejected by the legacy app",
                    "The legacy app refused the score" + (detail == null ? "" : ": " + detail));
        }
        throw upstreamStatus(sectionId, "write", res);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(props.readTimeout())
                .header("Accept", "application/json");
        if (props.legacyApiKey() != null && !props.legacyApiKey().isBlank()) {
            b.header("Authorization", "Bearer " + props.legacyApiKey());
        }
        trace.headers().forEach(b::header);
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest req, long sectionId, String what) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            log.warn("legacy app timed out ({}) for section {}: {}", what, sectionId, e.toString());
            throw ApiProblem.of(HttpStatus.GATEWAY_TIMEOUT, "Gateway timeout",
                    "The legacy app did not answer the gradebook " + what + " for section " + sectionId + " in time");
        } catch (IOException e) {
            log.warn("legacy app unreachable ({}) for section {}: {}", what, sectionId, e.toString());
            throw ApiProblem.of(HttpStatus.BAD_GATEWAY, "Bad gateway",
                    "The legacy app could not be reached for the gradebook " + what + " of section " + sectionId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.of(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted", "Shutting down");
        }
    }

    private static ApiProblem upstreamStatus(long sectionId, String what, HttpResponse<byte[]> res) {
        log.warn("legacy app answered {} to the gradebook {} of section {}", res.statusCode(), what, sectionId);
        return ApiProblem.of(HttpStatus.BAD_GATEWAY, "Bad gateway",
                "The legacy app answered HTTP " + res.statusCode() + " to the gradebook " + what + " of section " + sectionId)
                .with("upstream_status", res.statusCode());
    }

    private static String upstreamDetail(HttpResponse<byte[]> res) {
        try {
            JsonNode n = SourceParser.mapper().readTree(res.body());
            JsonNode d = n.get("detail");
            return d != null && d.isString() ? d.stringValue() : null;
        } catch (RuntimeException e) {
            String s = new String(res.body(), StandardCharsets.UTF_8);
            return s.isBlank() ? null : s.substring(0, Math.min(200, s.length()));
        }
    }
}
