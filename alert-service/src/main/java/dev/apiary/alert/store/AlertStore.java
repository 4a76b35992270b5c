package dev.apiary.alert.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.apiary.alert.core.AlertPlan;
import dev.apiary.alert.core.Channel;
import tools.jackson.databind.json.JsonMapper;

/** Alerts and their deliveries in Redis (see {@link Keys}); every state change goes through a Lua script. */
@Component
public class AlertStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CHUNK = 1000;

    /** Static facts of one delivery. */
    public record DeliveryInfo(int index, String channel, String address, List<String> recipientIds, String language) {
    }

    /** One delivery as the API shows it. */
    public record DeliveryView(String id, String channel, List<String> recipientIds, String address, String state,
                               String providerId, String reason) {
    }

    private final StringRedisTemplate redis;

    public AlertStore(StringRedisTemplate redis) {
        this.redis = redis;
    }

    // ---- idempotency

    public String idempotent(String school, String keyHash) {
        return redis.opsForValue().get(Keys.idempotency(school, keyHash));
    }

    public boolean reserve(String school, String keyHash, String alertId, Duration ttl) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(Keys.idempotency(school, keyHash), alertId, ttl));
    }

    public void release(String school, String keyHash) {
        redis.delete(Keys.idempotency(school, keyHash));
    }

    // ---- creation

    /**
     * Writes the alert, all deliveries (opted-out numbers already final) and the counters in one MULTI/EXEC:
     * either everything is there or nothing.
     */
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
                boolean out = c == Channel.SMS && optedOut.contains(d.address());
                states.put(i, out ? "opted_out" : "queued");
                if (out) {
                    reasons.put(i, "opted_out: the number replied STOP earlier");
                    finals++;
                    counters.merge("final:" + c.id(), 1L, Long::sum);
                }
                counters.merge("c:" + c.id() + ":" + (out ? "opted_out" : "queued"), 1L, Long::sum);
                infos.put(i, JSON.writeValueAsString(Map.of("c", c.id(), "a", d.address(), "r", d.recipientIds(),
                        "l", d.language() == null ? "" : d.language())));
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
        List<String> keys = List.of(Keys.meta(id), Keys.states(id), Keys.deliveries(id), Keys.reasons(id),
                Keys.names(id), Keys.providerIds(id), Keys.sentSince(id));
        redis.execute(new SessionCallback<List<Object>>() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public List<Object> execute(RedisOperations ops) throws DataAccessException {
                ops.multi();
                ops.opsForHash().putAll(Keys.meta(id), meta);
                putChunked(ops, Keys.states(id), states);
                putChunked(ops, Keys.deliveries(id), infos);
                putChunked(ops, Keys.reasons(id), reasons);
                putChunked(ops, Keys.names(id), names);
                for (String k : keys) {
                    ops.expire(k, ttl.toMillis(), TimeUnit.MILLISECONDS);
                }
                return ops.exec();
            }
        });
        redis.opsForZSet().add(Keys.ACTIVE, id, System.currentTimeMillis());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void putChunked(RedisOperations ops, String key, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        Map<String, String> chunk = new HashMap<>();
        for (var e : values.entrySet()) {
            chunk.put(e.getKey(), e.getValue());
            if (chunk.size() == CHUNK) {
                ops.opsForHash().putAll(key, chunk);
                chunk = new HashMap<>();
            }
        }
        if (!chunk.isEmpty()) {
            ops.opsForHash().putAll(key, chunk);
        }
    }

    // ---- reads

    public Map<String, String> meta(String id) {
        Map<Object, Object> raw = redis.opsForHash().entries(Keys.meta(id));
        Map<String, String> m = new LinkedHashMap<>();
        raw.forEach((k, v) -> m.put(k.toString(), v.toString()));
        return m;
    }

    public List<DeliveryInfo> infos(String id, Collection<Integer> indices) {
        List<Object> raw = redis.opsForHash().multiGet(Keys.deliveries(id),
                indices.stream().map(i -> (Object) i.toString()).toList());
        List<DeliveryInfo> out = new ArrayList<>(indices.size());
        int k = 0;
        for (Integer i : indices) {
            Object v = raw.get(k++);
            if (v != null) {
                out.add(parseInfo(i, v.toString()));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static DeliveryInfo parseInfo(int index, String json) {
        Map<String, Object> m = JSON.readValue(json, Map.class);
        return new DeliveryInfo(index, (String) m.get("c"), (String) m.get("a"), (List<String>) m.get("r"),
                (String) m.get("l"));
    }

    public String state(String id, int index) {
        Object v = redis.opsForHash().get(Keys.states(id), Integer.toString(index));
        return v == null ? null : v.toString();
    }

    public String providerId(String id, int index) {
        Object v = redis.opsForHash().get(Keys.providerIds(id), Integer.toString(index));
        return v == null ? null : v.toString();
    }

    /**
     * A page of deliveries in index order from {@code cursor}, filtered by channel and state.
     * Answers the deliveries and the next cursor (null at the end).
     */
    /** A page of deliveries; {@code next} is the cursor of the next page or null at the end. */
    public record Page(List<DeliveryView> deliveries, Integer next) {
    }

    public Page page(String id, Map<String, String> meta, String channel,
                                                       String state, int cursor, int limit) {
        int total = Integer.parseInt(meta.getOrDefault("total", "0"));
        int from = cursor;
        int to = total;
        if (channel != null) {
            String r = meta.get("range:" + channel);
            if (r == null) {
                return new Page(List.of(), null);
            }
            String[] p = r.split(",");
            from = Math.max(from, Integer.parseInt(p[0]));
            to = Integer.parseInt(p[1]);
        }
        List<DeliveryView> out = new ArrayList<>();
        int i = from;
        while (i < to && out.size() < limit) {
            int end = Math.min(to, i + 500);
            List<Object> fields = new ArrayList<>();
            for (int k = i; k < end; k++) {
                fields.add(Integer.toString(k));
            }
            List<Object> states = redis.opsForHash().multiGet(Keys.states(id), fields);
            List<Object> matched = new ArrayList<>();
            for (int k = 0; k < fields.size(); k++) {
                if (state == null || state.equals(states.get(k))) {
                    matched.add(fields.get(k));
                }
            }
            if (matched.size() > limit - out.size()) {
                matched = matched.subList(0, limit - out.size());
            }
            if (!matched.isEmpty()) {
                List<Object> infos = redis.opsForHash().multiGet(Keys.deliveries(id), matched);
                List<Object> pids = redis.opsForHash().multiGet(Keys.providerIds(id), matched);
                List<Object> why = redis.opsForHash().multiGet(Keys.reasons(id), matched);
                List<Object> st = redis.opsForHash().multiGet(Keys.states(id), matched);
                for (int k = 0; k < matched.size(); k++) {
                    int index = Integer.parseInt(matched.get(k).toString());
                    DeliveryInfo info = parseInfo(index, infos.get(k).toString());
                    out.add(new DeliveryView(id + "." + index, info.channel(), info.recipientIds(), info.address(),
                            str(st.get(k)), str(pids.get(k)), str(why.get(k))));
                }
                if (out.size() >= limit) {
                    i = index(matched.getLast()) + 1;
                    break;
                }
            }
            i = end;
        }
        return new Page(out, i < to ? i : null);
    }

    private static int index(Object o) {
        return Integer.parseInt(o.toString());
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    public Map<String, String> names(String id, Collection<String> recipientIds) {
        List<Object> raw = redis.opsForHash().multiGet(Keys.names(id), List.copyOf(recipientIds));
        Map<String, String> m = new HashMap<>();
        int k = 0;
        for (String r : recipientIds) {
            Object v = raw.get(k++);
            if (v != null) {
                m.put(r, v.toString());
            }
        }
        return m;
    }

    // ---- state changes

    public long transition(String id, Collection<Integer> indices, String to, String expect, String providerId,
                           String reason) {
        if (indices.isEmpty()) {
            return 0;
        }
        List<String> args = new ArrayList<>(List.of(to, expect == null ? "" : expect,
                providerId == null ? "" : providerId, reason == null ? "" : reason,
                Long.toString(System.currentTimeMillis()), Keys.events(id)));
        indices.forEach(i -> args.add(i.toString()));
        Long n = redis.execute(Scripts.TRANSITION, List.of(Keys.states(id), Keys.providerIds(id), Keys.reasons(id),
                Keys.meta(id), Keys.sentSince(id)), args.toArray());
        return n == null ? 0 : n;
    }

    @SuppressWarnings("unchecked")
    public List<Integer> claim(String id, int from, int to) {
        List<Object> raw = redis.execute(Scripts.CLAIM, List.of(Keys.states(id), Keys.providerIds(id),
                        Keys.reasons(id), Keys.meta(id)), Integer.toString(from), Integer.toString(to),
                Long.toString(System.currentTimeMillis()), Keys.events(id));
        List<Integer> out = new ArrayList<>();
        if (raw != null) {
            raw.forEach(o -> out.add(Integer.parseInt(o.toString())));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public int[] nextBatch(String id, Channel channel, int size) {
        List<Object> raw = redis.execute(Scripts.NEXT_BATCH, List.of(Keys.meta(id)), channel.id(),
                Integer.toString(size));
        if (raw == null || raw.size() < 2) {
            return null;
        }
        return new int[] {Integer.parseInt(raw.get(0).toString()), Integer.parseInt(raw.get(1).toString())};
    }

    /** Cancels undispatched deliveries: the number canceled, -1 if already finished, -2 if unknown. */
    public long cancel(String id) {
        Long n = redis.execute(Scripts.CANCEL, List.of(Keys.states(id), Keys.providerIds(id), Keys.reasons(id),
                Keys.meta(id)), Long.toString(System.currentTimeMillis()), Keys.events(id));
        return n == null ? -2 : n;
    }

    // ---- opt-outs

    public void optOut(String phone) {
        redis.opsForSet().add(Keys.OPTED_OUT, phone);
    }

    public Set<String> optedOut(Collection<String> phones) {
        if (phones.isEmpty()) {
            return Set.of();
        }
        Map<Object, Boolean> member = redis.opsForSet().isMember(Keys.OPTED_OUT, phones.toArray());
        Set<String> out = new java.util.HashSet<>();
        if (member != null) {
            member.forEach((k, v) -> {
                if (Boolean.TRUE.equals(v)) {
                    out.add(k.toString());
                }
            });
        }
        return out;
    }

    // ---- reconciliation support

    public Set<String> activeAlerts(int limit) {
        Set<String> s = redis.opsForZSet().range(Keys.ACTIVE, 0, limit - 1);
        return s == null ? Set.of() : s;
    }

    public void retire(String id) {
        redis.opsForZSet().remove(Keys.ACTIVE, id);
    }

    public List<Integer> sentBefore(String id, long beforeMs, int limit) {
        Set<String> s = redis.opsForZSet().rangeByScore(Keys.sentSince(id), 0, beforeMs, 0, limit);
        List<Integer> out = new ArrayList<>();
        if (s != null) {
            s.forEach(v -> out.add(Integer.parseInt(v)));
        }
        return out;
    }

    public boolean lock(String name, Duration ttl) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent("apiary:alert:lock:" + name, "1", ttl));
    }

    public boolean markMailgunToken(String token, Duration ttl) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(Keys.mailgunToken(token), "1", ttl));
    }

    /** GCRA pacing: reserve {@code costMs} of the key's schedule, answer how long to wait. */
    public long pace(String key, double costMs) {
        Long wait = redis.execute(Scripts.PACE, List.of(Keys.pace(key)), String.format(java.util.Locale.ROOT, "%.3f", costMs));
        return wait == null ? 0 : Math.max(0, wait);
    }
}
