package dev.apiary.pdf.report;

import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.pdf.config.PdfProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.apiary.common.tenancy.Owner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finishes dispatches that a crash or an error cut short: a report whose status was written but whose first parts
 * were not all queued would stay {@code queued} forever. A submission marks the report in a small index
 * ({@link ReportKeys#DISPATCH_INDEX}, a sorted set scored by time) before it creates the status and unmarks it once
 * its first parts are queued, so the index holds only unconfirmed dispatches and the sweep is cheap. An entry older
 * than {@code dispatch-grace} is dispatched again while its report has not ended (it may be {@code rendering} with
 * one of its first parts never queued); a part queued twice is rendered once (the per-part owner token in
 * {@link RenderWorker}).
 * <p>
 * Cluster safe: every command touches one key (the index, or one report's status). Instances sweeping at once
 * take an entry by moving its score forward in a one-key script, so one of them re-dispatches it; if that one dies
 * the entry comes due again.
 */
@Component
public class DispatchSweeper {
    private static final Logger log = LoggerFactory.getLogger(DispatchSweeper.class);
    private static final int BATCH = 100;
    private static final RedisScript<Long> TAKE = RedisScript.of("""
            local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not s or tonumber(s) > tonumber(ARGV[2]) then return 0 end
            redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
            return 1
            """, Long.class);

    private final StringRedisTemplate redis;
    private final JobStatusStore store;
    private final RenderWorker worker;
    private final PdfProperties props;
    private final Counter redispatched;

    public DispatchSweeper(StringRedisTemplate redis, JobStatusStore store, RenderWorker worker, PdfProperties props,
                           MeterRegistry meters) {
        this.redis = redis;
        this.store = store;
        this.worker = worker;
        this.props = props;
        this.redispatched = Counter.builder("apiary.pdf.reports.redispatched")
                .description("Reports whose first dispatch was cut short and the sweeper finished").register(meters);
    }

    /** Before the status is created: the dispatch of {@code id} is not confirmed yet. */
    public void markPending(String id) {
        redis.opsForZSet().add(ReportKeys.DISPATCH_INDEX, id, System.currentTimeMillis());
    }

    /** The first parts of {@code id} are queued (or it will never need them). */
    public void markDispatched(String id) {
        redis.opsForZSet().remove(ReportKeys.DISPATCH_INDEX, id);
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
        long cutoff = now.minus(props.dispatchGrace()).toEpochMilli();
        Set<String> due = redis.opsForZSet().rangeByScore(ReportKeys.DISPATCH_INDEX, Double.NEGATIVE_INFINITY, cutoff,
                0, BATCH);
        int count = 0;
        for (String id : due == null ? Set.<String>of() : due) {
            Long taken = redis.execute(TAKE, List.of(ReportKeys.DISPATCH_INDEX), id, Long.toString(cutoff),
                    Long.toString(now.toEpochMilli()));
            if (taken == null || taken != 1L) {
                continue;   // another instance has it
            }
            Map<String, String> h = store.get(ReportKeys.status(id));
            if (!h.isEmpty() && !JobStatusStore.isFinal(h)) {
                worker.start(id, h.get(Owner.SCHOOL_ID), Integer.parseInt(h.get("units")), Integer.parseInt(h.getOrDefault("window",
                        Integer.toString(props.effectiveChunksInFlight()))));
                redispatched.increment();
                count++;
                log.warn("report {} ({}): its first dispatch was cut short; its first parts are queued again", id,
                        h.get("state"));
            }
            // no status (never created, deleted, expired) or ended: nothing to dispatch
            markDispatched(id);
        }
        return count;
    }
}
