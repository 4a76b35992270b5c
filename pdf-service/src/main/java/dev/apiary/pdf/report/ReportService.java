package dev.apiary.pdf.report;

import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.web.ApiProblem;
import dev.apiary.pdf.callback.CallbackSender;
import dev.apiary.pdf.config.PdfProperties;
import dev.apiary.pdf.request.CountingInputStream;
import dev.apiary.pdf.request.InvalidInputException;
import dev.apiary.pdf.request.ParsedRequest;
import dev.apiary.pdf.request.RequestReader;
import dev.apiary.pdf.render.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Submitting, looking up, canceling and deleting reports. */
@Service
public class ReportService {
    private static final Logger log = LoggerFactory.getLogger(ReportService.class);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

    private final JobStatusStore store;
    private final StringRedisTemplate redis;
    private final RequestReader reader;
    private final Templates templates;
    private final RenderWorker worker;
    private final CallbackSender callbacks;
    private final PdfProperties props;
    private final Path data;

    public ReportService(JobStatusStore store, StringRedisTemplate redis, RequestReader reader, Templates templates,
                         RenderWorker worker, CallbackSender callbacks, PdfProperties props) {
        this.store = store;
        this.redis = redis;
        this.reader = reader;
        this.templates = templates;
        this.worker = worker;
        this.callbacks = callbacks;
        this.props = props;
        this.data = props.dataPath();
    }

    public record Submitted(ReportView view, boolean replayed) {
    }

    /** Validates and stores the body (streamed, never held in memory), creates the job and queues it. */
    public Submitted submit(InputStream body, String idempotencyKey) throws IOException {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiProblem.badRequest("Idempotency-Key", "1-200 visible ASCII characters");
        }
        if (idempotencyKey != null) {
            String existing = redis.opsForValue().get(ReportKeys.idempotency(idempotencyKey));
            if (existing != null) {
                CountingInputStream in = new CountingInputStream(body, props.maxBodySize().toBytes());
                in.transferTo(OutputStream.nullOutputStream());   // read for the digest only
                return replay(existing, in.sha256());
            }
        }
        String id = ReportIds.next();
        Path jobDir = ReportKeys.jobDir(data, id);
        ParsedRequest req;
        try {
            req = reader.read(body, ReportKeys.inputDir(data, id));
            if (req.callbackUrl() != null) {
                callbacks.policy().check(req.callbackUrl()).ifPresent(why -> {
                    throw new InvalidInputException("callback_url", why);
                });
            }
        } catch (InvalidInputException e) {
            JobFiles.deleteTree(jobDir);
            throw problem(e);
        } catch (IOException | RuntimeException e) {
            JobFiles.deleteTree(jobDir);
            throw e;
        }
        if (idempotencyKey != null) {
            Boolean first = redis.opsForValue().setIfAbsent(ReportKeys.idempotency(idempotencyKey),
                    id + " " + req.sha256(), props.retention());
            if (!Boolean.TRUE.equals(first)) {
                JobFiles.deleteTree(jobDir);
                return replay(redis.opsForValue().get(ReportKeys.idempotency(idempotencyKey)), req.sha256());
            }
        }
        int units = templates.find(req.template()).orElseThrow().chunkable() ? req.chunks() : 1;
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("template", req.template());
        fields.put("school_id", req.schoolId());
        fields.put("page_size", req.paper().name());
        fields.put("students_total", Integer.toString(req.students()));
        fields.put("chunks", Integer.toString(req.chunks()));
        fields.put("units", Integer.toString(units));
        int window = props.effectiveChunksInFlight();
        fields.put("window", Integer.toString(window));
        if (req.callbackUrl() != null) {
            fields.put("callback_url", req.callbackUrl());
        }
        try {
            store.create(ReportKeys.status(id), ReportStates.MODEL, fields, props.retention());
            worker.start(id, units, window);
        } catch (RuntimeException e) {
            // e.g. Redis down (503): leave nothing half-written behind
            try {
                store.delete(ReportKeys.status(id));
                if (idempotencyKey != null) {
                    redis.delete(ReportKeys.idempotency(idempotencyKey));
                }
            } catch (RuntimeException ignored) {
                // Redis unreachable: the status (if any) expires with the retention
            }
            JobFiles.deleteTree(jobDir);
            throw e;
        }
        log.info("report {} queued: school {}, template {}, {} students in {} parts ({} bytes)", id, req.schoolId(),
                req.template(), req.students(), units, req.bytes());
        return new Submitted(view(id), false);
    }

    private Submitted replay(String stored, String sha) {
        if (stored == null) {
            throw ApiProblem.conflict("Idempotency-Key is being used by a concurrent request; retry");
        }
        String[] parts = stored.split(" ", 2);
        if (parts.length == 2 && !parts[1].equals(sha)) {
            throw ApiProblem.of(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused",
                    "This Idempotency-Key was used with a different request body").with("field", "Idempotency-Key");
        }
        return new Submitted(view(parts[0]), true);
    }

    static ApiProblem problem(InvalidInputException e) {
        if (e.tooLarge()) {
            ApiProblem p = ApiProblem.payloadTooLarge(e.field() == null ? e.getMessage() : e.field() + ": " + e.getMessage());
            return e.field() == null ? p : p.with("field", e.field());
        }
        if (e.field() == null) {
            return ApiProblem.of(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
        }
        return ApiProblem.badRequest(e.field(), e.getMessage());
    }

    public ReportView view(String id) {
        return ReportView.of(id, status(id));
    }

    /** The status hash; 404 when unknown, 410 when expired or deleted. */
    public Map<String, String> status(String id) {
        if (!ReportIds.valid(id)) {
            throw ApiProblem.notFound("report", id);
        }
        Map<String, String> h = store.get(ReportKeys.status(id));
        if (h.isEmpty()) {
            boolean expired = ReportIds.createdAt(id).plus(props.retention()).isBefore(Instant.now());
            if (expired || Boolean.TRUE.equals(redis.hasKey(ReportKeys.gone(id)))) {
                throw ApiProblem.gone("report", id);
            }
            throw ApiProblem.notFound("report", id);
        }
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
        return new FileAnswer(file, ReportKeys.relativeFile(id), kind + "-" + h.get("school_id") + "-" + id + ".pdf");
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
                callbacks.schedule(id, h.get("callback_url"));
                return view(id);
            }
            h = status(id);
            if (!JobStatusStore.isFinal(h)) {
                return view(id);
            }
        }
        redis.opsForValue().set(ReportKeys.gone(id), "1", props.retention());
        store.delete(key);
        redis.delete(ReportKeys.doneParts(id));
        JobFiles.deleteTree(ReportKeys.jobDir(data, id));
        log.info("report {} deleted", id);
        return null;
    }
}
