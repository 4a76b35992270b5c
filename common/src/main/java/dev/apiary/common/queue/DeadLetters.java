package dev.apiary.common.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.apiary.common.idempotency.IdempotencyKeys;

/**
 * The dead letters of a service's queues: list them newest first across all its dead-letter streams, look at one,
 * put one back into its stream (once), purge. Every Redis call touches one stream's keys only (cluster-safe).
 * Whom an entry may be shown to is the caller's business: methods take a visibility predicate.
 */
public final class DeadLetters {

    private static final Pattern ID = Pattern.compile("(\\d{1,20})-(\\d{1,20})\\.([0-9a-f]{8})");
    private static final int CHUNK = 200;
    /** How long a retried dead letter's id keeps answering with the entry it became. */
    private static final Duration RETRIED_MEMORY = Duration.ofDays(1);
    private static final RedisScript<Long> DELETE_ALL = RedisScript.of("""
            local n = redis.call('XLEN', KEYS[1])
            redis.call('DEL', KEYS[1])
            return n
            """, Long.class);

    private final StringRedisTemplate redis;
    private final WorkQueues queues;

    public DeadLetters(StringRedisTemplate redis, WorkQueues queues) {
        this.redis = redis;
        this.queues = queues;
    }

    /** A page, newest first; {@code nextCursor} is null on the last one. */
    public record Page(List<DeadLetter> items, String nextCursor) {
    }

    /** What {@link #retry} did. */
    public sealed interface Retry {
    }

    /** Back in its stream as {@code newEntryId}; {@code earlier} when a previous call did it. */
    public record Requeued(String stream, String newEntryId, String schoolId, boolean earlier) implements Retry {
    }

    public record Missing() implements Retry {
    }

    /** The streams of the declared queues, in declaration order. */
    public List<String> streams() {
        return queues.queues().stream().map(q -> q.settings().stream()).distinct().toList();
    }

    /** The admin API's id of a dead letter: its entry id and a token of its stream (URL-safe, stable). */
    public static String idOf(String stream, String entryId) {
        return entryId + "." + token(stream);
    }

    private static String token(String stream) {
        return IdempotencyKeys.sha256(stream).substring(0, 8);
    }

    /** Whether {@code id} has the shape of a dead letter id (a cursor is one too). */
    public static boolean isWellFormed(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * One page of the dead letters of {@code stream} (or of every queue when null) that {@code visible} lets through,
     * newest first (ties between streams by stream token), starting after {@code cursor} (an id; null for the first).
     */
    public Page page(String stream, String cursor, int limit, Predicate<DeadLetter> visible) {
        Position after = cursor == null ? null : position(cursor)
                .orElseThrow(() -> new IllegalArgumentException("not a dead letter id: " + cursor));
        PriorityQueue<Reader> heads = new PriorityQueue<>(Comparator.comparing(Reader::head, NEWEST_FIRST));
        for (WorkQueue q : selected(stream)) {
            Reader r = new Reader(q.settings(), after);
            if (r.head() != null) heads.add(r);
        }
        List<DeadLetter> items = new ArrayList<>();
        while (!heads.isEmpty() && items.size() <= limit) {
            Reader r = heads.poll();
            DeadLetter d = r.take();
            if (visible.test(d)) items.add(d);
            if (r.head() != null) heads.add(r);
        }
        if (items.size() <= limit) return new Page(items, null);
        List<DeadLetter> page = List.copyOf(items.subList(0, limit));
        return new Page(page, page.getLast().id());
    }

    public Optional<DeadLetter> find(String id) {
        Optional<Located> at = locate(id);
        if (at.isEmpty()) return Optional.empty();
        QueueSettings s = at.get().settings();
        var found = redis.opsForStream().range(s.deadLetterKey(), Range.closed(at.get().entryId(), at.get().entryId()));
        if (found == null || found.isEmpty()) return Optional.empty();
        return Optional.of(DeadLetter.of(s.stream(), at.get().entryId(), strings(found.getFirst().getValue())));
    }

    /**
     * Puts the dead letter back into its queue's stream as a fresh entry (attempt 1) and removes it from the dead
     * stream, in one step; a repeated call answers what the first did. The caller checks visibility first.
     */
    @SuppressWarnings("unchecked")
    public Retry retry(String id) {
        Optional<Located> at = locate(id);
        if (at.isEmpty()) return new Missing();
        QueueSettings s = at.get().settings();
        List<String> args = new ArrayList<>(List.of(at.get().entryId(), String.valueOf(RETRIED_MEMORY.toMillis()),
                WorkQueue.ATTEMPT, DeadLetter.SCHOOL_ID));
        args.addAll(DeadLetter.BOOKKEEPING);
        List<Object> r = redis.execute(QueueScripts.RETRY_DEAD,
                List.of(s.deadLetterKey(), s.stream(), s.retriedKey()), args.toArray());
        if (r == null || r.isEmpty() || "missing".equals(String.valueOf(r.getFirst()))) return new Missing();
        String[] marker = String.valueOf(r.get(1)).split(" ", 2);
        String school = marker.length > 1 && !marker[1].isEmpty() ? marker[1] : null;
        return new Requeued(s.stream(), marker[0], school, "before".equals(String.valueOf(r.getFirst())));
    }

    /**
     * Removes the dead letters of {@code stream} (every queue's when null): all of them when {@code everything}, else
     * only those {@code visible} lets through. Answers how many went.
     */
    public long purge(String stream, boolean everything, Predicate<DeadLetter> visible) {
        long purged = 0;
        for (WorkQueue q : selected(stream)) {
            QueueSettings s = q.settings();
            if (everything) {
                Long n = redis.execute(DELETE_ALL, List.of(s.deadLetterKey()));
                purged += n == null ? 0 : n;
                continue;
            }
            Reader r = new Reader(s, null);
            List<String> batch = new ArrayList<>();
            while (r.head() != null) {
                DeadLetter d = r.take();
                if (visible.test(d)) batch.add(d.entryId());
                if (batch.size() == CHUNK || r.head() == null) {
                    purged += delete(s, batch);
                    batch.clear();
                }
            }
            purged += delete(s, batch);
        }
        return purged;
    }

    private long delete(QueueSettings s, List<String> ids) {
        if (ids.isEmpty()) return 0;
        Long n = redis.opsForStream().delete(s.deadLetterKey(), ids.toArray(String[]::new));
        return n == null ? 0 : n;
    }

    private List<WorkQueue> selected(String stream) {
        List<WorkQueue> all = new ArrayList<>();
        Map<String, WorkQueue> byStream = new LinkedHashMap<>();
        queues.queues().forEach(q -> byStream.putIfAbsent(q.settings().stream(), q));
        if (stream == null) {
            all.addAll(byStream.values());
        } else if (byStream.containsKey(stream)) {
            all.add(byStream.get(stream));
        } else {
            throw new IllegalArgumentException("no queue has the stream " + stream);
        }
        return all;
    }

    private record Located(QueueSettings settings, String entryId) {
    }

    private Optional<Located> locate(String id) {
        Optional<Position> p = position(id);
        if (p.isEmpty()) return Optional.empty();
        return queues.queues().stream().map(WorkQueue::settings)
                .filter(s -> token(s.stream()).equals(p.get().token()))
                .findFirst().map(s -> new Located(s, p.get().entryId()));
    }

    /** Where an entry sits in the merged order: its id, then its stream's token. */
    private record Position(long ms, long seq, String token) {
        String entryId() {
            return ms + "-" + seq;
        }
    }

    private static final Comparator<Position> NEWEST_FIRST = Comparator.comparingLong(Position::ms).reversed()
            .thenComparing(Comparator.comparingLong(Position::seq).reversed())
            .thenComparing(Position::token);

    private static Optional<Position> position(String id) {
        if (id == null) return Optional.empty();
        Matcher m = ID.matcher(id);
        if (!m.matches()) return Optional.empty();
        try {
            return Optional.of(new Position(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Reads one dead-letter stream newest first, in chunks, from just after {@code after}. */
    private final class Reader {
        private final QueueSettings settings;
        private final String token;
        private final Position after;
        private final Deque<DeadLetter> buffer = new ArrayDeque<>();
        private String max = "+";
        private String skip;
        private boolean exhausted;

        Reader(QueueSettings settings, Position after) {
            this.settings = settings;
            this.token = token(settings.stream());
            this.after = after;
            if (after != null) max = after.entryId();
            fill();
        }

        Position head() {
            DeadLetter d = buffer.peekFirst();
            return d == null ? null : position(d.id()).orElseThrow();
        }

        DeadLetter take() {
            DeadLetter d = buffer.pollFirst();
            if (buffer.isEmpty()) fill();
            return d;
        }

        private void fill() {
            while (buffer.isEmpty() && !exhausted) {
                List<MapRecord<String, Object, Object>> got = redis.opsForStream().reverseRange(
                        settings.deadLetterKey(), Range.closed("-", max), Limit.limit().count(CHUNK));
                if (got == null || got.isEmpty()) {
                    exhausted = true;
                    return;
                }
                for (var r : got) {
                    String entryId = r.getId().getValue();
                    if (entryId.equals(skip)) continue; // the inclusive bound, seen in the chunk before
                    Position p = position(idOf(settings.stream(), entryId)).orElseThrow();
                    if (after != null && NEWEST_FIRST.compare(p, after) <= 0) continue;
                    buffer.add(DeadLetter.of(settings.stream(), entryId, strings(r.getValue())));
                }
                String last = got.getLast().getId().getValue();
                if (got.size() < CHUNK || last.equals(skip)) exhausted = true;
                max = last;
                skip = last;
            }
        }

        @Override
        public String toString() {
            return settings.stream() + "@" + token;
        }
    }

    private static Map<String, String> strings(Map<Object, Object> raw) {
        Map<String, String> m = new LinkedHashMap<>();
        raw.forEach((k, v) -> m.put(String.valueOf(k), String.valueOf(v)));
        return m;
    }
}
