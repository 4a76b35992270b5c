package dev.apiary.pdf.report;

import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.tenancy.Owner;
import dev.apiary.common.tenancy.Tenancy;
import dev.apiary.common.web.ApiProblem;
import dev.apiary.pdf.callback.CallbackSender;
import dev.apiary.pdf.config.PdfProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Looking up, canceling and deleting reports. Every lookup is bounded by the school: another school's report
 * answers 404 exactly as an unknown id does (and 410 for a deleted one only to those who may see it).
 */
@Service
public class ReportService {
    private static final Logger log = LoggerFactory.getLogger(ReportService.class);

    private final JobStatusStore store;
    private final StringRedisTemplate redis;
    private final CallbackSender callbacks;
    private final ReportHistory history;
    private final PdfProperties props;
    private final Path data;
    private final ReportMetrics metrics;

    public ReportService(JobStatusStore store, StringRedisTemplate redis, CallbackSender callbacks, ReportHistory history,
                         PdfProperties props, ReportMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.redis = redis;
        this.callbacks = callbacks;
        this.history = history;
        this.props = props;
        this.data = props.dataPath();
    }

    public ReportView view(String id) {
        return ReportView.of(id, status(id));
    }

    /** The status hash; 404 when unknown or another school's, 410 when expired or deleted. */
    public Map<String, String> status(String id) {
        if (!ReportIds.valid(id)) {
            throw ApiProblem.notFound("report", id);
        }
        Map<String, String> h = store.get(ReportKeys.status(id));
        if (h.isEmpty()) {
            // past the retention every id answers 410, whoever asks, so that says nothing about whose it was
            if (ReportIds.createdAt(id).plus(props.retention()).isBefore(Instant.now())) {
                throw ApiProblem.gone("report", id);
            }
            String deletedFor = redis.opsForValue().get(ReportKeys.gone(id));
            if (deletedFor != null && Tenancy.visible(deletedFor)) {
                throw ApiProblem.gone("report", id);
            }
            throw ApiProblem.notFound("report", id);
        }
        Tenancy.requireVisible(h.get(Owner.SCHOOL_ID), "report", id);
        return h;
    }

    public record FileAnswer(Path path, String relativePath, String filename) {
    }

    public FileAnswer file(String id) {
        Map<String, String> h = status(id);
        String state = h.get("state");
        if (!ReportStates.DONE.equals(state)) {
            throw ApiProblem.conflict("Report " + id + " is " + state + "; the file exists once it is done")
                    .with("state", state);
        }
        Path file = ReportKeys.file(data, id);
        if (!Files.exists(file)) {
            throw ApiProblem.gone("report file", id);
        }
        String kind = "report_card".equals(h.get("template")) ? "report-cards" : h.get("template").replace('_', '-');
        return new FileAnswer(file, ReportKeys.relativeFile(id), kind + "-" + h.get(Owner.SCHOOL_ID) + "-" + id + ".pdf");
    }

    /** Cancels a queued or running report (answers its view) or deletes a finished one (answers null). */
    public ReportView cancelOrDelete(String id) {
        Map<String, String> h = status(id);
        String key = ReportKeys.status(id);
        if (!JobStatusStore.isFinal(h)) {
            redis.opsForValue().set(ReportKeys.cancel(id), "1", props.retention());
            if (store.transition(key, ReportStates.CANCELED, Map.of("finished_at", Instant.now().toString()))) {
                JobFiles.deleteTree(ReportKeys.jobDir(data, id));
                log.info("report {} canceled", id);
                metrics.finished(ReportStates.CANCELED);
                callbacks.schedule(id, h.get(Owner.SCHOOL_ID), h.get("callback_url"));
                return view(id);
            }
            h = status(id);
            if (!JobStatusStore.isFinal(h)) {
                return view(id);
            }
        }
        // the marker keeps the school, so only those who could see the report learn that it was deleted
        redis.opsForValue().set(ReportKeys.gone(id), h.get(Owner.SCHOOL_ID), props.retention());
        store.delete(key);
        redis.delete(ReportKeys.doneParts(id));
        history.forget(h.get(Owner.SCHOOL_ID), id);
        JobFiles.deleteTree(ReportKeys.jobDir(data, id));
        log.info("report {} deleted", id);
        return null;
    }
}
