package dev.apiary.alert.page;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.apiary.alert.api.AlertAnswers;
import dev.apiary.alert.api.AlertProgress;
import dev.apiary.alert.api.AlertService;
import dev.apiary.alert.api.AlertViews;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.common.web.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The live progress page for the school office: {@code /alerts/{id}?t=<view token>}. No API key: the page URL
 * carries a short-lived HMAC-signed token for this one alert (minted in the POST answer or by
 * {@code GET /api/alerts/v1/alerts/{id}/page-link}); the page's SSE stream and not-reached list check it.
 */
@RestController
@RequestMapping("/alerts/{id}")
public class PageController {
    private final AlertService service;
    private final AlertStore store;
    private final AlertViews views;
    private final AlertProgress progress;
    private final String html;

    public PageController(AlertService service, AlertStore store, AlertViews views, AlertProgress progress)
            throws IOException {
        this.service = service;
        this.store = store;
        this.views = views;
        this.progress = progress;
        try (InputStream in = getClass().getResourceAsStream("/page/alert-progress.html")) {
            this.html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @GetMapping(produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> page(@PathVariable String id, @RequestParam(value = "t", required = false) String t) {
        if (!allowed(id, t)) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.TEXT_HTML)
                    .body("<!doctype html><title>Link expired</title><p>This progress link is invalid or has expired."
                            + " Open the alert again from the school app.</p>");
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML)
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; "
                        + "style-src 'unsafe-inline'; connect-src 'self'")
                .body(html.replace("{{ALERT_ID}}", id));
    }

    @GetMapping(value = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public void events(@PathVariable String id, @RequestParam(value = "t", required = false) String t,
                       HttpServletRequest request, HttpServletResponse response) {
        meta(id, t);   // 403 for a bad token, 404 when the alert is gone
        response.setHeader("X-Accel-Buffering", "no");
        progress.open(id, request, response);
    }

    @GetMapping(value = "/not-reached", produces = MediaType.APPLICATION_JSON_VALUE)
    public AlertAnswers.NotReached notReached(@PathVariable String id, @RequestParam(value = "t", required = false) String t) {
        return views.unreached(id, meta(id, t), 5000);
    }

    private boolean allowed(String id, String token) {
        return id.matches("al[0-9a-f]{22}") && service.tokens().valid(token, id, Instant.now());
    }

    private Map<String, String> meta(String id, String token) {
        if (!allowed(id, token)) {
            throw ApiProblem.of(HttpStatus.FORBIDDEN, "Forbidden", "invalid or expired view token");
        }
        Map<String, String> meta = store.meta(id);
        if (meta.isEmpty()) {
            throw ApiProblem.notFound("alert", id);
        }
        return meta;
    }
}
