package dev.apiary.alert.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.common.history.SchoolHistory;
import dev.apiary.common.web.ApiProblem;

/** A school's alerts, newest first (common {@link SchoolHistory}, key {@code apiary:alert:history:{school}}). */
@Component
public class AlertHistory {
    private static final Logger log = LoggerFactory.getLogger(AlertHistory.class);
    /** The alert states a list may filter on. */
    static final Set<String> STATES = Set.of("sending", "done", "canceled");

    private final SchoolHistory history;
    private final AlertStore store;
    private final AlertViews views;

    public AlertHistory(StringRedisTemplate redis, AlertStore store, AlertViews views, AlertProperties props) {
        this.history = new SchoolHistory(redis, "apiary:alert:history", props.retention());
        this.store = store;
        this.views = views;
    }

    /** Called once the alert exists (and again by the sweeper); an index, so a failure is logged, not thrown. */
    void record(String schoolId, String id, long createdAtMs) {
        try {
            history.record(schoolId, id, Instant.ofEpochMilli(createdAtMs));
        } catch (RuntimeException e) {
            log.warn("alert {}: not added to school {}'s history: {}", id, schoolId, e.toString());
        }
    }

    public AlertAnswers.AlertList list(String schoolId, String state, String since, String cursor, String limit) {
        SchoolHistory.Query q = SchoolHistory.Query.fromRequest(schoolId, since, cursor, limit);
        if (state != null && !state.isBlank() && !STATES.contains(state)) {
            throw ApiProblem.badRequest("state", "one of " + STATES);
        }
        String wanted = state == null || state.isBlank() ? null : state;
        SchoolHistory.Page<AlertAnswers.Summary> page = history.page(q, id -> {
            Map<String, String> meta = store.meta(id);
            return meta.isEmpty() ? Optional.empty() : Optional.of(views.summary(meta, false));
        }, v -> wanted == null || wanted.equals(v.state()));
        return new AlertAnswers.AlertList(List.copyOf(page.items()), page.nextCursor());
    }
}
