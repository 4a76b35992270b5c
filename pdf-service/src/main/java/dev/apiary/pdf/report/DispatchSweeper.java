package dev.apiary.pdf.report;

import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.queue.PendingIndex;
import dev.apiary.pdf.config.PdfProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.apiary.common.tenancy.Owner;
import java.time.Instant;
import java.util.Map;

/**
 * Finishes dispatches that a crash or an error cut short: a report whose status was written but whose first parts
 * were not all queued would stay {@code queued} forever. A submission marks the report in a small index
 * ({@link ReportKeys#DISPATCH_INDEX}, a sorted set scored by time) before it creates the status and unmarks it once
 * its first parts are queued, so the index holds only unconfirmed dispatches and the sweep is cheap. An entry older
 * than {@code dispatch-grace} is dispatched again while its report has not ended (it may be {@code rendering} with
 * one of its first parts never queued); a part queued twice is rendered once (the per-part owner token in
 * {@link RenderWorker}).
 * <p>
 * Cluster safe: every command touches one key (the index, or one report's status); which instance takes an entry is
 * common's {@link PendingIndex}.
 */
@Component
public class DispatchSweeper {
    private static final Logger log = LoggerFactory.getLogger(DispatchSweeper.class);

    private final PendingIndex index;
    private final JobStatusStore store;
    private final RenderWorker worker;
    private final PdfProperties props;
    private final Counter redispatched;

    public DispatchSweeper(StringRedisTemplate redis, JobStatusStore store, RenderWorker worker, PdfProperties props,
                           MeterRegistry meters) {
        this.index = new PendingIndex(redis, ReportKeys.DISPATCH_INDEX);
        this.store = store;
        this.worker = worker;
        this.props = props;
        this.redispatched = Counter.builder("apiary.pdf.reports.redispatched")
                .description("Reports whose first dispatch was cut short and the sweeper finished").register(meters);
    }

    /** Before the status is created: the dispatch of {@code id} is not confirmed yet. */
    public void markPending(String id) {
        index.markPending(id);
    }

    /** The first parts of {@code id} are queued (or it will never need them). */
    public void markDispatched(String id) {
        index.markDone(id);
    }

    @Scheduled(initialDelayString = "${apiary.pdf.dispatch-sweep-interval:30s}",
            fixedDelayString = "${apiary.pdf.dispatch-sweep-interval:30s}")
    public void sweepScheduled() {
        try {
            sweep(Instant.now());
        } catch (RuntimeException e) {
            log.warn("dispatch sweep failed: {}", e.toString());
        }
    }

    /** Dispatches again the reports whose dispatch has been unconfirmed longer than the grace; answers how many. */
    public int sweep(Instant now) {
        return index.sweep(now, props.dispatchGrace(), this::redispatch);
    }

    /** No status (never created, deleted, expired) or ended: nothing to dispatch. */
    private boolean redispatch(String id) {
        Map<String, String> h = store.get(ReportKeys.status(id));
        if (h.isEmpty() || JobStatusStore.isFinal(h)) {
            return false;
        }
        worker.start(id, h.get(Owner.SCHOOL_ID), Integer.parseInt(h.get("units")), Integer.parseInt(h.getOrDefault(
                "window", Integer.toString(props.effectiveChunksInFlight()))));
        redispatched.increment();
        log.warn("report {} ({}): its first dispatch was cut short; its first parts are queued again", id,
                h.get("state"));
        return true;
    }
}
