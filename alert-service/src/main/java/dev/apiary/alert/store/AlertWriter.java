package dev.apiary.alert.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import dev.apiary.alert.core.AlertPlan;
import dev.apiary.alert.core.Channel;
import dev.apiary.common.queue.PendingIndex;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a new alert without MULTI and without multi-key commands across slots (Redis Cluster safe). The order makes
 * a crash at any point harmless:
 * <ol>
 * <li>the alert goes into the dispatch index ({@link Keys#DISPATCHING}) first, so the sweeper looks at it if the
 *     dispatch is never confirmed;</li>
 * <li>the delivery hashes (states, static facts, reasons, names), in chunks, each chunk with the retention TTL;</li>
 * <li>the meta hash last, in one script that refuses when the states it belongs to are gone: the meta hash is the
 *     alert's existence. Before it, nothing is visible; the sweeper deletes the orphaned hashes;</li>
 * <li>the alert joins the reconciler's active set (the sweeper adds it again when a crash came first).</li>
 * </ol>
 */
@Component
public class AlertWriter {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CHUNK = 1000;

    /** KEYS: one hash. ARGV: ttl ms, then field, value, ... */
    private static final RedisScript<Long> PUT = RedisScript.of("""
            redis.call('HSET', KEYS[1], unpack(ARGV, 2))
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1
            """, Long.class);
    /** KEYS: meta, states (same slot). ARGV: ttl ms, deliveries, then field, value, ... */
    private static final RedisScript<Long> PUT_META = RedisScript.of("""
            if tonumber(ARGV[2]) > 0 and redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
            if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1
            """, Long.class);

    private final StringRedisTemplate redis;
    private final PendingIndex dispatching;

    public AlertWriter(StringRedisTemplate redis) {
        this.redis = redis;
        this.dispatching = new PendingIndex(redis, Keys.DISPATCHING);
    }

    /** Step 1: the alert's dispatch is not confirmed yet. */
    public void markPending(String id) {
        dispatching.markPending(id);
    }

    /** Its first batches are queued (or it never needs any). */
    public void markDispatched(String id) {
        dispatching.markDone(id);
    }

    /** Steps 2-4: deliveries (opted-out numbers already final), counters, meta; throws if the alert cannot exist. */
    public void create(String id, Map<String, String> fields, AlertPlan.Plan plan, Set<String> optedOut,
                       Map<String, String> names, Duration ttl) {
        Map<String, String> meta = new LinkedHashMap<>(fields);
        Map<String, String> states = new HashMap<>();
        Map<String, String> infos = new HashMap<>();
        Map<String, String> reasons = new HashMap<>();
        Map<String, Long> counters = new LinkedHashMap<>();
        int idx = 0;
        long finals = 0;
        for (Channel c : Channel.values()) {
            List<AlertPlan.Delivery> ds = plan.of(c);
            if (ds.isEmpty()) {
                continue;
            }
            int start = idx;
            for (AlertPlan.Delivery d : ds) {
                String i = Integer.toString(idx++);
                boolean out = optedOut.contains(d.address());
                states.put(i, out ? "opted_out" : "queued");
                if (out) {
                    reasons.put(i, dev.apiary.alert.core.OptOutReason.of(c));
                    finals++;
                    counters.merge("final:" + c.id(), 1L, Long::sum);
                }
                counters.merge("c:" + c.id() + ":" + (out ? "opted_out" : "queued"), 1L, Long::sum);
                infos.put(i, JSON.writeValueAsString(Map.of(Keys.INFO_CHANNEL, c.id(), Keys.INFO_ADDRESS, d.address(),
                        Keys.INFO_RECIPIENTS, d.recipientIds(), Keys.INFO_LANGUAGE,
                        d.language() == null ? "" : d.language())));
            }
            meta.put("range:" + c.id(), start + "," + idx);
            meta.put("n:" + c.id(), Integer.toString(idx - start));
        }
        meta.put("total", Integer.toString(idx));
        meta.put("final", Long.toString(finals));
        if (finals >= idx) {
            meta.put("state", "done");
            meta.put("finished_at", Long.toString(System.currentTimeMillis()));
        }
        counters.forEach((k, v) -> meta.put(k, Long.toString(v)));
        String ttlMs = Long.toString(ttl.toMillis());
        put(Keys.deliveries(id), infos, ttlMs);
        put(Keys.reasons(id), reasons, ttlMs);
        put(Keys.names(id), names, ttlMs);
        put(Keys.states(id), states, ttlMs);   // last of the parts: the meta script checks that it is there
        List<String> args = new ArrayList<>(List.of(ttlMs, Integer.toString(idx)));
        meta.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        Long ok = redis.execute(PUT_META, List.of(Keys.meta(id), Keys.states(id)), args.toArray());
        if (ok == null || ok != 1L) {
            throw new IllegalStateException("alert " + id + " could not be created ("
                    + (ok != null && ok == -1L ? "the id exists" : "its deliveries were swept meanwhile") + ")");
        }
        activate(id);
    }

    /** Adds the alert to the reconciler's active set (idempotent). */
    public void activate(String id) {
        redis.opsForZSet().addIfAbsent(Keys.ACTIVE, id, System.currentTimeMillis());
    }

    /** Deletes what a creation cut short left behind (no meta): one key per command. */
    public void deleteOrphan(String id) {
        for (String k : List.of(Keys.states(id), Keys.deliveries(id), Keys.reasons(id), Keys.names(id))) {
            redis.delete(k);
        }
    }

    private void put(String key, Map<String, String> values, String ttlMs) {
        List<String> args = new ArrayList<>();
        args.add(ttlMs);
        for (var e : values.entrySet()) {
            args.add(e.getKey());
            args.add(e.getValue());
            if (args.size() > 2 * CHUNK) {
                redis.execute(PUT, List.of(key), args.toArray());
                args = new ArrayList<>();
                args.add(ttlMs);
            }
        }
        if (args.size() > 1) {
            redis.execute(PUT, List.of(key), args.toArray());
        }
    }
}
