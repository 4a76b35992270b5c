package dev.apiary.pdf.report;

import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.pdf.callback.ReportStatusSource;
import dev.apiary.pdf.request.RequestReader;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Optional;

/** What a report's callback sends: the same status JSON as {@code GET /reports/{id}}. */
@Component
class ReportCallbackStatus implements ReportStatusSource {
    private final JobStatusStore store;

    ReportCallbackStatus(JobStatusStore store) {
        this.store = store;
    }

    @Override
    public Optional<Status> find(String reportId) {
        Map<String, String> status = store.get(ReportKeys.status(reportId));
        if (status.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Status(status.get("state"),
                RequestReader.JSON.writeValueAsString(ReportView.of(reportId, status))));
    }
}
