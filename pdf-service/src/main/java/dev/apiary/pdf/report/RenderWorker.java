package dev.apiary.pdf.report;

import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.queue.QueueSettings;
import dev.apiary.common.queue.WorkHandler;
import dev.apiary.common.queue.WorkItem;
import dev.apiary.common.queue.WorkQueue;
import dev.apiary.common.queue.WorkQueues;
import dev.apiary.common.tracing.CurrentTrace;
import dev.apiary.pdf.callback.CallbackSender;
import dev.apiary.pdf.config.PdfProperties;
import dev.apiary.pdf.render.ChunkRenderer;
import dev.apiary.pdf.render.PaperSize;
import dev.apiary.pdf.render.PartMerger;
import dev.apiary.pdf.render.RenderCancelledException;
import dev.apiary.pdf.render.RenderListener;
import dev.apiary.pdf.render.ReportTemplate;
import dev.apiary.pdf.request.RequestReader;
import dev.apiary.pdf.render.School;
import dev.apiary.pdf.render.Student;
import dev.apiary.pdf.render.Templates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import dev.apiary.common.queue.DeadLetter;
import dev.apiary.common.tenancy.Owner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import jakarta.annotation.PreDestroy;

/**
 * Renders reports part by part from the render queue. A job of N parts has at most {@code chunks-in-flight}
 * entries in the stream at a time: each finished part queues the part {@code chunks-in-flight} further on, so
 * concurrent jobs interleave in the queue and a small job is never stuck behind a big one. The part that
 * completes the set merges the parts in order into the report file and finishes the job.
 *
 * <p>Crash safety: an entry of a killed instance is reclaimed after the lease and re-run; everything it does is
 * idempotent (part files are written to a temp name and renamed; progress is a per-part field that is reset on
 * re-render; the done-set is a Redis set; states only move forward). A successor queued twice is recognised by
 * the per-part owner token and dropped. A part whose instances keep dying on it (say an OOM kill) is given up by the
 * queue after {@code max-attempts} deaths ({@link #abandoned}) and the report fails.
 */
@Component
public class RenderWorker implements WorkHandler {
    private static final Logger log = LoggerFactory.getLogger(RenderWorker.class);
    private static final RedisScript<Long> ADD_PART = RedisScript.of("""
            redis.call('SADD', KEYS[1], ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return redis.call('SCARD', KEYS[1])
            """, Long.class);
    private static final long PROGRESS_EVERY_NANOS = Duration.ofMillis(250).toNanos();

    private final JobStatusStore store;
    private final StringRedisTemplate redis;
    private final ChunkRenderer renderer;
    private final Templates templates;
    private final PdfProperties props;
    private final CallbackSender callbacks;
    private final Path data;
    private final WorkQueue queue;
    private final ExecutorService pool;
    private final AtomicInteger active = new AtomicInteger();
    private final Counter pagesRendered;
    private final Timer partTimer;
    private final MeterRegistry meters;
    private final CurrentTrace trace;

    public RenderWorker(WorkQueues queues, JobStatusStore store, StringRedisTemplate redis, ChunkRenderer renderer,
                        Templates templates, PdfProperties props, CallbackSender callbacks, MeterRegistry meters, CurrentTrace trace) {
        this.trace = trace;
        this.store = store;
        this.redis = redis;
        this.renderer = renderer;
        this.templates = templates;
        this.props = props;
        this.callbacks = callbacks;
        this.data = props.dataPath();
        this.pagesRendered = Counter.builder("apiary.pdf.pages.rendered").description("PDF pages rendered").register(meters);
        this.partTimer = Timer.builder("apiary.pdf.part.render").description("Rendering one part of a report").register(meters);
        this.meters = meters;
        meters.gauge("apiary.pdf.parts.active", active);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(props.effectiveWorkers(), r -> {
            Thread t = new Thread(r, "pdf-render-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.queue = queues.declare(QueueSettings.of(ReportKeys.RENDER_STREAM, ReportKeys.GROUP)
                .withConcurrency(props.effectiveWorkers())
                .withLease(props.lease())
                .withMaxAttempts(props.maxAttempts())
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30)), this);
    }

    /** Parts being rendered by this instance right now. */
    public int activeRenders() {
        return active.get();
    }

    /** Queues one part of a report (the entry names its school, so a dead letter is shown to that school's admins). */
    public void enqueue(String id, String schoolId, int part) {
        queue.enqueue(Map.of("report", id, DeadLetter.SCHOOL_ID, schoolId, "part", Integer.toString(part),
                "token", UUID.randomUUID().toString()));
    }

    /** Queues the first {@code window} parts of a report (again: a part queued twice is rendered once). */
    public void start(String id, String schoolId, int units, int window) {
        start(id, schoolId, units, window, queued -> {
        });
    }

    /** As {@link #start(String, String, int, int)}, telling {@code afterEach} how many parts are queued so far. */
    public void start(String id, String schoolId, int units, int window, IntConsumer afterEach) {
        for (int p = 0; p < Math.min(units, window); p++) {
            enqueue(id, schoolId, p);
            afterEach.accept(p + 1);
        }
    }

    /**
     * Queue handlers run on virtual threads; rendering is CPU-bound and would hold their few carrier threads
     * (starving Redis replies, HTTP and SSE on the same carriers), so the work runs on a platform-thread pool
     * of {@code workers} threads while the virtual thread waits.
     */
    @Override
    public void handle(WorkItem item) throws Exception {
        Future<?> f = pool.submit(trace.carry(() -> {   // the part's logs and the callback it queues join the trace
            handleOnPool(item);
            return null;
        }));
        try {
            f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    @PreDestroy
    void shutdown() {
        pool.shutdownNow();
    }

    private void handleOnPool(WorkItem item) throws Exception {
        String id = item.field("report");
        int part = Integer.parseInt(item.field("part"));
        String key = ReportKeys.status(id);
        Map<String, String> h = store.get(key);
        if (ended(id, h)) {
            return;
        }
        Boolean mine = redis.opsForValue().setIfAbsent(ReportKeys.partOwner(id, part), item.field("token"), props.retention());
        if (!Boolean.TRUE.equals(mine) && !item.field("token").equals(redis.opsForValue().get(ReportKeys.partOwner(id, part)))) {
            log.debug("report {} part {}: duplicate entry {} dropped", id, part, item.id());
            return;
        }
        store.transition(key, ReportStates.RENDERING, Map.of("started_at", Instant.now().toString()));
        int units = Integer.parseInt(h.get("units"));
        Path partFile = ReportKeys.part(data, id, part);
        try {
            if (!(Files.exists(partFile) && h.containsKey("pages:" + part))) {
                active.incrementAndGet();
                try {
                    renderPart(id, part, h, partFile);
                } finally {
                    active.decrementAndGet();
                }
            }
            if (canceled(id)) {
                JobFiles.deleteTree(ReportKeys.jobDir(data, id));
                return;
            }
            // the window is fixed per job at submit time: instances with other settings chain the same parts
            int next = part + Integer.parseInt(h.getOrDefault("window", Integer.toString(props.effectiveChunksInFlight())));
            if (next < units) {
                enqueue(id, h.get(Owner.SCHOOL_ID), next);
            }
            Long done = redis.execute(ADD_PART, List.of(ReportKeys.doneParts(id)), Integer.toString(part),
                    Long.toString(props.retention().toMillis()));
            if (done != null && done == units) {
                finish(id, units);
            }
        } catch (RenderCancelledException e) {
            if (!canceled(id)) {
                // interrupted by a shutdown: leave the entry pending; the queue hands it to another instance
                throw new InterruptedException("shutdown");
            }
            log.info("report {} part {}: canceled, stopped", id, part);
            JobFiles.deleteTree(ReportKeys.jobDir(data, id));
        } catch (Exception e) {
            if (canceled(id)) {
                JobFiles.deleteTree(ReportKeys.jobDir(data, id));
                return;
            }
            if (item.attempt() >= props.maxAttempts()) {
                fail(id, e);
            }
            throw e;
        }
    }

    private void renderPart(String id, int part, Map<String, String> h, Path partFile) throws Exception {
        String key = ReportKeys.status(id);
        ReportTemplate template = templates.find(h.get("template"))
                .orElseThrow(() -> new IllegalStateException("unknown template " + h.get("template")));
        Path input = ReportKeys.inputDir(data, id);
        School school = RequestReader.JSON.readValue(RequestReader.schoolFile(input).toFile(), School.class);
        Path logoFile = RequestReader.logoFile(input);
        byte[] logo = Files.exists(logoFile) ? Files.readAllBytes(logoFile) : null;
        PaperSize paper = PaperSize.parse(h.get("page_size")).orElse(PaperSize.A4);
        int chunks = Integer.parseInt(h.get("chunks"));
        Iterator<Student> students = template.chunkable()
                ? RequestReader.students(input, part, part + 1)
                : RequestReader.students(input, 0, chunks);
        String doneField = "done:" + part;
        store.update(key, Map.of(doneField, "0"));
        long t0 = System.nanoTime();
        long[] last = {t0};
        RenderListener listener = done -> {
            long now = System.nanoTime();
            if (now - last[0] >= PROGRESS_EVERY_NANOS) {
                last[0] = now;
                if (Thread.currentThread().isInterrupted() || canceled(id)) {
                    throw new RenderCancelledException();
                }
                store.update(key, Map.of(doneField, Integer.toString(done)));
            }
        };
        ChunkRenderer.Result r = renderer.render(new ChunkRenderer.Job(template, school, logo, paper,
                title(template, school)), students, partFile, listener);
        store.update(key, Map.of(doneField, Integer.toString(r.students()),
                "pages:" + part, Integer.toString(r.pages()),
                "warn:" + part, RequestReader.JSON.writeValueAsString(r.warnings()),
                "warn_total:" + part, Long.toString(r.warningsTotal())));
        pagesRendered.increment(r.pages());
        partTimer.record(Duration.ofNanos(System.nanoTime() - t0));
        log.info("report {} part {}: {} students, {} pages in {} ms", id, part, r.students(), r.pages(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private void finish(String id, int units) throws Exception {
        String key = ReportKeys.status(id);
        Map<String, String> h = store.get(key);
        if (h.isEmpty() || JobStatusStore.isFinal(h)) {
            return;
        }
        Path out = ReportKeys.file(data, id);
        long t0 = System.nanoTime();
        if (!Files.exists(out)) {
            List<Path> parts = new ArrayList<>();
            for (int p = 0; p < units; p++) {
                parts.add(ReportKeys.part(data, id, p));
            }
            PartMerger.merge(parts, out, "Group report", () -> canceled(id));
        }
        long pages = 0;
        for (int p = 0; p < units; p++) {
            pages += Long.parseLong(h.getOrDefault("pages:" + p, "0"));
        }
        boolean moved = store.transition(key, ReportStates.DONE, Map.of("finished_at", Instant.now().toString(),
                "pages", Long.toString(pages), "bytes", Long.toString(Files.size(out))));
        JobFiles.deleteWorkFiles(ReportKeys.jobDir(data, id));
        if (moved) {
            meters.counter("apiary.pdf.reports.finished", "state", ReportStates.DONE).increment();
            log.info("report {} done: {} pages, {} bytes, merged {} parts in {} ms", id, pages, Files.size(out), units,
                    (System.nanoTime() - t0) / 1_000_000);
            callbacks.schedule(id, h.get(Owner.SCHOOL_ID), h.get("callback_url"));
        }
    }

    /**
     * The queue gave up on a part without running it, since the instances rendering it kept dying: the report
     * cannot complete, so it fails now rather than stay {@code rendering} until it expires.
     */
    @Override
    public void abandoned(WorkItem item, String reason) {
        String id = item.field("report");
        String part = item.field("part");
        if (id == null || part == null) {
            return;
        }
        String owner = redis.opsForValue().get(ReportKeys.partOwner(id, Integer.parseInt(part)));
        if (owner != null && !owner.equals(item.field("token"))) {
            return;   // a duplicate of a part another entry renders
        }
        if (!ended(id, store.get(ReportKeys.status(id)))) {
            fail(id, "part " + part + " " + reason);
        }
    }

    /** Deleted, expired, finished or canceled (then also the files a late part left are deleted). */
    private boolean ended(String id, Map<String, String> h) {
        if (h.isEmpty() || JobStatusStore.isFinal(h) || canceled(id)) {
            if (ReportStates.CANCELED.equals(h.get("state"))) {
                JobFiles.deleteTree(ReportKeys.jobDir(data, id));   // a part finished during the cancel
            }
            return true;
        }
        return false;
    }

    private void fail(String id, Exception e) {
        fail(id, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    private void fail(String id, String error) {
        String key = ReportKeys.status(id);
        String msg = error.length() > 300 ? error.substring(0, 300) : error;
        boolean moved = store.transition(key, ReportStates.FAILED, Map.of("finished_at", Instant.now().toString(),
                "error", msg));
        JobFiles.deleteTree(ReportKeys.jobDir(data, id));
        log.error("report {} failed: {}", id, msg);
        meters.counter("apiary.pdf.reports.finished", "state", ReportStates.FAILED).increment();
        if (moved) {
            Map<String, String> status = store.get(key);
            callbacks.schedule(id, status.get(Owner.SCHOOL_ID), status.get("callback_url"));
        }
    }

    private boolean canceled(String id) {
        return Boolean.TRUE.equals(redis.hasKey(ReportKeys.cancel(id)));
    }

    private static String title(ReportTemplate t, School s) {
        String what = t.name().equals("report_card") ? "Report cards" : "Class summary";
        return what + (s.term() == null ? "" : " - " + s.term());
    }
}
