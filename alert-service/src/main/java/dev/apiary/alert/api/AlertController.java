package dev.apiary.alert.api;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.apiary.alert.core.Channel;
import dev.apiary.alert.core.DeliveryStates;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.common.web.ApiProblem;

/** The alerts API (API key). */
@RestController
@RequestMapping(value = "/api/alerts/v1/alerts", produces = MediaType.APPLICATION_JSON_VALUE)
public class AlertController {
    private final AlertService service;
    private final AlertStore store;
    private final AlertViews views;
    private final AlertEvents events;

    public AlertController(AlertService service, AlertStore store, AlertViews views, AlertEvents events) {
        this.service = service;
        this.store = store;
        this.views = views;
        this.events = events;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> create(@RequestBody AlertRequest request,
            @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>(service.create(request, idempotencyKey));
        String id = (String) body.get("id");
        body.put("status_url", "/api/alerts/v1/alerts/" + id);
        body.put("page_url", service.pageUrl(id));
        return ResponseEntity.accepted().location(URI.create("/api/alerts/v1/alerts/" + id)).body(body);
    }

    @GetMapping("/{id}")
    public Map<String, Object> get(@PathVariable String id) {
        return views.summary(meta(id), true);
    }

    @GetMapping("/{id}/deliveries")
    public Map<String, Object> deliveries(@PathVariable String id,
            @RequestParam(required = false) String channel, @RequestParam(required = false) String state,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "100") int limit) {
        Map<String, String> meta = meta(id);
        if (channel != null && !channel.isBlank() && Channel.parse(channel).isEmpty()) {
            throw ApiProblem.badRequest("channel", "one of email, sms, voice");
        }
        if (state != null && !state.isBlank() && DeliveryStates.rank(state) == 3 && !DeliveryStates.isFinal(state)) {
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deliveries", page.deliveries().stream().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("channel", d.channel());
            m.put("recipient_ids", d.recipientIds());
            m.put("address", d.address());
            m.put("state", d.state());
            m.put("provider_id", d.providerId());
            m.put("reason", d.reason());
            return m;
        }).toList());
        out.put("next_cursor", page.next() == null ? null : page.next().toString());
        return out;
    }

    @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<SseEmitter> events(@PathVariable String id) {
        Map<String, String> meta = meta(id);
        return ResponseEntity.ok().header("X-Accel-Buffering", "no").body(events.open(id, meta));
    }

    @GetMapping("/{id}/not-reached")
    public Map<String, Object> notReached(@PathVariable String id, @RequestParam(defaultValue = "5000") int limit) {
        return views.unreached(id, meta(id), Math.max(1, Math.min(limit, 20000)));
    }

    @GetMapping("/{id}/page-link")
    public Map<String, Object> pageLink(@PathVariable String id) {
        meta(id);
        return Map.of("page_url", service.pageUrl(id));
    }

    @PostMapping("/{id}/cancel")
    public Map<String, Object> cancel(@PathVariable String id) {
        meta(id);
        long n = store.cancel(id);
        if (n == -2) {
            throw ApiProblem.notFound("alert", id);
        }
        if (n == -1) {
            throw ApiProblem.conflict("Alert " + id + " is already finished or canceled");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("canceled", n);
        out.put("state", "canceled");
        return out;
    }

    private Map<String, String> meta(String id) {
        if (!id.matches("al[0-9a-f]{22}")) {
            throw ApiProblem.notFound("alert", id);
        }
        Map<String, String> meta = store.meta(id);
        if (meta.isEmpty()) {
            throw ApiProblem.notFound("alert", id);
        }
        return meta;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

}
