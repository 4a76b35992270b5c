package dev.apiary.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a request may leave behind in the running suite: every Redis key with its type and size (entries of a stream,
 * fields of a hash, members of a set...: an XADD to an existing queue changes it), and every file under the pdf data
 * dir and nginx's temp dirs (client bodies, proxied answers) with its size. Two snapshots are compared with
 * {@link #changesSince}.
 *
 * <p>What happens on the services' own clock is not blamed on a probe: a key that was due to expire between the two
 * snapshots (by its TTL) may be gone, and maintenance locks ({@code apiary:<service>:lock:*}, e.g. alert-service's
 * reconcile lock, which holds no data) are left out. Indexes that a service trims on its own clock
 * ({@link #TRIMMED_ON_OWN_CLOCK}) may shrink or vanish between the snapshots; a probe that adds to one is still seen.
 *
 * @param redis      key -> "type size"
 * @param files      path relative to the state dir -> size in bytes
 * @param expiresAt  key -> when it expires (epoch ms), for keys with a TTL
 * @param capturedAt when the snapshot was taken (epoch ms)
 */
record SuiteState(SortedMap<String, String> redis, SortedMap<String, Long> files, Map<String, Long> expiresAt,
                  long capturedAt) {

    /** Every key with its type, size and remaining TTL in ms (-1: none), in one round trip (the suite's Redis is small). */
    private static final String KEYS_SCRIPT = """
            local out = {}
            for _, k in ipairs(redis.call('KEYS', '*')) do
              if not string.match(k, '^apiary:[^:]+:lock:') then
                local t = redis.call('TYPE', k).ok
                local n = 0
                if t == 'string' then n = redis.call('STRLEN', k)
                elseif t == 'hash' then n = redis.call('HLEN', k)
                elseif t == 'list' then n = redis.call('LLEN', k)
                elseif t == 'set' then n = redis.call('SCARD', k)
                elseif t == 'zset' then n = redis.call('ZCARD', k)
                elseif t == 'stream' then n = redis.call('XLEN', k) end
                out[#out + 1] = k .. ' ' .. t .. ' ' .. n .. ' ' .. redis.call('PTTL', k)
              end
            end
            return out
            """;

    /**
     * Indexes a service trims by itself: alert-service's reconciler retires finished alerts from
     * {@code apiary:alert:active} once a minute, which can fall between two snapshots of a probe.
     */
    static final List<String> TRIMMED_ON_OWN_CLOCK = List.of("apiary:alert:active");

    /** The directories a probe must not write to, relative to the suite's state dir. */
    static final List<String> WATCHED_DIRS = List.of("pdf-data", "nginx/tmp");

    static SuiteState capture(Suite suite) {
        long now = System.currentTimeMillis();
        SortedMap<String, String> keys = new TreeMap<>();
        Map<String, Long> expiresAt = new HashMap<>();
        for (String line : redisLines(suite.redisPort())) {
            // "<key> <type> <size> <pttl>"; a key may contain spaces, the last three fields cannot
            int ttlAt = line.lastIndexOf(' ');
            int typeAt = line.lastIndexOf(' ', line.lastIndexOf(' ', ttlAt - 1) - 1);
            String key = line.substring(0, typeAt);
            keys.put(key, line.substring(typeAt + 1, ttlAt));
            long pttl = Long.parseLong(line.substring(ttlAt + 1));
            if (pttl >= 0) expiresAt.put(key, now + pttl);
        }
        return new SuiteState(keys, files(suite.stateDir()), expiresAt, now);
    }

    /** Same keys (type, size) and files; TTLs and times aside. */
    boolean sameAs(SuiteState other) {
        return redis.equals(other.redis) && files.equals(other.files);
    }

    /**
     * A snapshot once the suite is quiet: the same twice in a row, a second apart (work of earlier tests still
     * settling would otherwise be blamed on the probe).
     */
    static SuiteState quiet(Suite suite) {
        SuiteState previous = capture(suite);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            Suite.sleep(1000);
            SuiteState now = capture(suite);
            if (now.sameAs(previous)) return now;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the suite did not settle in 90 s: " + now.changesSince(previous));
            }
            previous = now;
        }
    }

    /** What differs from an earlier snapshot, for an assertion message; empty when nothing does. */
    List<String> changesSince(SuiteState before) {
        List<String> changes = new ArrayList<>();
        SortedMap<String, String> beforeKeys = new TreeMap<>(before.redis);
        // expired by its TTL between the snapshots (1 s for Redis's lazy/active expiry to catch up): not a change
        beforeKeys.keySet().removeIf(k -> !redis.containsKey(k) && before.expiresAt.containsKey(k)
                && before.expiresAt.get(k) <= capturedAt + 1000);
        SortedMap<String, String> afterKeys = new TreeMap<>(redis);
        // trimmed by its service (fewer members, or none left): not a change; more members still are
        for (String k : TRIMMED_ON_OWN_CLOCK) {
            if (beforeKeys.containsKey(k)
                    && (!redis.containsKey(k) || size(redis.get(k)) < size(beforeKeys.get(k)))) {
                beforeKeys.remove(k);
                afterKeys.remove(k);
            }
        }
        diff("redis", beforeKeys, afterKeys, changes);
        diff("file", before.files, files, changes);
        return changes;
    }

    /** The size of a "type size" entry. */
    private static long size(String typeAndSize) {
        return Long.parseLong(typeAndSize.substring(typeAndSize.indexOf(' ') + 1));
    }

    private static <V> void diff(String what, Map<String, V> before, Map<String, V> after, List<String> out) {
        before.forEach((k, v) -> {
            if (!after.containsKey(k)) out.add(what + " removed: " + k + " (" + v + ")");
            else if (!after.get(k).equals(v)) out.add(what + " changed: " + k + " " + v + " -> " + after.get(k));
        });
        after.forEach((k, v) -> {
            if (!before.containsKey(k)) out.add(what + " added: " + k + " (" + v + ")");
        });
    }

    private static List<String> redisLines(int port) {
        try {
            Process p = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port), "--raw",
                    "EVAL", KEYS_SCRIPT, "0").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.startsWith("ERR")) {
                throw new IllegalStateException("redis-cli EVAL failed: " + out);
            }
            return out.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-cli (apt-get install redis-tools)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static SortedMap<String, Long> files(Path state) {
        SortedMap<String, Long> files = new TreeMap<>();
        for (String dir : WATCHED_DIRS) {
            Path root = state.resolve(dir);
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(Files::isRegularFile).forEach(f -> {
                    try {
                        files.put(state.relativize(f).toString(), Files.size(f));
                    } catch (IOException gone) {
                        // deleted while walking (a temp file): the next snapshot decides
                        files.put(state.relativize(f).toString(), -1L);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }
}
