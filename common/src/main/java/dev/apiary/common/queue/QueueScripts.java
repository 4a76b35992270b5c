package dev.apiary.common.queue;

import java.util.List;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The queue's Lua scripts. Each touches one stream and its derived keys only, which share a Redis Cluster slot
 * ({@link QueueSettings}), so every one is cluster-safe; none uses MULTI.
 */
final class QueueScripts {

    private QueueScripts() {
    }

    /** Redis's clock in ms, and the cut-off for dead letters older than ARGV[n] ms ({@code <ms>-0}, or '' for none). */
    private static final String NOW_AND_CUTOFF = """
            local function now_ms()
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            local function trim_dead(key, max_len, max_age_ms)
              local trimmed = redis.call('XTRIM', key, 'MAXLEN', max_len)
              local cutoff = now_ms() - tonumber(max_age_ms)
              if cutoff > 0 then
                trimmed = trimmed + redis.call('XTRIM', key, 'MINID', string.format('%.0f', cutoff) .. '-0')
              end
              return trimmed
            end
            """;

    static final RedisScript<Long> ACK = RedisScript.of("""
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            return redis.call('XDEL', KEYS[1], ARGV[2])
            """, Long.class);

    static final RedisScript<Long> RETRY_LATER = RedisScript.of("""
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            return redis.call('XDEL', KEYS[1], ARGV[2])
            """, Long.class);

    /** KEYS: stream, dead. ARGV: group, id, max length, max age ms, fields... The dead stream is trimmed on add. */
    static final RedisScript<Long> DEAD_LETTER = RedisScript.of(NOW_AND_CUTOFF + """
            redis.call('XADD', KEYS[2], '*', unpack(ARGV, 5))
            trim_dead(KEYS[2], ARGV[3], ARGV[4])
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            return redis.call('XDEL', KEYS[1], ARGV[2])
            """, Long.class);

    /** KEYS: dead. ARGV: max length, max age ms. Answers how many entries went. */
    static final RedisScript<Long> TRIM_DEAD = RedisScript.of(NOW_AND_CUTOFF + """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            return trim_dead(KEYS[1], ARGV[1], ARGV[2])
            """, Long.class);

    static final RedisScript<Long> PROMOTE_DUE = RedisScript.of("""
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
    static final RedisScript<Long> CLAIM_JUSTID = RedisScript.of("""
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
    static final RedisScript<Long> RELEASE = RedisScript.of("""
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
    static final RedisScript<List> RECLAIM = RedisScript.of("""
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

    /**
     * One round trip for the metrics. KEYS: stream, retry, dead. ARGV: group. Answers strings: stream length,
     * pending count, age in ms of the oldest pending entry (its id's time; -1 when none is pending), scheduled
     * retries, dead letters.
     */
    @SuppressWarnings("rawtypes")
    static final RedisScript<List> STATS = RedisScript.of(NOW_AND_CUTOFF + """
            local depth = redis.call('XLEN', KEYS[1])
            local pending, age = 0, -1
            local p = redis.pcall('XPENDING', KEYS[1], ARGV[1])
            if type(p) == 'table' and p.err == nil and tonumber(p[1]) > 0 then
              pending = tonumber(p[1])
              local ms = tonumber(string.match(p[2], '^(%d+)'))
              age = math.max(0, now_ms() - ms)
            end
            return {tostring(depth), tostring(pending), string.format('%.0f', age),
                    tostring(redis.call('ZCARD', KEYS[2])), tostring(redis.call('XLEN', KEYS[3]))}
            """, List.class);

    /**
     * Puts a dead letter back into its stream once. KEYS: dead, stream, retried. ARGV: dead id, retried-marker TTL
     * ms, attempt field, school field, then the dead-letter bookkeeping field names to drop. Answers
     * {"done", "<new id> <school>"} when this call re-enqueued it, {"before", "<new id> <school>"} when an earlier
     * call did (the school so that a repeated call is answered only to whoever may see it), {"missing"} when there is
     * no such entry.
     */
    @SuppressWarnings("rawtypes")
    static final RedisScript<List> RETRY_DEAD = RedisScript.of("""
            local earlier = redis.call('HGET', KEYS[3], ARGV[1])
            if earlier then return {'before', earlier} end
            local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
            if #found == 0 then return {'missing'} end
            local drop = {[ARGV[3]] = true}
            for i = 5, #ARGV do drop[ARGV[i]] = true end
            local fields, args, school = found[1][2], {}, ''
            for i = 1, #fields, 2 do
              if fields[i] == ARGV[4] then school = fields[i + 1] end
              if not drop[fields[i]] then
                table.insert(args, fields[i]); table.insert(args, fields[i + 1])
              end
            end
            table.insert(args, ARGV[3]); table.insert(args, '1')
            local id = redis.call('XADD', KEYS[2], '*', unpack(args))
            redis.call('XDEL', KEYS[1], ARGV[1])
            local marker = id .. ' ' .. school
            redis.call('HSET', KEYS[3], ARGV[1], marker)
            redis.call('PEXPIRE', KEYS[3], ARGV[2])
            return {'done', marker}
            """, List.class);
}
