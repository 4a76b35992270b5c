package dev.apiary.pdf.report;

import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.pdf.callback.CallbackSource;
import dev.apiary.pdf.request.RequestReader;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Optional;

/** A report callback says what {@code GET /reports/{id}} says, as of the moment it is sent. */
@Component
class ReportCallbacks implements CallbackSource {
    private final JobStatusStore store;

    ReportCallbacks(JobStatusStore store) {
        this.store = store;
    }

    @Override
    public Optional<Payload> payload(String reportId) {
        Map<String, String> status = store.get(ReportKeys.status(reportId));
        if (status.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Payload(status.get("state"),
                RequestReader.JSON.writeValueAsString(ReportView.of(reportId, status))));
    }
}
