package dev.apiary.gradebook.bench;

import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;
import dev.apiary.gradebook.cache.SectionCache;
import dev.apiary.gradebook.calc.SectionSource;
import dev.apiary.gradebook.events.ChangeEvents;
import dev.apiary.gradebook.support.LegacyStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1,000 score events/s on Redis while clients read over HTTP (issue 5): every event is applied
 * (patched in place), and no read that starts after an event was applied shows the old score.
 * Each section has a probe cell whose score only grows; a monitor notes when the cache first holds
 * each probe value, readers note what they read and when they started. Run by bench/gradebook/run-events.sh.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EventsUnderLoadBench {

    static final LegacyStandIn legacy = new LegacyStandIn();
    static final int SECTIONS = 10;
    static final int RATE = Integer.getInteger("bench.events.rate", 1000);
    static final int SECONDS = Integer.getInteger("bench.events.seconds", 15);
    static final int READERS = Integer.getInteger("bench.events.readers", 4);

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
        r.add("apiary.gradebook.legacy-base-url", legacy::baseUrl);
        r.add("logging.level.root", () -> "warn");
    }

    @AfterAll
    static void stop() {
        legacy.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    StringRedisTemplate redis;
    @Autowired
    ChangeEvents events;
    @Autowired
    SectionCache cache;

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Read(long startNanos, long value, long latencyNanos) {}

    @Test
    void thousandEventsPerSecondWhileReading() throws Exception {
        Await.until(Duration.ofSeconds(10), "subscribed", () -> events.subscriptions() >= 1);
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        JsonMapper json = JsonMapper.builder().build();
        long[] probeStudent = new long[SECTIONS];
        long[] probeAssignment = new long[SECTIONS];
        List<SectionSource> srcs = new ArrayList<>();
        for (int s = 0; s < SECTIONS; s++) {
            SectionSource src = legacy.generated(900 + s, 40, 80);
            srcs.add(src);
            probeStudent[s] = src.students().get(0).id();
            probeAssignment[s] = src.assignments().get(4).id();   // a 100-point test
            get(http, 900 + s, probeStudent[s]);
        }
        long baseApplied = events.applied();
        int total = RATE * SECONDS;
        long[] appliedAt = new long[total];                      // when the cache first held probe event k
        long[] publishedAt = new long[total];
        AtomicLongArray latestProbe = new AtomicLongArray(SECTIONS);
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<long[]> probes = new ConcurrentLinkedQueue<>();  // {k, section, value}
        List<ConcurrentLinkedQueue<Read>> reads = new ArrayList<>();
        for (int s = 0; s < SECTIONS; s++) reads.add(new ConcurrentLinkedQueue<>());

        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // readers: one student endpoint per section, as fast as they can
            for (int r = 0; r < READERS; r++) {
                int seed = r;
                pool.submit(() -> {
                    Random rnd = new Random(seed);
                    while (running.get()) {
                        int s = rnd.nextInt(SECTIONS);
                        long t0 = System.nanoTime();
                        long v = get(http, 900 + s, probeStudent[s]).applyAsLong(probeAssignment[s]);
                        reads.get(s).add(new Read(t0, v, System.nanoTime() - t0));
                    }
                    return null;
                });
            }
            // monitor: when does the cache first hold each probe value?
            pool.submit(() -> {
                while (running.get() || !probes.isEmpty()) {
                    long[] p = probes.peek();
                    if (p == null) {
                        LockSupport.parkNanos(100_000);
                        continue;
                    }
                    int s = (int) p[1];
                    var c = cache.peek(900 + s);
                    var e = c.isPresent() ? c.get().gradebook().scoreEntry(probeStudent[s], probeAssignment[s]) : null;
                    if (e != null && e.score() != null && e.score().longValue() >= p[2]) {
                        appliedAt[(int) p[0]] = System.nanoTime();
                        probes.poll();
                    } else if (System.nanoTime() - publishedAt[(int) p[0]] > 5_000_000_000L) {
                        probes.poll();                                  // lost: counted below
                    } else {
                        LockSupport.parkNanos(50_000);
                    }
                }
                return null;
            });
            // publishers: RATE events/s from one thread per section (so each section's events stay in order);
            // every 10th event of a section is a probe (growing value), the rest random cells
            long start = System.nanoTime();
            long interval = 1_000_000_000L / RATE;
            List<java.util.concurrent.Future<?>> pubs = new ArrayList<>();
            for (int owner = 0; owner < SECTIONS; owner++) {
                int h = owner;
                pubs.add(pool.submit(() -> {
                    Random rnd = new Random(7 + h);
                    for (int k = 0; k < total; k++) {
                        int s = k % SECTIONS;
                        if (s != h) continue;
                        long due = start + k * interval;
                        long wait = due - System.nanoTime();
                        if (wait > 0) LockSupport.parkNanos(wait);
                        SectionSource src = srcs.get(s);
                        String event;
                        if ((k / SECTIONS) % 10 == 0) {
                            long v = latestProbe.incrementAndGet(s);      // only grows (extra credit beyond 100 is fine)
                            event = "{\"section_id\":" + (900 + s) + ",\"kind\":\"score\",\"student_id\":" + probeStudent[s]
                                    + ",\"assignment_id\":" + probeAssignment[s] + ",\"score\":" + v + ",\"excused\":false,\"missing\":false}";
                            publishedAt[k] = System.nanoTime();
                            probes.add(new long[] {k, s, v});
                        } else {
                            long st = src.students().get(1 + rnd.nextInt(39)).id();
                            var a = src.assignments().get(rnd.nextInt(80));
                            BigDecimal v = BigDecimal.valueOf(rnd.nextInt(a.pointsPossible().intValue() * 2 + 1), 1);
                            event = "{\"section_id\":" + (900 + s) + ",\"kind\":\"score\",\"student_id\":" + st
                                    + ",\"assignment_id\":" + a.id() + ",\"score\":" + v.toPlainString() + ",\"excused\":false,\"missing\":false}";
                            publishedAt[k] = System.nanoTime();
                        }
                        redis.convertAndSend("apiary:gradebook:changes", event);
                    }
                    return null;
                }));
            }
            for (var f : pubs) f.get();
            double pubSeconds = (System.nanoTime() - start) / 1e9;
            Await.until(Duration.ofSeconds(30), "all events applied", () -> events.applied() - baseApplied >= total);
            running.set(false);
            Await.until(Duration.ofSeconds(10), "probes settled", probes::isEmpty);
            pool.shutdown();

            // verdict: a read that started after probe k was applied must show value >= v_k (probe values only grow)
            long violations = 0, checked = 0, lost = 0;
            List<Long> lag = new ArrayList<>();
            List<Long> latencies = new ArrayList<>();
            for (var q : reads) for (Read r : q) latencies.add(r.latencyNanos());
            for (int k = 0; k < total; k++) {
                if ((k / SECTIONS) % 10 != 0) continue;
                if (appliedAt[k] == 0) {
                    lost++;
                    continue;
                }
                lag.add(appliedAt[k] - publishedAt[k]);
            }
            for (int s = 0; s < SECTIONS; s++) {
                // probe values of section s in publish order with their applied times
                List<long[]> seq = new ArrayList<>();   // {appliedAt, value}
                long v = 0;
                for (int k = s; k < total; k += SECTIONS) {
                    if ((k / SECTIONS) % 10 != 0) continue;
                    long value = ++v;
                    if (appliedAt[k] != 0) seq.add(new long[] {appliedAt[k], value});
                }
                for (Read r : reads.get(s)) {
                    // the newest probe applied before this read started
                    long expected = -1;
                    int lo = 0, hi = seq.size() - 1, idx = -1;
                    while (lo <= hi) {
                        int mid = (lo + hi) >>> 1;
                        if (seq.get(mid)[0] < r.startNanos()) { idx = mid; lo = mid + 1; } else hi = mid - 1;
                    }
                    if (idx < 0) continue;
                    expected = seq.get(idx)[1];
                    checked++;
                    if (r.value() < expected) violations++;
                }
            }
            long applied = events.applied() - baseApplied;
            String text = String.format("""
                    published %d score events in %.1f s (%.0f/s) on %d sections of 40x80; applied %d (patched in place)
                    probe apply lag (publish -> visible in the cache): p50 %.2f ms, p99 %.2f ms, max %.2f ms; lost probes %d
                    reads during the run: %d over HTTP (GET /sections/{id}/students/{id}, %d clients): %.0f/s, p50 %.2f ms, p99 %.2f ms
                    reads checked against the newest applied probe: %d; reads showing an older score: %d
                    legacy reads during the run: %d (events patch, never refetch)
                    """, total, pubSeconds, total / pubSeconds, SECTIONS, applied, pct(lag, 50) / 1e6, pct(lag, 99) / 1e6,
                    pct(lag, 100) / 1e6, lost, latencies.size(), READERS, latencies.size() / pubSeconds, pct(latencies, 50) / 1e6,
                    pct(latencies, 99) / 1e6, checked, violations,
                    Arrays.stream(new int[SECTIONS]).map(i -> 0).sum() + sumReads() - SECTIONS);
            BenchOutput.write("events", text);
            assertThat(violations).isZero();
            assertThat(applied).isGreaterThanOrEqualTo(total);
        }
    }

    private static int sumReads() {
        int n = 0;
        for (int s = 0; s < SECTIONS; s++) n += legacy.reads(900 + s);
        return n;
    }

    private static double pct(List<Long> v, int p) {
        if (v.isEmpty()) return 0;
        List<Long> s = new ArrayList<>(v);
        s.sort(null);
        int i = Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1);
        return s.get(Math.max(0, i));
    }

    /** GET one student; returns a lookup of that student's score by assignment id (-1 if none). */
    private java.util.function.LongUnaryOperator get(HttpClient http, long section, long student) {
        try {
            var res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/gradebook/v1/sections/"
                    + section + "/students/" + student)).header("Authorization", "Bearer dev-key").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode j = JSON.readTree(res.body());
            return aid -> {
                for (JsonNode sc : j.get("scores")) {
                    if (sc.get("assignment_id").longValue() == aid) {
                        return sc.get("score").isNull() ? -1 : sc.get("score").decimalValue().longValue();
                    }
                }
                return -1;
            };
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
