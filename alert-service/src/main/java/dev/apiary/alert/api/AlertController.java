package dev.apiary.alert.api;

import java.net.URI;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.apiary.alert.core.Channel;
import dev.apiary.alert.core.DeliveryStates;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.common.web.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The alerts API (API key). Another school's alert answers 404 everywhere, exactly as an unknown id. */
@RestController
@RequestMapping(value = "/api/alerts/v1/alerts", produces = MediaType.APPLICATION_JSON_VALUE)
public class AlertController {
    private final AlertService service;
    private final AlertStore store;
    private final AlertViews views;
    private final AlertProgress progress;
    private final AlertHistory history;

    public AlertController(AlertService service, AlertStore store, AlertViews views, AlertProgress progress,
                           AlertHistory history) {
        this.service = service;
        this.store = store;
        this.views = views;
        this.progress = progress;
        this.history = history;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<AlertAnswers.Created> create(@RequestBody AlertRequest request,
            @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey) {
        AlertService.Result r = service.create(request, idempotencyKey);
        return ResponseEntity.accepted().location(URI.create(r.created().statusUrl()))
                .header("Idempotent-Replayed", Boolean.toString(r.replayed())).body(r.created());
    }

    /** A school's alerts, newest first: {@code ?school_id=&state=&since=&cursor=&limit=}. */
    @GetMapping
    public AlertAnswers.AlertList list(@RequestParam(name = "school_id", required = false) String schoolId,
                                       @RequestParam(required = false) String state,
                                       @RequestParam(required = false) String since,
                                       @RequestParam(required = false) String cursor,
                                       @RequestParam(required = false) String limit) {
        return history.list(schoolId, state, since, cursor, limit);
    }

    @GetMapping("/{id}")
    public AlertAnswers.Summary get(@PathVariable String id) {
        return views.summary(service.meta(id), true);
    }

    @GetMapping("/{id}/deliveries")
    public AlertAnswers.DeliveriesPage deliveries(@PathVariable String id,
            @RequestParam(required = false) String channel, @RequestParam(required = false) String state,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "100") int limit) {
        Map<String, String> meta = service.meta(id);
        if (channel != null && !channel.isBlank() && Channel.parse(channel).isEmpty()) {
            throw ApiProblem.badRequest("channel", "one of email, sms, voice");
        }
        if (state != null && !state.isBlank() && DeliveryStates.rank(state) < 0) {
            throw ApiProblem.badRequest("state", "unknown state");
        }
        if (limit < 1 || limit > 1000) {
            throw ApiProblem.badRequest("limit", "between 1 and 1000");
        }
        int from = 0;
        if (cursor != null && !cursor.isBlank()) {
            try {
                from = Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                throw ApiProblem.badRequest("cursor", "not a cursor from a previous page");
            }
            if (from < 0) {
                throw ApiProblem.badRequest("cursor", "not a cursor from a previous page");
            }
        }
        var page = store.page(id, meta, blank(channel) ? null : channel.trim().toLowerCase(),
                blank(state) ? null : state.trim(), from, limit);
        return new AlertAnswers.DeliveriesPage(page.deliveries(), page.next() == null ? null : page.next().toString());
    }

    @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public void events(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        service.meta(id);
        response.setHeader("X-Accel-Buffering", "no");
        progress.open(id, request, response);
    }

    @GetMapping("/{id}/not-reached")
    public AlertAnswers.NotReached notReached(@PathVariable String id, @RequestParam(defaultValue = "5000") int limit) {
        return views.unreached(id, service.meta(id), Math.max(1, Math.min(limit, 20000)));
    }

    @GetMapping("/{id}/page-link")
    public AlertAnswers.PageLink pageLink(@PathVariable String id) {
        service.meta(id);
        return new AlertAnswers.PageLink(service.pageUrl(id));
    }

    @PostMapping("/{id}/cancel")
    public AlertAnswers.Canceled cancel(@PathVariable String id) {
        service.meta(id);
        long n = store.cancel(id);
        if (n == -2) {
            throw ApiProblem.notFound("alert", id);
        }
        if (n == -1) {
            throw ApiProblem.conflict("Alert " + id + " is already finished or canceled");
        }
        return new AlertAnswers.Canceled(id, n, "canceled");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
