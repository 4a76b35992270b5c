package dev.apiary.common.queue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * A work queue on a Redis stream with a consumer group. Entries are read with XREADGROUP (blocking),
 * handled on virtual threads (at most {@code concurrency} at once), acknowledged and deleted on success.
 * Failures go to a retry sorted set scored by due time and come back to the stream when due; after
 * {@code maxAttempts} they go to the dead-letter stream with the last error. Running entries are kept
 * claimed by a heartbeat (XCLAIM JUSTID resets their idle time); entries of a dead consumer are taken over
 * with XAUTOCLAIM once idle past the lease.
 *
 * <p>Poison entries: the stream's delivery count (XPENDING "times delivered") counts the consumers that took an
 * entry; XREADGROUP and XAUTOCLAIM add one, the heartbeat does not, and a graceful release hands the entry back
 * with the count it had before. So on a reclaim, count - 1 is how often a consumer died (crash, OOM kill) while
 * handling it. Once that reaches {@code maxAttempts} the entry is dead-lettered without running it again, and the
 * handler is told ({@link WorkHandler#abandoned}) so the service can settle its own state.
 */
public final class WorkQueue {

    static final String ATTEMPT = "_attempt";
    private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final StringRedisTemplate redis;
    private final QueueSettings settings;
    private final WorkHandler handler;
    private final String consumer;
    private final DeadLetterLimits deadLetterLimits;
    private final QueueObserver observer;
    private final QueueTracing tracing;
    private final Semaphore permits;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean started = new AtomicBoolean();
    /** How long a read waits for new entries; a graceful stop waits for the read in progress. */
    private static final Duration READ_BLOCK = Duration.ofMillis(500);

    private volatile boolean accepting;
    private volatile boolean redisDown;
    private ExecutorService handlers;
    private Thread reader;
    private Thread maintenance;

    WorkQueue(StringRedisTemplate redis, QueueSettings settings, WorkHandler handler, String instanceName) {
        this(redis, settings, handler, instanceName, DeadLetterLimits.DEFAULTS, QueueObserver.NONE);
    }

    WorkQueue(StringRedisTemplate redis, QueueSettings settings, WorkHandler handler, String instanceName,
              DeadLetterLimits deadLetterLimits, QueueObserver observer) {
        this(redis, settings, handler, instanceName, deadLetterLimits, observer, null);
    }

    /** @param tracing carries the trace from enqueue to the handler; null for none */
    WorkQueue(StringRedisTemplate redis, QueueSettings settings, WorkHandler handler, String instanceName,
              DeadLetterLimits deadLetterLimits, QueueObserver observer, QueueTracing tracing) {
        this.tracing = tracing;
        this.redis = redis;
        this.settings = settings;
        this.handler = handler;
        this.consumer = instanceName;
        this.deadLetterLimits = deadLetterLimits;
        this.observer = observer;
        this.permits = new Semaphore(settings.concurrency());
    }

    public QueueSettings settings() {
        return settings;
    }

    public String consumerName() {
        return consumer;
    }

    /** Adds an entry; answers its stream id. */
    public String enqueue(Map<String, String> fields) {
        Map<String, String> entry = new LinkedHashMap<>(fields);
        entry.put(ATTEMPT, "1");
        if (tracing != null) tracing.inject(entry);
        var id = redis.opsForStream().add(MapRecord.create(settings.stream(), entry));
        return id == null ? null : id.getValue();
    }

    /** Entries currently in the dead-letter stream (for tools and tests). */
    public long deadLetterCount() {
        Long n = redis.opsForStream().size(settings.deadLetterKey());
        return n == null ? 0 : n;
    }

    /** The stream's numbers now, in one round trip (what the metrics show). */
    @SuppressWarnings("unchecked")
    public QueueStats stats() {
        List<Object> r = redis.execute(QueueScripts.STATS,
                List.of(settings.stream(), settings.retryKey(), settings.deadLetterKey()), settings.group());
        if (r == null || r.size() < 5) throw new IllegalStateException("unexpected queue stats answer: " + r);
        long ageMs = Long.parseLong(String.valueOf(r.get(2)));
        return new QueueStats(Long.parseLong(String.valueOf(r.get(0))), Long.parseLong(String.valueOf(r.get(1))),
                ageMs < 0 ? null : Duration.ofMillis(ageMs), Long.parseLong(String.valueOf(r.get(3))),
                Long.parseLong(String.valueOf(r.get(4))));
    }

    /** Drops dead letters beyond the length and age bounds (done on every add and periodically); answers how many. */
    public long trimDeadLetters() {
        Long n = redis.execute(QueueScripts.TRIM_DEAD, List.of(settings.deadLetterKey()),
                String.valueOf(deadLetterLimits.maxLength()), String.valueOf(deadLetterLimits.maxAge().toMillis()));
        return n == null ? 0 : n;
    }

    public boolean isRunning() {
        return accepting;
    }

    /**
     * Starts consuming; after a graceful {@link #stop} it starts again with new threads (Spring pauses and restarts
     * a context's lifecycle beans, e.g. the test context cache of Spring Framework 7 on a context switch).
     */
    public synchronized void start() {
        if (accepting) return;
        started.set(true);
        accepting = true;
        handlers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("queue-" + settings.group() + "-", 0).factory());
        reader = Thread.ofVirtual().name("queue-reader-" + settings.group()).start(this::readLoop);
        maintenance = Thread.ofVirtual().name("queue-maint-" + settings.group()).start(this::maintenanceLoop);
        log.info("queue {} started: group={} consumer={} concurrency={} lease={}",
                settings.stream(), settings.group(), consumer, settings.concurrency(), settings.lease());
    }

    /**
     * Graceful stop: take no new entries, wait up to the grace period for running handlers, then interrupt
     * the rest and release their entries (idle time set past the lease) so another instance takes them at once.
     */
    public synchronized void stop() {
        if (!started.get() || !accepting) return;
        accepting = false;
        maintenance.interrupt();
        try {
            awaitReader();
            handlers.shutdown();
            if (!handlers.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                Set<String> held = Set.copyOf(running);
                handlers.shutdownNow();
                release(held);
                log.info("queue {} stopped; released {} unfinished entries", settings.stream(), held.size());
            } else {
                log.info("queue {} stopped; all handlers finished", settings.stream());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handlers.shutdownNow();
            release(Set.copyOf(running));
        }
    }

    /**
     * Lets the reader finish the read it is in (at most its block time) instead of interrupting it: an interrupted
     * XREADGROUP or XAUTOCLAIM still hands its entries to this consumer on the server, where nobody would handle them
     * before the lease ran out.
     */
    private void awaitReader() throws InterruptedException {
        reader.join(READ_BLOCK.plusSeconds(2));
        if (reader.isAlive()) {
            reader.interrupt();   // Redis does not answer: nothing to lose by cutting the read
            reader.join(Duration.ofSeconds(1));
        }
    }

    /** Abrupt stop without releasing anything: what a crashed instance leaves behind (tests use it). */
    void kill() {
        accepting = false;
        reader.interrupt();
        maintenance.interrupt();
        handlers.shutdownNow();
    }

    private void readLoop() {
        long nextReclaim = 0;
        while (accepting) {
            int got = 0;
            try {
                if (!permits.tryAcquire(READ_BLOCK.toMillis(), TimeUnit.MILLISECONDS)) continue; // stop() is seen
                got = 1 + permits.drainPermits();
                ensureGroup();
                int used = 0;
                if (System.nanoTime() >= nextReclaim) {
                    used += reclaimAbandoned(got);
                    nextReclaim = System.nanoTime() + reclaimInterval().toNanos();
                }
                if (used < got) {
                    List<MapRecord<String, Object, Object>> records = redis.opsForStream().read(
                            Consumer.from(settings.group(), consumer),
                            StreamReadOptions.empty().count(got - used).block(READ_BLOCK),
                            StreamOffset.create(settings.stream(), ReadOffset.lastConsumed()));
                    if (records != null) {
                        for (var r : records) {
                            dispatch(r.getId().getValue(), stringMap(r.getValue()), 0);
                            used++;
                        }
                    }
                }
                redisBack();
                permits.release(got - used);
            } catch (InterruptedException e) {
                permits.release(got);
                return;
            } catch (RuntimeException e) {
                permits.release(got);
                if (!accepting) return;
                if (isNoGroup(e)) {
                    groupReady = false;
                    continue;
                }
                redisTrouble(e);
                if (!pause(Duration.ofMillis(500))) return;
            }
        }
    }

    private Duration reclaimInterval() {
        return Duration.ofMillis(Math.max(100, settings.lease().toMillis() / 4));
    }

    /**
     * Heartbeats (every lease/3), moving due retries back into the stream (every 100 ms), trimming the dead letters
     * (every {@code trimInterval}: the age bound also holds for a stream nothing is added to).
     */
    private void maintenanceLoop() {
        long beatNanos = Duration.ofMillis(Math.max(100, settings.lease().toMillis() / 3)).toNanos();
        long nextBeat = 0;
        long nextTrim = System.nanoTime();
        while (accepting) {
            try {
                if (System.nanoTime() >= nextBeat) {
                    heartbeat();
                    nextBeat = System.nanoTime() + beatNanos;
                }
                if (System.nanoTime() >= nextTrim) {
                    trimDeadLetters();
                    nextTrim = System.nanoTime() + deadLetterLimits.trimInterval().toNanos();
                }
                promoteDueRetries();
                redisBack();
            } catch (RuntimeException e) {
                if (!accepting) return;
                if (isNoGroup(e)) groupReady = false;
                else redisTrouble(e);
            }
            if (!pause(Duration.ofMillis(100))) return;
        }
    }

    private void heartbeat() {
        if (running.isEmpty()) return;
        List<String> args = new ArrayList<>(List.of(settings.group(), consumer, "0"));
        args.addAll(running);
        redis.execute(QueueScripts.CLAIM_JUSTID, List.of(settings.stream()), args.toArray());
    }

    private void release(Set<String> ids) {
        if (ids.isEmpty()) return;
        try {
            List<String> args = new ArrayList<>(List.of(settings.group(), consumer,
                    String.valueOf(settings.lease().toMillis() * 10)));
            args.addAll(ids);
            redis.execute(QueueScripts.RELEASE, List.of(settings.stream()), args.toArray());
        } catch (RuntimeException e) {
            log.warn("queue {}: could not release {} entries ({}); they are reclaimed after the lease",
                    settings.stream(), ids.size(), e.toString());
        }
    }

    private void promoteDueRetries() {
        redis.execute(QueueScripts.PROMOTE_DUE, List.of(settings.retryKey(), settings.stream()),
                String.valueOf(System.currentTimeMillis()), "100");
    }

    /**
     * Takes over up to {@code max} entries idle past the lease (their consumer died); answers how many.
     * Each one's delivery count minus this delivery is how often a consumer died while handling it.
     */
    @SuppressWarnings("unchecked")
    private int reclaimAbandoned(int max) {
        List<Object> flat = redis.execute(QueueScripts.RECLAIM, List.of(settings.stream()), settings.group(), consumer,
                String.valueOf(settings.lease().toMillis()), String.valueOf(max));
        if (flat == null) return 0;
        int used = 0;
        for (int i = 0; i < flat.size(); ) {
            String id = String.valueOf(flat.get(i++));
            int crashes = Math.max(0, Integer.parseInt(String.valueOf(flat.get(i++))) - 1);
            int n = Integer.parseInt(String.valueOf(flat.get(i++)));
            Map<String, String> fields = new LinkedHashMap<>();
            for (int k = 0; k < n; k += 2) fields.put(String.valueOf(flat.get(i + k)), String.valueOf(flat.get(i + k + 1)));
            i += n;
            log.info("queue {}: reclaimed entry {} left by a dead consumer (consumers died on it {} time(s))",
                    settings.stream(), id, crashes);
            dispatch(id, fields, crashes);
            used++;
        }
        return used;
    }

    /**
     * Runs the handler for an entry; the caller has taken one permit for it. An entry whose consumers died on it
     * {@code maxAttempts} times is given up instead: it would likely take this instance down too. Deaths are counted
     * per stream entry and kept apart from {@code _attempt}, which counts handler exceptions and is what
     * {@link WorkItem#attempt} answers (a reclaim leaves it alone). Not summed: a death cannot be told from an
     * unrelated one that took the entry along (a deploy's kill -9, another entry's OOM), so a bystander death must
     * not eat an entry's exception retries. Each attempt (a retry is a new stream entry) may see up to
     * {@code maxAttempts} deaths: at most maxAttempts² runs in all, so a crash loop always ends.
     */
    private void dispatch(String id, Map<String, String> fields, int crashes) {
        int attempt = parseAttempt(fields.remove(ATTEMPT));
        WorkItem item = new WorkItem(id, Map.copyOf(fields), attempt, crashes);
        boolean poison = crashes >= settings.maxAttempts();
        running.add(id);
        try {
            handlers.execute(poison ? () -> abandon(item, crashes) : () -> run(item));
        } catch (RuntimeException rejected) {
            running.remove(id);
            permits.release();
            throw rejected;
        }
    }

    private void run(WorkItem item) {
        long t0 = System.nanoTime();
        try {
            try {
                if (tracing == null) handler.handle(item);
                else tracing.run(settings.stream(), item, () -> handler.handle(item));
            } finally {
                observer.handled(Duration.ofNanos(System.nanoTime() - t0));
            }
            withRedis(() -> redis.execute(QueueScripts.ACK, List.of(settings.stream()), settings.group(), item.id()));
        } catch (PermanentFailure e) {
            deadLetter(item, e);
        } catch (InterruptedException e) {
            // interrupted by a shutdown: the entry stays pending and is released by stop()
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            if (!accepting && Thread.currentThread().isInterrupted()) return;
            if (item.attempt() >= settings.maxAttempts()) deadLetter(item, e);
            else retryLater(item, e);
        } finally {
            running.remove(item.id());
            permits.release();
        }
    }

    /**
     * Dead-letters a poison entry without running it. The handler hears of it first, so a crash in between leaves
     * the entry pending and it is abandoned again (at least once, like {@code handle}).
     */
    private void abandon(WorkItem item, int crashes) {
        String reason = "abandoned: the consumer handling it died " + crashes + " times (crash or kill)";
        try {
            try {
                handler.abandoned(item, reason);
            } catch (RuntimeException e) {
                if (!accepting && Thread.currentThread().isInterrupted()) return; // released by stop(), abandoned again
                log.warn("queue {}: the handler could not settle abandoned entry {}: {}", settings.stream(), item.id(),
                        e.toString());
            }
            // the entry id only: its fields may carry personal data
            log.error("queue {}: entry {} dead-lettered without running it: the consumer handling it died {} times",
                    settings.stream(), item.id(), crashes);
            deadLetter(item, reason, List.of(DeadLetter.CRASHES, String.valueOf(crashes)));
        } finally {
            running.remove(item.id());
            permits.release();
        }
    }

    private void retryLater(WorkItem item, Throwable error) {
        int next = item.attempt() + 1;
        long due = System.currentTimeMillis() + settings.backoffBefore(next).toMillis();
        Map<String, String> fields = new LinkedHashMap<>(item.fields());
        fields.put(ATTEMPT, String.valueOf(next));
        String member = JSON.writeValueAsString(Map.of("f", fields, "n", UUID.randomUUID().toString()));
        log.warn("queue {}: entry {} failed (attempt {} of {}), retry in {} ms: {}", settings.stream(), item.id(),
                item.attempt(), settings.maxAttempts(), due - System.currentTimeMillis(), error.toString());
        if (withRedis(() -> redis.execute(QueueScripts.RETRY_LATER, List.of(settings.stream(), settings.retryKey()),
                settings.group(), item.id(), String.valueOf(due), member))) {
            observer.retried();
        }
    }

    private void deadLetter(WorkItem item, Throwable error) {
        log.error("queue {}: entry {} dead-lettered after {} attempt(s): {}", settings.stream(), item.id(),
                item.attempt(), error.toString());
        deadLetter(item, error.getMessage() == null ? error.toString() : error.getMessage(), List.of());
    }

    private void deadLetter(WorkItem item, String error, List<String> extra) {
        List<String> args = new ArrayList<>(List.of(settings.group(), item.id(),
                String.valueOf(deadLetterLimits.maxLength()), String.valueOf(deadLetterLimits.maxAge().toMillis())));
        item.fields().forEach((k, v) -> { args.add(k); args.add(v); });
        args.addAll(List.of(DeadLetter.ERROR, error, DeadLetter.ATTEMPTS, String.valueOf(item.attempt()),
                DeadLetter.SOURCE_ID, item.id(), DeadLetter.FAILED_AT, java.time.Instant.now().toString()));
        args.addAll(extra);
        if (withRedis(() -> redis.execute(QueueScripts.DEAD_LETTER, List.of(settings.stream(), settings.deadLetterKey()),
                args.toArray()))) {
            observer.deadLettered();
        }
    }

    /**
     * Finishing bookkeeping survives a short Redis outage (or failover); after that the lease brings the entry back.
     * Answers whether it went through.
     */
    private boolean withRedis(Runnable op) {
        for (int i = 0; ; i++) {
            try {
                op.run();
                return true;
            } catch (RuntimeException e) {
                if (i >= 20 || !pause(Duration.ofMillis(500))) {
                    log.warn("queue {}: bookkeeping failed ({}); the entry will be reclaimed after the lease",
                            settings.stream(), e.toString());
                    return false;
                }
            }
        }
    }

    private volatile boolean groupReady;

    private void ensureGroup() {
        if (groupReady) return;
        try {
            redis.opsForStream().createGroup(settings.stream(), ReadOffset.from("0"), settings.group());
        } catch (RedisSystemException e) {
            if (!String.valueOf(rootMessage(e)).contains("BUSYGROUP")) throw e;
        }
        groupReady = true;
    }

    private static boolean isNoGroup(Throwable e) {
        return String.valueOf(rootMessage(e)).contains("NOGROUP");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }

    private void redisTrouble(RuntimeException e) {
        if (!redisDown) {
            redisDown = true;
            groupReady = false;
            log.warn("queue {}: Redis unavailable, consumption paused: {} ({})", settings.stream(), e.toString(),
                    rootMessage(e));
        }
    }

    private void redisBack() {
        if (redisDown) {
            redisDown = false;
            log.info("queue {}: Redis reachable again, consumption resumed", settings.stream());
        }
    }

    private static boolean pause(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int parseAttempt(String s) {
        try {
            return s == null ? 1 : Math.max(1, Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static Map<String, String> stringMap(Map<Object, Object> raw) {
        Map<String, String> m = new LinkedHashMap<>();
        raw.forEach((k, v) -> m.put(String.valueOf(k), String.valueOf(v)));
        return m;
    }

    static String defaultInstanceName() {
        return ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
