package dev.apiary.common.queue;

import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

import dev.apiary.common.metrics.RedisUpGauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer meters of every declared queue, tagged with the stream name only (a bounded set; never an entry or job
 * id). Prometheus names: {@code apiary_queue_depth}, {@code apiary_queue_pending},
 * {@code apiary_queue_oldest_pending_age_seconds}, {@code apiary_queue_retries_scheduled},
 * {@code apiary_queue_dead_letters} (gauges of the stream, the same from every instance), {@code
 * apiary_queue_lease_seconds} (the setting, for alert rules);
 * {@code apiary_queue_retries_total}, {@code apiary_queue_dead_lettered_total} and {@code apiary_queue_handler_seconds}
 * (this instance's counts and handler time). The gauges read Redis in one round trip per queue, at most once a second
 * however many are scraped; while Redis is unreachable they are NaN.
 */
public final class QueueMetrics {

    static final String STREAM_TAG = "stream";
    private static final Logger log = LoggerFactory.getLogger(QueueMetrics.class);
    private static final long REFRESH_NANOS = Duration.ofSeconds(1).toNanos();

    private final MeterRegistry registry;
    private final RedisUpGauge redis;

    public QueueMetrics(MeterRegistry registry) {
        this(registry, null);
    }

    /** @param redis shared knowledge that Redis is down (the gauges then skip it for a while); null for none */
    public QueueMetrics(MeterRegistry registry, RedisUpGauge redis) {
        this.registry = registry;
        this.redis = redis;
    }

    /** The counters and the handler timer of one queue, as the observer its queue reports to. */
    QueueObserver observer(QueueSettings settings) {
        Tag stream = Tag.of(STREAM_TAG, settings.stream());
        Timer handler = Timer.builder("apiary.queue.handler").tags(List.of(stream))
                .description("Time the handler took per entry, whatever the outcome").register(registry);
        Counter retries = Counter.builder("apiary.queue.retries").tags(List.of(stream))
                .description("Failed entries scheduled for another attempt").register(registry);
        Counter dead = Counter.builder("apiary.queue.dead.lettered").tags(List.of(stream))
                .description("Entries moved to the dead-letter stream").register(registry);
        return new QueueObserver() {
            @Override
            public void handled(Duration took) {
                handler.record(took);
            }

            @Override
            public void retried() {
                retries.increment();
            }

            @Override
            public void deadLettered() {
                dead.increment();
            }
        };
    }

    /** The gauges of a queue's stream. */
    void gauges(WorkQueue queue) {
        StatsCache cache = new StatsCache(queue, redis);
        String stream = queue.settings().stream();
        gauge("apiary.queue.depth", stream, cache, s -> s.depth(), null,
                "Entries in the stream: waiting or being handled");
        gauge("apiary.queue.pending", stream, cache, s -> s.pending(), null,
                "Entries delivered to a consumer and not yet acknowledged");
        gauge("apiary.queue.oldest.pending.age", stream, cache,
                s -> s.oldestPendingAge() == null ? 0 : s.oldestPendingAge().toMillis() / 1000.0, "seconds",
                "Time since the oldest pending entry was added to the stream (0 when none is pending)");
        gauge("apiary.queue.retries.scheduled", stream, cache, s -> s.retriesScheduled(), null,
                "Failed entries waiting for their next attempt");
        gauge("apiary.queue.dead.letters", stream, cache, s -> s.deadLetters(), null,
                "Entries in the dead-letter stream");
        double lease = queue.settings().lease().toMillis() / 1000.0;
        Gauge.builder("apiary.queue.lease", () -> lease).tag(STREAM_TAG, stream).baseUnit("seconds")
                .description("The queue's lease: a pending entry idle this long is taken over").register(registry);
    }

    private void gauge(String name, String stream, StatsCache cache, ToDoubleFunction<QueueStats> value, String unit,
                       String description) {
        Gauge.builder(name, cache, c -> {
                    QueueStats s = c.get();
                    return s == null ? Double.NaN : value.applyAsDouble(s);
                })
                .tag(STREAM_TAG, stream).baseUnit(unit).description(description).strongReference(true)
                .register(registry);
    }

    /** The stats of one queue, read at most once a second (a scrape reads five gauges per queue). */
    private static final class StatsCache {
        private final WorkQueue queue;
        private final RedisUpGauge redis;
        private long readAt;
        private boolean read;
        private QueueStats last;

        StatsCache(WorkQueue queue, RedisUpGauge redis) {
            this.queue = queue;
            this.redis = redis;
        }

        synchronized QueueStats get() {
            if (read && System.nanoTime() - readAt < REFRESH_NANOS) return last;
            try {
                last = redis != null && redis.recentlyDown() ? null : queue.stats();
            } catch (RuntimeException e) {
                last = null;
                if (redis != null) redis.failed();
                log.debug("queue {}: stats unavailable: {}", queue.settings().stream(), e.toString());
            }
            read = true;
            readAt = System.nanoTime(); // after the call: an outage's timeout is paid once per second, not per gauge
            return last;
        }
    }
}
