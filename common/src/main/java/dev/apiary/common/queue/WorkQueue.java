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
import org.springframework.data.redis.core.script.RedisScript;

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

    private static final RedisScript<Long> ACK = RedisScript.of("""
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            return redis.call('XDEL', KEYS[1], ARGV[2])
            """, Long.class);
    private static final RedisScript<Long> RETRY_LATER = RedisScript.of("""
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            return redis.call('XDEL', KEYS[1], ARGV[2])
            """, Long.class);
    private static final RedisScript<Long> DEAD_LETTER = RedisScript.of("""
            redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3))
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            return redis.call('XDEL', KEYS[1], ARGV[2])
            """, Long.class);
    private static final RedisScript<Long> PROMOTE_DUE = RedisScript.of("""
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
            local moved = 0
            for _, member in ipairs(due) do
              if redis.call('ZREM', KEYS[1], member) == 1 then
                local entry = cjson.decode(member)
                local args = {}
                for k, v in pairs(entry.f) do table.insert(args, k); table.insert(args, v) end
                redis.call('XADD', KEYS[2], '*', unpack(args))
                moved = moved + 1
              end
            end
            return moved
            """, Long.class);
    /** XCLAIM ... JUSTID by the owner itself: resets the idle time without touching the delivery count. */
    private static final RedisScript<Long> CLAIM_JUSTID = RedisScript.of("""
            local args = {KEYS[1], ARGV[1], ARGV[2], 0}
            for i = 4, #ARGV do table.insert(args, ARGV[i]) end
            table.insert(args, 'IDLE'); table.insert(args, ARGV[3]); table.insert(args, 'JUSTID')
            return #redis.call('XCLAIM', unpack(args))
            """, Long.class);
    /**
     * Graceful release by the owner: idle time past the lease (reclaimed at once) and the delivery count set back
     * to what it was before this consumer took the entry, since the next XAUTOCLAIM adds one again and a release is
     * no crash. Count - 1, not 0: 0 would wipe crashes counted before this delivery, so an entry that already killed
     * instances would start afresh whenever an instance holding it stops gracefully (every deploy). Entries another
     * consumer has taken meanwhile (our lease ran out) are left alone. ARGV: group, consumer, idle ms, ids...
     */
    private static final RedisScript<Long> RELEASE = RedisScript.of("""
            local n = 0
            for i = 4, #ARGV do
              local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)[1]
              if p and p[2] == ARGV[2] then
                local before = math.max(0, tonumber(p[4]) - 1)
                n = n + #redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i],
                    'IDLE', ARGV[3], 'RETRYCOUNT', tostring(before), 'JUSTID')
              end
            end
            return n
            """, Long.class);
    /**
     * XAUTOCLAIM, flattened to: id, delivered, n, k1, v1, ... so the answer is a flat list of strings.
     * {@code delivered} is the entry's delivery count after this claim (XAUTOCLAIM has added one).
     */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> RECLAIM = RedisScript.of("""
            local res = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], '0-0', 'COUNT', ARGV[4])
            local out = {}
            for _, e in ipairs(res[2]) do
              if e and e[2] then
                local p = redis.call('XPENDING', KEYS[1], ARGV[1], e[1], e[1], 1)[1]
                table.insert(out, e[1]); table.insert(out, tostring(p and p[4] or 1)); table.insert(out, tostring(#e[2]))
                for _, x in ipairs(e[2]) do table.insert(out, x) end
              end
            end
            return out
            """, List.class);

    private final StringRedisTemplate redis;
    private final QueueSettings settings;
    private final WorkHandler handler;
    private final String consumer;
    private final Semaphore permits;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean accepting;
    private volatile boolean redisDown;
    private ExecutorService handlers;
    private Thread reader;
    private Thread maintenance;

    WorkQueue(StringRedisTemplate redis, QueueSettings settings, WorkHandler handler, String instanceName) {
        this.redis = redis;
        this.settings = settings;
        this.handler = handler;
        this.consumer = instanceName;
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
        var id = redis.opsForStream().add(MapRecord.create(settings.stream(), entry));
        return id == null ? null : id.getValue();
    }

    /** Entries currently in the dead-letter stream (for tools and tests). */
    public long deadLetterCount() {
        Long n = redis.opsForStream().size(settings.deadLetterKey());
        return n == null ? 0 : n;
    }

    public boolean isRunning() {
        return accepting;
    }

    public synchronized void start() {
        if (!started.compareAndSet(false, true)) return;
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
        reader.interrupt();
        maintenance.interrupt();
        handlers.shutdown();
        try {
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
                permits.acquire();
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
                            StreamReadOptions.empty().count(got - used).block(Duration.ofMillis(500)),
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

    /** Heartbeats (every lease/3) and moving due retries back into the stream (every 100 ms). */
    private void maintenanceLoop() {
        long beatNanos = Duration.ofMillis(Math.max(100, settings.lease().toMillis() / 3)).toNanos();
        long nextBeat = 0;
        while (accepting) {
            try {
                if (System.nanoTime() >= nextBeat) {
                    heartbeat();
                    nextBeat = System.nanoTime() + beatNanos;
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
        redis.execute(CLAIM_JUSTID, List.of(settings.stream()), args.toArray());
    }

    private void release(Set<String> ids) {
        if (ids.isEmpty()) return;
        try {
            List<String> args = new ArrayList<>(List.of(settings.group(), consumer,
                    String.valueOf(settings.lease().toMillis() * 10)));
            args.addAll(ids);
            redis.execute(RELEASE, List.of(settings.stream()), args.toArray());
        } catch (RuntimeException e) {
            log.warn("queue {}: could not release {} entries ({}); they are reclaimed after the lease",
                    settings.stream(), ids.size(), e.toString());
        }
    }

    private void promoteDueRetries() {
        redis.execute(PROMOTE_DUE, List.of(settings.retryKey(), settings.stream()),
                String.valueOf(System.currentTimeMillis()), "100");
    }

    /**
     * Takes over up to {@code max} entries idle past the lease (their consumer died); answers how many.
     * Each one's delivery count minus this delivery is how often a consumer died while handling it.
     */
    @SuppressWarnings("unchecked")
    private int reclaimAbandoned(int max) {
        List<Object> flat = redis.execute(RECLAIM, List.of(settings.stream()), settings.group(), consumer,
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
        try {
            handler.handle(item);
            withRedis(() -> redis.execute(ACK, List.of(settings.stream()), settings.group(), item.id()));
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
            deadLetter(item, reason, List.of("_crashes", String.valueOf(crashes)));
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
        withRedis(() -> redis.execute(RETRY_LATER, List.of(settings.stream(), settings.retryKey()),
                settings.group(), item.id(), String.valueOf(due), member));
    }

    private void deadLetter(WorkItem item, Throwable error) {
        log.error("queue {}: entry {} dead-lettered after {} attempt(s): {}", settings.stream(), item.id(),
                item.attempt(), error.toString());
        deadLetter(item, error.getMessage() == null ? error.toString() : error.getMessage(), List.of());
    }

    private void deadLetter(WorkItem item, String error, List<String> extra) {
        List<String> args = new ArrayList<>(List.of(settings.group(), item.id()));
        item.fields().forEach((k, v) -> { args.add(k); args.add(v); });
        args.addAll(List.of("_error", error, "_attempts", String.valueOf(item.attempt()), "_source_id", item.id(),
                "_failed_at", java.time.Instant.now().toString()));
        args.addAll(extra);
        withRedis(() -> redis.execute(DEAD_LETTER, List.of(settings.stream(), settings.deadLetterKey()), args.toArray()));
    }

    /** Finishing bookkeeping survives a short Redis outage; after that the lease brings the entry back. */
    private void withRedis(Runnable op) {
        for (int i = 0; ; i++) {
            try {
                op.run();
                return;
            } catch (RuntimeException e) {
                if (i >= 20 || !pause(Duration.ofMillis(500))) {
                    log.warn("queue {}: bookkeeping failed ({}); the entry will be reclaimed after the lease",
                            settings.stream(), e.toString());
                    return;
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
            log.warn("queue {}: Redis unavailable, consumption paused: {}", settings.stream(), e.toString());
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
