package dev.apiary.alert.store;

import java.util.List;

import org.springframework.data.redis.core.script.RedisScript;

import dev.apiary.alert.core.DeliveryState;

/** The Lua scripts that keep delivery states forward-only and the per-alert counters exact. */
final class Scripts {
    private Scripts() {
    }

    /** The script's text with {@code $<state id>} replaced by the quoted id of that {@link DeliveryState}. */
    private static String states(String lua) {
        for (DeliveryState st : DeliveryState.values()) {
            lua = lua.replace("$" + st.id() + "'", "'" + st.id() + "'");
        }
        if (java.util.regex.Pattern.compile("\\$[a-z_]+'").matcher(lua).find()) {
            throw new IllegalStateException("unknown state in a script");
        }
        return lua;
    }

    /**
     * The delivery states' ranks and finals from {@link DeliveryState} (the one definition), then helpers. In the
     * scripts' text {@code $queued} etc. stand for the state ids ({@link #states}).
     */
    private static final String COMMON = DeliveryState.MODEL.lua() + """
            local rs = redis.call('HMGET', KEYS[4], 'range:email', 'range:sms', 'range:voice', 'total', 'state')
            local cn = {'email', 'sms', 'voice'}
            local lo, hi = {}, {}
            for k = 1, 3 do
              if rs[k] then
                local a, b = string.match(rs[k], '(%d+),(%d+)')
                lo[k] = tonumber(a); hi[k] = tonumber(b)
              end
            end
            local function chan(i)
              for k = 1, 3 do
                if lo[k] and i >= lo[k] and i < hi[k] then return cn[k] end
              end
              return 'unknown'
            end
            local function finish(finals, now)
              if finals > 0 then
                local f = redis.call('HINCRBY', KEYS[4], 'final', finals)
                if f >= tonumber(rs[4]) then
                  if rs[5] ~= 'canceled' then redis.call('HSET', KEYS[4], 'state', 'done') end
                  redis.call('HSETNX', KEYS[4], 'finished_at', now)
                end
              end
            end
            """;

    /**
     * KEYS: st, pid, why, meta, sentz. ARGV: new state, expected current state ('' = any), provider id,
     * reason, now ms, pub/sub channel, then delivery indices. Applies the change where it moves forward.
     */
    @SuppressWarnings("rawtypes")
    static final RedisScript<Long> TRANSITION = RedisScript.of(states(COMMON + """
            local to = ARGV[1]
            local newr = rank(to)
            local moved, finals = 0, 0
            for n = 7, #ARGV do
              local idx = ARGV[n]
              local cur = redis.call('HGET', KEYS[1], idx)
              if cur and (ARGV[2] == '' or ARGV[2] == cur) and newr > rank(cur) then
                local ch = chan(tonumber(idx))
                redis.call('HSET', KEYS[1], idx, to)
                redis.call('HINCRBY', KEYS[4], 'c:' .. ch .. ':' .. cur, -1)
                redis.call('HINCRBY', KEYS[4], 'c:' .. ch .. ':' .. to, 1)
                if ARGV[3] ~= '' then redis.call('HSETNX', KEYS[2], idx, ARGV[3]) end
                if ARGV[4] ~= '' then redis.call('HSET', KEYS[3], idx, ARGV[4]) end
                if to == $sent' then redis.call('ZADD', KEYS[5], ARGV[5], idx) end
                if is_final(to) then
                  redis.call('ZREM', KEYS[5], idx)
                  redis.call('HINCRBY', KEYS[4], 'final:' .. ch, 1)
                  finals = finals + 1
                end
                moved = moved + 1
              end
            end
            finish(finals, ARGV[5])
            if moved > 0 then
              -- keys first written now expire with the alert (EXPIRE at creation skipped them: they did not exist)
              local ttl = redis.call('PTTL', KEYS[4])
              if ttl > 0 then
                for _, k in ipairs({KEYS[2], KEYS[3], KEYS[5]}) do
                  if redis.call('PTTL', k) == -1 then redis.call('PEXPIRE', k, ttl) end
                end
              end
              redis.call('PUBLISH', ARGV[6], to)
            end
            return moved
            """), Long.class);

    /**
     * KEYS: st, pid, why, meta, ss. ARGV: from, to (exclusive), now ms, pub/sub channel.
     * Claims a batch: queued → sending; also answers deliveries left in sending without a provider id by an
     * earlier attempt (at-least-once). If the alert was canceled those are canceled instead. A claimed delivery is
     * in {@code ss} (scored by the claim) until it is final, so reconciliation also finds a send whose record was
     * lost (a write acknowledged by a Redis master just before a failover).
     */
    @SuppressWarnings("rawtypes")
    static final RedisScript<List> CLAIM = RedisScript.of(states(COMMON + """
            local claimed = {}
            local moved, finals = 0, 0
            local canceled = rs[5] == 'canceled'
            for i = tonumber(ARGV[1]), tonumber(ARGV[2]) - 1 do
              local idx = tostring(i)
              local cur = redis.call('HGET', KEYS[1], idx)
              if cur == $queued' and not canceled then
                redis.call('HSET', KEYS[1], idx, $sending')
                redis.call('ZADD', KEYS[5], ARGV[3], idx)
                redis.call('HINCRBY', KEYS[4], 'c:' .. chan(i) .. ':queued', -1)
                redis.call('HINCRBY', KEYS[4], 'c:' .. chan(i) .. ':sending', 1)
                moved = moved + 1
                table.insert(claimed, idx)
              elseif cur == $sending' and redis.call('HEXISTS', KEYS[2], idx) == 0 then
                if canceled then
                  redis.call('ZREM', KEYS[5], idx)
                  redis.call('HSET', KEYS[1], idx, $canceled')
                  redis.call('HINCRBY', KEYS[4], 'c:' .. chan(i) .. ':sending', -1)
                  redis.call('HINCRBY', KEYS[4], 'c:' .. chan(i) .. ':canceled', 1)
                  redis.call('HINCRBY', KEYS[4], 'final:' .. chan(i), 1)
                  finals = finals + 1
                else
                  redis.call('ZADD', KEYS[5], ARGV[3], idx)
                  table.insert(claimed, idx)
                end
              end
            end
            finish(finals, ARGV[3])
            if #claimed > 0 and redis.call('PTTL', KEYS[5]) == -1 then
              local ttl = redis.call('PTTL', KEYS[4])
              if ttl > 0 then redis.call('PEXPIRE', KEYS[5], ttl) end
            end
            if moved > 0 or finals > 0 then redis.call('PUBLISH', ARGV[4], $sending') end
            return claimed
            """), List.class);

    /** KEYS: meta. ARGV: channel, batch size. Takes the next index range of a channel, or nothing. */
    @SuppressWarnings("rawtypes")
    static final RedisScript<List> NEXT_BATCH = RedisScript.of(states("""
            local m = redis.call('HMGET', KEYS[1], 'state', 'range:' .. ARGV[1], 'next:' .. ARGV[1])
            if m[1] == 'canceled' or not m[2] then return {} end
            local a, b = string.match(m[2], '(%d+),(%d+)')
            b = tonumber(b)
            local nxt = tonumber(m[3] or a)
            if nxt >= b then return {} end
            local e = math.min(nxt + tonumber(ARGV[2]), b)
            redis.call('HSET', KEYS[1], 'next:' .. ARGV[1], e)
            return {tostring(nxt), tostring(e)}
            """), List.class);

    /** KEYS: st, pid, why, meta. ARGV: now ms, pub/sub channel. Cancels every still-queued delivery. */
    static final RedisScript<Long> CANCEL = RedisScript.of(states(COMMON + """
            if not rs[5] then return -2 end
            if rs[5] == 'done' or rs[5] == 'canceled' then return -1 end
            redis.call('HSET', KEYS[4], 'state', 'canceled', 'canceled_at', ARGV[1])
            rs[5] = 'canceled'
            local all = redis.call('HGETALL', KEYS[1])
            local n = 0
            for i = 1, #all, 2 do
              if all[i + 1] == $queued' then
                local ch = chan(tonumber(all[i]))
                redis.call('HSET', KEYS[1], all[i], $canceled')
                redis.call('HINCRBY', KEYS[4], 'c:' .. ch .. ':queued', -1)
                redis.call('HINCRBY', KEYS[4], 'c:' .. ch .. ':canceled', 1)
                redis.call('HINCRBY', KEYS[4], 'final:' .. ch, 1)
                n = n + 1
              end
            end
            finish(n, ARGV[1])
            redis.call('PUBLISH', ARGV[2], 'canceled')
            return n
            """), Long.class);
}
