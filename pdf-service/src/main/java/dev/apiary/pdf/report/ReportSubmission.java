package dev.apiary.pdf.report;

import dev.apiary.common.faults.FaultInjection;
import dev.apiary.common.idempotency.IdempotencyKeys;
import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.tenancy.Owner;
import dev.apiary.common.web.ApiProblem;
import dev.apiary.pdf.callback.CallbackSender;
import dev.apiary.pdf.config.PdfProperties;
import dev.apiary.pdf.request.InvalidInputException;
import dev.apiary.pdf.request.ParsedRequest;
import dev.apiary.pdf.request.RequestReader;
import dev.apiary.pdf.render.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Submitting a report: the body is validated while it streams to the job directory, the caller must act for its
 * {@code school_id} (else 403), the {@code Idempotency-Key} (scoped by client and school) is reserved, the report
 * created, the key made permanent, and the first parts queued.
 * <p>
 * Until the status exists a failure leaves nothing behind (files deleted, key released). Once it exists the key
 * stands for it for the whole retention and is never released: a crash or error while queuing its parts is
 * mended by the {@link DispatchSweeper}, and the client's retry answers the same report.
 */
@Service
public class ReportSubmission {
    private static final Logger log = LoggerFactory.getLogger(ReportSubmission.class);

    private final JobStatusStore store;
    private final RequestReader reader;
    private final Templates templates;
    private final RenderWorker worker;
    private final DispatchSweeper dispatch;
    private final CallbackSender callbacks;
    private final IdempotencyKeys idempotency;
    private final ReportService reports;
    private final ReportHistory history;
    private final FaultInjection faults;
    private final PdfProperties props;
    private final Path data;
    private final ReportMetrics metrics;

    public ReportSubmission(JobStatusStore store, RequestReader reader, Templates templates, RenderWorker worker,
                            DispatchSweeper dispatch, CallbackSender callbacks, IdempotencyKeys idempotency,
                            ReportService reports, ReportHistory history, FaultInjection faults, PdfProperties props,
                            ReportMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.reader = reader;
        this.templates = templates;
        this.worker = worker;
        this.dispatch = dispatch;
        this.callbacks = callbacks;
        this.idempotency = idempotency;
        this.reports = reports;
        this.history = history;
        this.faults = faults;
        this.props = props;
        this.data = props.dataPath();
    }

    public record Submitted(ReportView view, boolean replayed) {
    }

    /** Validates and stores the body (streamed, never held in memory), creates the report and queues it. */
    public Submitted submit(InputStream body, String idempotencyKey) throws IOException {
        String key = IdempotencyKeys.validate(idempotencyKey);
        String id = ReportIds.next();
        Path jobDir = ReportKeys.jobDir(data, id);
        ParsedRequest req;
        Owner owner;
        try {
            req = reader.read(body, ReportKeys.inputDir(data, id));
            owner = Owner.forNew(req.schoolId());
            if (req.callbackUrl() != null) {
                callbacks.check(req.callbackUrl()).ifPresent(why -> {
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

        IdempotencyKeys.Reservation reservation = null;
        if (key != null) {
            IdempotencyKeys.Claim claim;
            try {
                claim = idempotency.claim(owner.client(), owner.schoolId(), key, req.sha256());
            } catch (RuntimeException e) {
                JobFiles.deleteTree(jobDir);   // 409 (in flight), 422 (another body) or Redis down
                throw e;
            }
            if (claim instanceof IdempotencyKeys.Replay replay) {
                JobFiles.deleteTree(jobDir);
                return new Submitted(reports.view(replay.resourceId()), true);
            }
            reservation = ((IdempotencyKeys.Fresh) claim).reservation();
            faults.afterReservation(id);
        }

        int units = templates.find(req.template()).orElseThrow().chunkable() ? req.chunks() : 1;
        int window = props.effectiveChunksInFlight();
        try {
            dispatch.markPending(id);
            if (!store.create(ReportKeys.status(id), ReportStates.MODEL, fields(req, owner, units, window),
                    props.retention())) {
                throw new IllegalStateException("report id " + id + " exists already");
            }
        } catch (RuntimeException e) {
            // nothing exists (e.g. Redis down: 503): free the key and the files
            undoBeforeCreation(id, reservation);
            JobFiles.deleteTree(jobDir);
            throw e;
        }
        // the report exists: from here on the key stands for it and is never released
        if (reservation != null && !reservation.commit(id, props.retention())) {
            log.warn("report {}: its idempotency reservation had expired before the report existed", id);
        }
        history.record(owner.schoolId(), id);
        metrics.created();
        worker.start(id, owner.schoolId(), units, window, queued -> faults.afterQueued(id, queued));
        dispatch.markDispatched(id);
        log.info("report {} queued: school {}, template {}, {} students in {} parts ({} bytes)", id, req.schoolId(),
                req.template(), req.students(), units, req.bytes());
        return new Submitted(reports.view(id), false);
    }

    private static Map<String, String> fields(ParsedRequest req, Owner owner, int units, int window) {
        Map<String, String> fields = new LinkedHashMap<>(owner.fields());
        fields.put("template", req.template());
        fields.put("page_size", req.paper().name());
        fields.put("students_total", Integer.toString(req.students()));
        fields.put("chunks", Integer.toString(req.chunks()));
        fields.put("units", Integer.toString(units));
        fields.put("window", Integer.toString(window));
        if (req.callbackUrl() != null) {
            fields.put("callback_url", req.callbackUrl());
        }
        return fields;
    }

    private void undoBeforeCreation(String id, IdempotencyKeys.Reservation reservation) {
        try {
            if (reservation != null) {
                reservation.release();
            }
            dispatch.markDispatched(id);
        } catch (RuntimeException ignored) {
            // Redis unreachable: the reservation expires by itself, the sweeper drops the index entry
        }
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
}
