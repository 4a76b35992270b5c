package dev.apiary.pdf.report;

import dev.apiary.common.history.SchoolHistory;
import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.web.ApiProblem;
import dev.apiary.pdf.config.PdfProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A school's reports, newest first (common {@link SchoolHistory}, key {@code apiary:pdf:history:{school}}). */
@Component
public class ReportHistory {
    private static final Logger log = LoggerFactory.getLogger(ReportHistory.class);

    private final SchoolHistory history;
    private final JobStatusStore store;

    public ReportHistory(StringRedisTemplate redis, JobStatusStore store, PdfProperties props) {
        this.history = new SchoolHistory(redis, "apiary:pdf:history", props.retention());
        this.store = store;
    }

    /** A page of the list answer; {@code next_cursor} is null on the last page. */
    public record ReportList(List<ReportView> items, String nextCursor) {
    }

    /** Called once the report exists; the list is an index, so a failure here is logged, not the request's. */
    void record(String schoolId, String id) {
        try {
            history.record(schoolId, id, ReportIds.createdAt(id));
        } catch (RuntimeException e) {
            log.warn("report {}: not added to school {}'s history: {}", id, schoolId, e.toString());
        }
    }

    void forget(String schoolId, String id) {
        history.forget(schoolId, id);
    }

    public ReportList list(String schoolId, String state, String since, String cursor, String limit) {
        SchoolHistory.Query q = SchoolHistory.Query.fromRequest(schoolId, since, cursor, limit);
        if (state != null && !state.isBlank() && !ReportStates.MODEL.knows(state)) {
            throw ApiProblem.badRequest("state", "one of " + ReportStates.MODEL.states());
        }
        String wanted = state == null || state.isBlank() ? null : state;
        SchoolHistory.Page<ReportView> page = history.page(q, id -> {
            Map<String, String> h = store.get(ReportKeys.status(id));
            return h.isEmpty() ? Optional.empty() : Optional.of(ReportView.of(id, h));
        }, v -> wanted == null || wanted.equals(v.state()));
        return new ReportList(page.items(), page.nextCursor());
    }
}
