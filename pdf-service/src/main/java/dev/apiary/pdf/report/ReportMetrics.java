package dev.apiary.pdf.report;

import java.util.List;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Reports by state, as counters of this instance: {@code apiary_pdf_reports_accepted_total} and
 * {@code apiary_pdf_reports_finished_total{state=done|failed|canceled}} (all registered at start, so rates start
 * at 0). Pages and part render time are {@link RenderWorker}'s. Not "created": Prometheus reserves the
 * {@code _created} suffix and its client drops it from the name.
 */
@Component
public class ReportMetrics {

    private final Counter created;
    private final MeterRegistry registry;

    public ReportMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.created = Counter.builder("apiary.pdf.reports.accepted").description("Reports accepted")
                .register(registry);
        for (String state : List.of(ReportStates.DONE, ReportStates.FAILED, ReportStates.CANCELED)) {
            finishedCounter(state);
        }
    }

    void created() {
        created.increment();
    }

    void finished(String state) {
        finishedCounter(state).increment();
    }

    private Counter finishedCounter(String state) {
        return Counter.builder("apiary.pdf.reports.finished").tag("state", state)
                .description("Reports that reached a final state").register(registry);
    }
}
