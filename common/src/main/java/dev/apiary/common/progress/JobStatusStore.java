package dev.apiary.common.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.apiary.common.events.Snapshot;
import dev.apiary.common.events.StateSource;

/**
 * Job status as a Redis hash: a {@code state} field that only moves forward ({@link StateModel}), counters,
 * timestamps and anything else the service keeps. Every change is published on {@link #channel(String)} so
 * watchers (an event stream, {@link #source}) see it at once. Changes are Lua scripts: check and write are one step.
 */
public class JobStatusStore {

    /** Internal field naming the final states, so watchers know when a job is over. */
    public static final String FINAL_STATES = "_final";
    /** Internal field with the model's steps in forward order ({@link StateModel#encoded()}). */
    public static final String ORDER = "_order";
    public static final String STATE = "state";

    private static final RedisScript<Long> CREATE = RedisScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 2))
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            redis.call('PUBLISH', KEYS[1] .. ':events', 'created')
            return 1
            """, Long.class);
    private static final RedisScript<Long> TRANSITION = RedisScript.of("""
            local st = redis.call('HMGET', KEYS[1], 'state', '_order', '_final')
            local cur, order, finals = st[1], st[2], st[3]
            if not cur then return -1 end
            for s in string.gmatch(finals or '', '[^,]+') do if s == cur then return 0 end end
            -- order: steps separated by ',', states of one step (one rank) by '|' (StateModel.encoded())
            local i, icur, ito = 0, nil, nil
            for step in string.gmatch(order or '', '[^,]+') do
              i = i + 1
              for s in string.gmatch(step, '[^|]+') do
                if s == cur then icur = i end
                if s == ARGV[1] then ito = i end
              end
            end
            if not icur or not ito or ito <= icur then return 0 end
            redis.call('HSET', KEYS[1], 'state', ARGV[1], unpack(ARGV, 2))
            redis.call('PUBLISH', KEYS[1] .. ':events', ARGV[1])
            return 1
            """, Long.class);
    private static final RedisScript<Long> UPDATE = RedisScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV))
            redis.call('PUBLISH', KEYS[1] .. ':events', 'updated')
            return 1
            """, Long.class);
    private static final RedisScript<Long> INCREMENT = RedisScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
            local v = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PUBLISH', KEYS[1] .. ':events', 'updated')
            return v
            """, Long.class);

    private final StringRedisTemplate redis;

    public JobStatusStore(StringRedisTemplate redis) {
        this.redis = redis;
    }

    public static String channel(String key) {
        return key + ":events";
    }

    /** Creates the status with its first state (the first of the model unless {@code fields} names one). */
    public boolean create(String key, StateModel model, Map<String, String> fields, Duration ttl) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(STATE, model.initial());
        all.put("created_at", Instant.now().toString());
        all.putAll(fields);
        all.put(FINAL_STATES, String.join(",", model.finals()));
        all.put(ORDER, model.encoded());
        List<String> args = new ArrayList<>();
        args.add(String.valueOf(ttl.toMillis()));
        all.forEach((k, v) -> { args.add(k); args.add(v); });
        return Long.valueOf(1).equals(redis.execute(CREATE, List.of(key), args.toArray()));
    }

    /** The status, or an empty map when there is none. */
    public Map<String, String> get(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        redis.<String, String>opsForHash().entries(key).forEach(out::put);
        return out;
    }

    /**
     * Moves the job to {@code toState} (and writes {@code fields}) if that is forward from where it is.
     * Answers false when the move is not allowed or the job does not exist.
     */
    public boolean transition(String key, String toState, Map<String, String> fields) {
        List<String> args = new ArrayList<>(List.of(toState));
        fields.forEach((k, v) -> { args.add(k); args.add(v); });
        return Long.valueOf(1).equals(redis.execute(TRANSITION, List.of(key), args.toArray()));
    }

    /** Writes fields of an existing job (not its state); answers false when it does not exist. */
    public boolean update(String key, Map<String, String> fields) {
        if (fields.containsKey(STATE) || fields.containsKey(ORDER) || fields.containsKey(FINAL_STATES)) throw new IllegalArgumentException("use transition() to change state; internal fields are not writable");
        if (fields.isEmpty()) return true;
        List<String> args = new ArrayList<>();
        fields.forEach((k, v) -> { args.add(k); args.add(v); });
        return Long.valueOf(1).equals(redis.execute(UPDATE, List.of(key), args.toArray()));
    }

    /** Adds to a counter of an existing job; answers the new value, or -1 when the job does not exist. */
    public long increment(String key, String field, long delta) {
        Long v = redis.execute(INCREMENT, List.of(key), field, String.valueOf(delta));
        return v == null ? -1 : v;
    }

    public void expire(String key, Duration ttl) {
        redis.expire(key, ttl);
    }

    public boolean delete(String key) {
        return Boolean.TRUE.equals(redis.delete(key));
    }

    /**
     * These statuses as the source of an event stream ({@code EventHub.states}): the channel of {@code keyOf(id)},
     * the hash turned into the event's data by {@code view}, final when its state is.
     */
    public <V> StateSource<V> source(Function<String, String> keyOf, BiFunction<String, Map<String, String>, V> view) {
        return new StateSource<>() {
            @Override
            public String channel(String id) {
                return JobStatusStore.channel(keyOf.apply(id));
            }

            @Override
            public Optional<Snapshot<V>> read(String id) {
                Map<String, String> status = get(keyOf.apply(id));
                if (status.isEmpty()) return Optional.empty();
                return Optional.of(Snapshot.of(view.apply(id, status), isFinal(status)));
            }
        };
    }

    public static boolean isFinal(Map<String, String> status) {
        String finals = status.getOrDefault(FINAL_STATES, "");
        String state = status.get(STATE);
        if (state == null) return true;
        for (String f : finals.split(",")) if (f.equals(state)) return true;
        return false;
    }
}
