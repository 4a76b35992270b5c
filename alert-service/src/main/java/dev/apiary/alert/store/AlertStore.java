package dev.apiary.alert.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.apiary.alert.core.Channel;
import dev.apiary.alert.core.DeliveryState;
import tools.jackson.databind.json.JsonMapper;

/** Alerts and their deliveries in Redis (see {@link Keys}); every state change goes through a Lua script. */
@Component
public class AlertStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Static facts of one delivery. */
    public record DeliveryInfo(int index, String channel, String address, List<String> recipientIds, String language) {
    }

    /** One delivery as the API shows it. */
    public record DeliveryView(String id, String channel, List<String> recipientIds, String address, String state,
                               String providerId, String reason, String language) {
    }

    private final StringRedisTemplate redis;

    public AlertStore(StringRedisTemplate redis) {
        this.redis = redis;
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
        return new DeliveryInfo(index, (String) m.get(Keys.INFO_CHANNEL), (String) m.get(Keys.INFO_ADDRESS),
                (List<String>) m.get(Keys.INFO_RECIPIENTS), (String) m.get(Keys.INFO_LANGUAGE));
    }

    /** The delivery's state, or null if there is no such delivery. */
    public DeliveryState state(String id, int index) {
        Object v = redis.opsForHash().get(Keys.states(id), Integer.toString(index));
        return v == null ? null : DeliveryState.of(v.toString());
    }

    /** The deliveries' states in the order asked (null where there is none). */
    public List<DeliveryState> states(String id, List<Integer> indices) {
        List<Object> raw = redis.opsForHash().multiGet(Keys.states(id),
                indices.stream().map(i -> (Object) i.toString()).toList());
        return raw.stream().map(v -> v == null ? null : DeliveryState.of(v.toString())).toList();
    }

    public String providerId(String id, int index) {
        Object v = redis.opsForHash().get(Keys.providerIds(id), Integer.toString(index));
        return v == null ? null : v.toString();
    }

    /**
     * A page of deliveries in index order from {@code cursor}, filtered by channel and state; {@code next} is the
     * cursor of the next page or null at the end.
     */
    public record Page(List<DeliveryView> deliveries, Integer next) {
    }

    public Page page(String id, Map<String, String> meta, String channel, String state, int cursor, int limit) {
        return DeliveryPages.read(redis, id, meta, channel, state, cursor, limit);
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

    /**
     * Moves deliveries to {@code to} where that moves them forward (and, if {@code expect} is set, only from that
     * state). Answers how many moved.
     */
    public long transition(String id, Collection<Integer> indices, DeliveryState to, DeliveryState expect,
                           String providerId, String reason) {
        return transition(id, indices, to.id(), expect == null ? "" : expect.id(), providerId, reason);
    }

    /** {@link #transition(String, Collection, DeliveryState, DeliveryState, String, String)} by state names. */
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
                Keys.meta(id), Keys.unsettledSince(id)), args.toArray());
        return n == null ? 0 : n;
    }

    @SuppressWarnings("unchecked")
    public List<Integer> claim(String id, int from, int to) {
        List<Object> raw = redis.execute(Scripts.CLAIM, List.of(Keys.states(id), Keys.providerIds(id),
                        Keys.reasons(id), Keys.meta(id), Keys.unsettledSince(id)), Integer.toString(from), Integer.toString(to),
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


    public boolean markMailgunToken(String token, Duration ttl) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(Keys.mailgunToken(token), "1", ttl));
    }
}
