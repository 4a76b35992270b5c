package dev.apiary.gradebook.api;

import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;
import dev.apiary.gradebook.cache.SectionCache;
import dev.apiary.gradebook.calc.GradeCalculator;
import dev.apiary.gradebook.calc.Gradebook;
import dev.apiary.gradebook.calc.SectionSource;
import dev.apiary.gradebook.events.ChangeEvents;
import dev.apiary.gradebook.support.Http;
import dev.apiary.gradebook.support.LegacyStandIn;
import dev.apiary.gradebook.support.SampleSections;
import dev.apiary.gradebook.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The service end to end: real HTTP, real Redis, a real HTTP legacy stand-in. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GradebookApiTest {

    static final LegacyStandIn legacy = new LegacyStandIn();
    static final String KEY = "dev-key";

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
        r.add("apiary.gradebook.legacy-base-url", legacy::baseUrl);
        r.add("apiary.gradebook.read-timeout", () -> "800ms");
        r.add("apiary.gradebook.connect-timeout", () -> "500ms");
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
    ChangeEvents changeEvents;
    @Autowired
    SectionCache cache;
    @Autowired
    RedisMessageListenerContainer listeners;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        Await.until(Duration.ofSeconds(10), "subscribed to change events", () -> changeEvents.subscriptions() >= 1);
    }

    @Autowired
    tools.jackson.databind.json.JsonMapper json;
    @Autowired
    dev.apiary.gradebook.view.SectionJson sectionJson;

    /** The hand-written section writer must produce exactly what Jackson writes for the view records. */
    @Test
    void handWrittenSectionJsonIsJacksonsSerializationByteForByte() {
        var nulls = new SectionSource(new SectionSource.SectionInfo(298, null, "Nulls \"quoted\" ü", null), "percent", null,
                new SectionSource.LatePolicy(true, new BigDecimal("12.5")),
                List.of(new SectionSource.Group(2980, "No weight", null, new SectionSource.DropRules(0, 1, List.of(29801L))),
                        new SectionSource.Group(2981, "Tests", new BigDecimal("60"), SectionSource.DropRules.NONE)),
                List.of(new SectionSource.Assignment(29801, 2980, "A1", null, false),
                        new SectionSource.Assignment(29802, 2980, "A2", new BigDecimal("10.50"), true),
                        new SectionSource.Assignment(29803, 2981, "T1 1/2 \u0001\u007f", new BigDecimal("1E+2"), false)),
                List.of(new SectionSource.Student(1, "Αλέξης Παπαδόπουλος"), new SectionSource.Student(2, "Иван \"Ваня\" Петров\t😀\u2028\\")),
                List.of(new SectionSource.Score(1, 29802, new BigDecimal("9.25"), false, false),
                        new SectionSource.Score(1, 29803, null, false, true),
                        new SectionSource.Score(2, 29801, null, true, false),
                        new SectionSource.Score(2, 29803, new BigDecimal("88"), false, false)));
        for (SectionSource src : List.of(SampleSections.generate(7, 40, 80), SampleSections.small(299), nulls)) {
            Gradebook gb = Gradebook.of(src);
            var cached = dev.apiary.gradebook.cache.CachedSection.fetched(gb).patched(gb);
            for (boolean scores : new boolean[] {false, true}) {
                String expected = json.writeValueAsString(dev.apiary.gradebook.view.ReferenceSectionView.section(cached, scores));
                String actual = new String(sectionJson.write(gb, scores, cached.fetchedAt(), cached.patchedAt(),
                        cached.age().toSeconds()), StandardCharsets.UTF_8);
                assertThat(actual).as("section %d, scores %s", src.section().id(), scores).isEqualTo(expected);
            }
            assertThat(new String(sectionJson.write(gb, false, null, null, null), StandardCharsets.UTF_8))
                    .isEqualTo(json.writeValueAsString(dev.apiary.gradebook.view.ReferenceSectionView.section(gb, false)));
        }
    }

    static JsonNode student(JsonNode section, long id) {
        for (JsonNode s : section.get("students")) if (s.get("id").longValue() == id) return s;
        throw new AssertionError("no student " + id);
    }

    // --- reads

    @Test
    void sectionIsComputedFromCachedSourceAndSaysHowOldItIs() {
        legacy.section(SampleSections.small(201));
        var r = http.get("/api/gradebook/v1/sections/201", KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Cache")).contains("miss");
        assertThat(r.headers().firstValue("Age")).isPresent();
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode j = Http.json(r);
        assertThat(j.get("data_as_of").asString()).isNotBlank();
        assertThat(j.get("age_seconds").asLong()).isEqualTo(Long.parseLong(r.headers().firstValue("Age").orElseThrow()));
        // the definition in the source format (snake_case), for clients such as the UI
        assertThat(j.get("section").get("id").longValue()).isEqualTo(201);
        assertThat(j.get("weighting").asString()).isEqualTo("points");
        assertThat(j.get("groups").get(0).get("rules").get("drop_lowest").intValue()).isEqualTo(1);
        assertThat(j.get("assignments").get(1).get("points_possible").decimalValue()).isEqualByComparingTo("24");
        assertThat(j.get("assignments").get(1).get("group_id").longValue()).isEqualTo(2010);
        assertThat(j.get("grading_standard").get(0).get(0).asString()).isEqualTo("A");
        assertThat(j.get("grading_standard").get(0).get(1).decimalValue()).isEqualByComparingTo("0.9");
        JsonNode s1 = student(j, 1);
        assertThat(s1.get("current").get("percent").decimalValue()).isEqualByComparingTo("76.00");
        assertThat(s1.get("current").get("letter").asString()).isEqualTo("C");
        assertThat(s1.get("groups").get(0).get("current").get("dropped").get(0).longValue()).isEqualTo(20102L);
        JsonNode s2 = student(j, 2);
        assertThat(s2.get("current").get("percent").decimalValue()).isEqualByComparingTo("100");
        assertThat(s2.get("final").get("percent").decimalValue()).isEqualByComparingTo("80.00"); // 40/40 + 0/10, 0/24 dropped
        assertThat(j.has("scores")).as("score entries only on request").isFalse();

        var withScores = Http.json(http.get("/api/gradebook/v1/sections/201?scores=true", KEY));
        assertThat(withScores.get("scores").size()).isEqualTo(4);
        var gradesOnly = withScores;
        assertThat(student(gradesOnly, 1).get("current").get("percent").decimalValue()).isEqualByComparingTo("76.00");

        var again = http.get("/api/gradebook/v1/sections/201?scores=true", KEY);
        assertThat(again.headers().firstValue("X-Cache")).contains("hit");
        assertThat(legacy.reads(201)).isEqualTo(1);
        // numbers are plain JSON decimals: percentages with two decimals, points as entered
        assertThat(again.body()).contains("\"percent\":76.00").contains("\"score\":31,");

        var one = http.get("/api/gradebook/v1/sections/201/students/2", KEY);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(Http.json(one).get("final").get("percent").decimalValue()).isEqualByComparingTo("80.00");
        assertThat(Http.json(one).get("scores").size()).isEqualTo(1);
        assertThat(http.get("/api/gradebook/v1/sections/201/students/9", KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void generatedSectionMatchesTheCalculator() {
        SectionSource src = legacy.generated(202, 40, 80);
        var r = http.get("/api/gradebook/v1/sections/202", KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = Http.json(r);
        var expected = GradeCalculator.calculateAll(Gradebook.of(src));
        assertThat(j.get("students").size()).isEqualTo(40);
        for (int i = 0; i < expected.size(); i++) {
            var e = expected.get(i);
            JsonNode a = j.get("students").get(i);
            assertThat(a.get("id").longValue()).isEqualTo(e.id());
            assertThat(a.get("final").get("percent").decimalValue()).isEqualByComparingTo(e.finalGrade().percent());
            assertThat(a.get("final").get("letter").asString()).isEqualTo(e.finalGrade().letter());
        }
    }

    @Test
    void concurrentMissesMakeOneUpstreamCall() throws Exception {
        legacy.section(SampleSections.small(203));
        legacy.delayReads(203, 300);
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 16; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return http.get("/api/gradebook/v1/sections/203", KEY).statusCode();
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        go.countDown();
        for (var c : calls) assertThat(c.get(20, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(legacy.reads(203)).isEqualTo(1);
    }

    // --- upstream failures

    @Test
    void unknownSectionIs404() {
        var r = http.get("/api/gradebook/v1/sections/404404", KEY);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
    }

    @Test
    void legacyErrorIs502AndNothingIsCached() {
        legacy.section(SampleSections.small(205));
        legacy.failReads(205, 500);
        var r = http.get("/api/gradebook/v1/sections/205", KEY);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(Http.json(r).get("detail").asString()).contains("HTTP 500");
        legacy.reset(205);
        assertThat(http.get("/api/gradebook/v1/sections/205", KEY).statusCode()).isEqualTo(200);
        assertThat(legacy.reads(205)).isEqualTo(2);
    }

    @Test
    void legacyTimeoutIs504() {
        legacy.section(SampleSections.small(206));
        legacy.delayReads(206, 2000);
        var r = http.get("/api/gradebook/v1/sections/206", KEY);
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(Http.json(r).get("title").asString()).isEqualTo("Gateway timeout");
        legacy.reset(206);
    }

    @Test
    void unreachableLegacyIs502() {
        // nothing cached, stand-in answers nothing: use a raw non-JSON body as a protocol failure instead
        legacy.rawBody(207, "<html>oops</html>");
        var r = http.get("/api/gradebook/v1/sections/207", KEY);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(Http.json(r).get("detail").asString()).contains("malformed").contains("not valid JSON");
    }

    @Test
    void malformedSourceIs502NamingTheFieldAndCachesNothing() {
        SectionSource s = SampleSections.small(208);
        legacy.section(s);
        String bad = SampleSections.json(s).replace("\"points_possible\":24", "\"points_possible\":\"ten\"");
        legacy.rawBody(208, bad);
        var r = http.get("/api/gradebook/v1/sections/208", KEY);
        assertThat(r.statusCode()).isEqualTo(502);
        JsonNode p = Http.json(r);
        assertThat(p.get("detail").asString()).contains("assignments[1].points_possible").contains("must be a number");
        assertThat(p.get("upstream_field").asString()).isEqualTo("assignments[1].points_possible");
        assertThat(cache.peek(208)).isEmpty();
        // unknown references are malformed too
        legacy.rawBody(208, SampleSections.json(s).replace("\"group_id\":2080,", "\"group_id\":9,"));
        var r2 = http.get("/api/gradebook/v1/sections/208", KEY);
        assertThat(r2.statusCode()).isEqualTo(502);
        assertThat(Http.json(r2).get("detail").asString()).contains("group_id").contains("unknown group 9");
        legacy.reset(208);
        assertThat(http.get("/api/gradebook/v1/sections/208", KEY).statusCode()).isEqualTo(200);
        assertThat(legacy.reads(208)).isEqualTo(3);
    }

    // --- auth

    @Test
    void teachersSeeOnlyTheirSections() {
        legacy.section(SampleSections.small(211));
        legacy.section(SampleSections.small(212));
        String t = Tokens.teacher(211);
        assertThat(http.get("/api/gradebook/v1/sections/211", t).statusCode()).isEqualTo(200);
        var denied = http.get("/api/gradebook/v1/sections/212", t);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(http.put("/api/gradebook/v1/sections/212/scores", t,
                "{\"student_id\":1,\"assignment_id\":21201,\"score\":5}").statusCode()).isEqualTo(403);
        assertThat(http.get("/api/gradebook/v1/sections/212", Tokens.admin()).statusCode()).isEqualTo(200);
        assertThat(legacy.writes.stream().noneMatch(w -> w.get("assignment_id").longValue() == 21201)).isTrue();
    }

    @Test
    void expiredForgedOrMissingTokensAre401() {
        legacy.section(SampleSections.small(213));
        var expired = http.get("/api/gradebook/v1/sections/213", Tokens.mint(Tokens.SECRET, "teacher", Duration.ofSeconds(-5), 213));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(Http.json(expired).get("detail").asString()).contains("expired");
        var forged = http.get("/api/gradebook/v1/sections/213",
                Tokens.mint("another-secret-of-at-least-32-bytes-long!!", "teacher", Duration.ofMinutes(5), 213));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        var wrongRole = http.get("/api/gradebook/v1/sections/213", Tokens.mint(Tokens.SECRET, "student", Duration.ofMinutes(5), 213));
        assertThat(wrongRole.statusCode()).isEqualTo(401);
        assertThat(http.get("/api/gradebook/v1/sections/213", null).statusCode()).isEqualTo(401);
        assertThat(http.get("/api/gradebook/v1/sections/213", "not-a-key").statusCode()).isEqualTo(401);
        assertThat(legacy.reads(213)).isZero();
    }

    // --- writes

    @Test
    void scoreWriteGoesThroughLegacyPatchesTheCacheAndPublishes() throws Exception {
        legacy.section(SampleSections.small(221));
        http.get("/api/gradebook/v1/sections/221", KEY);
        BlockingQueue<String> published = subscribe();
        var r = http.put("/api/gradebook/v1/sections/221/scores", Tokens.teacher(221),
                "{\"student_id\":2,\"assignment_id\":22102,\"score\":24,\"excused\":false}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = Http.json(r);
        assertThat(j.get("student").get("current").get("percent").decimalValue()).isEqualByComparingTo("100");
        assertThat(j.get("student").get("final").get("percent").decimalValue()).isEqualByComparingTo("100"); // 64/64, 0/10 dropped
        assertThat(j.get("score").get("score").decimalValue()).isEqualByComparingTo("24");
        JsonNode w = legacy.writes.getLast();
        assertThat(w.get("student_id").longValue()).isEqualTo(2);
        assertThat(w.get("score").decimalValue()).isEqualByComparingTo("24");
        // cache patched, no refetch
        var after = Http.json(http.get("/api/gradebook/v1/sections/221", KEY));
        assertThat(student(after, 2).get("final").get("percent").decimalValue()).isEqualByComparingTo("100");
        assertThat(legacy.reads(221)).isEqualTo(1);
        String event = published.poll(5, TimeUnit.SECONDS);
        assertThat(event).isNotNull().contains("\"section_id\":221").contains("\"kind\":\"score\"").contains("\"assignment_id\":22102");
    }

    @Test
    void invalidWritesAre400AndTouchNothing() {
        legacy.section(SampleSections.small(222));
        String t = Tokens.teacher(222);
        int before = legacy.writes.size();
        var neg = http.put("/api/gradebook/v1/sections/222/scores", t, "{\"student_id\":1,\"assignment_id\":22201,\"score\":-1}");
        assertThat(neg.statusCode()).isEqualTo(400);
        assertThat(Http.json(neg).get("errors").get(0).get("field").asString()).isEqualTo("score");
        var text = http.put("/api/gradebook/v1/sections/222/scores", t, "{\"student_id\":1,\"assignment_id\":22201,\"score\":\"ten\"}");
        assertThat(text.statusCode()).isEqualTo(400);
        assertThat(Http.json(text).get("detail").asString()).contains("score");
        var unknown = http.put("/api/gradebook/v1/sections/222/scores", t, "{\"student_id\":99,\"assignment_id\":1,\"score\":3}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("student_id").contains("assignment_id");
        var missing = http.put("/api/gradebook/v1/sections/222/scores", t, "{\"score\":3}");
        assertThat(missing.statusCode()).isEqualTo(400);
        var broken = http.put("/api/gradebook/v1/sections/222/scores", t, "{\"score\":");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(legacy.writes.size()).isEqualTo(before);
    }

    @Test
    void legacyWriteFailureChangesNothing() {
        legacy.section(SampleSections.small(223));
        http.get("/api/gradebook/v1/sections/223", KEY);
        legacy.failWrites(500);
        try {
            var r = http.put("/api/gradebook/v1/sections/223/scores", KEY, "{\"student_id\":1,\"assignment_id\":22303,\"score\":10}");
            assertThat(r.statusCode()).isEqualTo(502);
        } finally {
            legacy.failWrites(200);
        }
        var after = Http.json(http.get("/api/gradebook/v1/sections/223", KEY));
        assertThat(student(after, 1).get("current").get("percent").decimalValue()).isEqualByComparingTo("76.00");
        legacy.failWrites(400);
        try {
            var r = http.put("/api/gradebook/v1/sections/223/scores", KEY, "{\"student_id\":1,\"assignment_id\":22303,\"score\":10}");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(Http.json(r).get("detail").asString()).contains("write refused");
        } finally {
            legacy.failWrites(200);
        }
    }

    // --- change events

    @Test
    void scoreEventPatchesInPlaceAndOtherKindsEvict() {
        legacy.section(SampleSections.small(231));
        http.get("/api/gradebook/v1/sections/231", KEY);
        redis.convertAndSend("apiary:gradebook:changes",
                "{\"section_id\":231,\"kind\":\"score\",\"student_id\":1,\"assignment_id\":23102,\"score\":24,\"excused\":false,\"missing\":false}");
        Await.until(Duration.ofSeconds(5), "score event applied", () -> {
            JsonNode j = Http.json(http.get("/api/gradebook/v1/sections/231", KEY));
            return student(j, 1).get("current").get("percent").decimalValue().compareTo(new BigDecimal("91.18")) == 0;   // 24/24 + 7/10, 31/40 dropped
        });
        assertThat(legacy.reads(231)).isEqualTo(1);       // patched, not refetched
        redis.convertAndSend("apiary:gradebook:changes", "{\"section_id\":231,\"kind\":\"roster\"}");
        Await.until(Duration.ofSeconds(5), "roster event evicted", () -> cache.peek(231).isEmpty());
        http.get("/api/gradebook/v1/sections/231", KEY);
        assertThat(legacy.reads(231)).isEqualTo(2);
        // garbage on the channel is ignored
        redis.convertAndSend("apiary:gradebook:changes", "not json");
        redis.convertAndSend("apiary:gradebook:changes", "{\"section_id\":\"x\"}");
        assertThat(http.get("/api/gradebook/v1/sections/231", KEY).statusCode()).isEqualTo(200);
    }

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void theLegacyCallsJoinTheRequestsTrace() {
        legacy.section(SampleSections.small(237));
        String traceId = "5af7651916cd43dd8448eb211c80319c";
        var read = http.get("/api/gradebook/v1/sections/237", KEY,
                "traceparent", "00-" + traceId + "-b7ad6b7169203331-01");
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        // the fetch runs on a cache loader thread: it still carries the request's trace
        assertThat(legacy.traces).anySatisfy(t -> assertThat(t)
                .startsWith("GET /api/v1/sections/237/gradebook 00-" + traceId + "-"));
    }

    @Test
    void theApplyLagIsMeasuredFromTheEventsPublishedAt() {
        legacy.section(SampleSections.small(236));
        http.get("/api/gradebook/v1/sections/236", KEY);
        var lag = meters.get("apiary.gradebook.event.apply.lag").timer();
        long before = lag.count();
        double sumBefore = lag.totalTime(java.util.concurrent.TimeUnit.SECONDS);
        String published = java.time.Instant.now().minusSeconds(3).toString();
        redis.convertAndSend("apiary:gradebook:changes", "{\"section_id\":236,\"kind\":\"score\",\"student_id\":1,"
                + "\"assignment_id\":23602,\"score\":20,\"excused\":false,\"missing\":false,\"published_at\":\""
                + published + "\"}");
        Await.until(Duration.ofSeconds(5), "the lag recorded", () -> lag.count() == before + 1);
        assertThat(lag.totalTime(java.util.concurrent.TimeUnit.SECONDS) - sumBefore).isBetween(3.0, 8.0);
        // without published_at (an older publisher) or with garbage in it, nothing is recorded, and the event applies
        redis.convertAndSend("apiary:gradebook:changes", "{\"section_id\":236,\"kind\":\"roster\","
                + "\"published_at\":\"yesterday\"}");
        Await.until(Duration.ofSeconds(5), "roster event evicted", () -> cache.peek(236).isEmpty());
        assertThat(lag.count()).isEqualTo(before + 1);
    }

    @Test
    void sseStreamsScoreAndReloadEventsWithTokenInQuery() throws Exception {
        legacy.section(SampleSections.small(241));
        http.get("/api/gradebook/v1/sections/241", KEY);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest req = HttpRequest.newBuilder(URI.create(http.base() + "/api/gradebook/v1/sections/241/events?access_token="
                + Tokens.teacher(241))).header("Accept", "text/event-stream").GET().build();
        var fut = Http.client().sendAsync(req, HttpResponse.BodyHandlers.ofLines()).thenAccept(res -> {
            lines.add("status:" + res.statusCode());
            res.body().forEach(lines::add);
        });
        assertThat(take(lines, l -> l.startsWith("status:"))).isEqualTo("status:200");
        take(lines, l -> l.equals("event:ready"));
        redis.convertAndSend("apiary:gradebook:changes",
                "{\"section_id\":241,\"kind\":\"score\",\"student_id\":1,\"assignment_id\":24103,\"score\":10,\"excused\":false,\"missing\":false}");
        take(lines, l -> l.equals("event:score"));
        String data = take(lines, l -> l.startsWith("data:"));
        JsonNode ev = Http.JSON.readTree(data.substring(5));
        assertThat(ev.get("section_id").longValue()).isEqualTo(241);
        assertThat(ev.get("student").get("id").longValue()).isEqualTo(1);
        // 31/40 + 10/10 kept (17/24 dropped): 41/50 = 82 %
        assertThat(ev.get("student").get("current").get("percent").decimalValue()).isEqualByComparingTo("82.00");
        redis.convertAndSend("apiary:gradebook:changes", "{\"section_id\":241,\"kind\":\"assignment\"}");
        take(lines, l -> l.equals("event:reload"));
        fut.cancel(true);

        var denied = Http.client().send(HttpRequest.newBuilder(URI.create(http.base()
                + "/api/gradebook/v1/sections/242/events?access_token=" + Tokens.teacher(241))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(403);
    }

    @Test
    void aBrowsersStreamEndsWhenItsTokenExpires() throws Exception {
        legacy.section(SampleSections.small(243));
        http.get("/api/gradebook/v1/sections/243", KEY);
        long t0 = System.nanoTime();
        String token = Tokens.mint(Tokens.SECRET, "teacher", Duration.ofSeconds(4), 243);   // exp: 3-4 s from now
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest req = HttpRequest.newBuilder(URI.create(http.base() + "/api/gradebook/v1/sections/243/events?access_token="
                + token)).header("Accept", "text/event-stream").GET().build();
        Http.client().sendAsync(req, HttpResponse.BodyHandlers.ofLines()).thenAccept(res -> {
            lines.add("status:" + res.statusCode());
            res.body().forEach(lines::add);
            lines.add("<end of response>");
        });
        assertThat(take(lines, l -> l.startsWith("status:"))).isEqualTo("status:200");
        take(lines, l -> l.equals("event:ready"));
        take(lines, l -> l.equals("event:end"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(Http.JSON.readTree(take(lines, l -> l.startsWith("data:")).substring(5)).get("reason").asString())
                .isEqualTo("expired");
        take(lines, l -> l.equals("<end of response>"));
        assertThat(millis).as("ended at the token's expiry, not before").isGreaterThanOrEqualTo(2900);
    }

    // --- calculate, metrics

    @Test
    void calculateIsStateless() {
        String body = SampleSections.json(SampleSections.small(251));
        var r = http.post("/api/gradebook/v1/calculate", KEY, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(student(Http.json(r), 1).get("final").get("percent").decimalValue()).isEqualByComparingTo("76.00");
        assertThat(legacy.reads(251)).isZero();
        var bad = http.post("/api/gradebook/v1/calculate", KEY, body.replace("\"weight\":100", "\"weight\":-5"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.json(bad).get("field").asString()).isEqualTo("groups[0].weight");
        assertThat(Http.json(bad).get("detail").asString()).contains("must not be negative");
        var dup = http.post("/api/gradebook/v1/calculate", KEY, body.replace("{\"student_id\":2,", "{\"student_id\":1,"));
        assertThat(dup.statusCode()).isEqualTo(400);
    }

    @Test
    void cacheMetricsAreExported() {
        legacy.section(SampleSections.small(261));
        http.get("/api/gradebook/v1/sections/261", KEY);
        http.get("/api/gradebook/v1/sections/261", KEY);
        assertThat(http.get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        var r = http.get("/actuator/prometheus", "dev-ops-key");   // the dev-mode admin client
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("gradebook_cache_weighted_size_bytes").contains("gradebook_cache_hit_ratio")
                .contains("cache_gets_total{cache=\"gradebook.sections\"").contains("cache_evictions_total{cache=\"gradebook.sections\"");
    }

    /** Listens on the channel with a container (and connection) of its own, as another instance would. */
    private BlockingQueue<String> subscribe() {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        var c = new RedisMessageListenerContainer();
        c.setConnectionFactory(redis.getConnectionFactory());
        CountDownLatch subscribed = new CountDownLatch(1);
        class L implements MessageListener, org.springframework.data.redis.connection.SubscriptionListener {
            public void onMessage(Message m, byte[] p) {
                q.add(new String(m.getBody(), StandardCharsets.UTF_8));
            }

            public void onChannelSubscribed(byte[] ch, long n) {
                subscribed.countDown();
            }
        }
        c.addMessageListener(new L(), new ChannelTopic("apiary:gradebook:changes"));
        c.afterPropertiesSet();
        c.start();
        try {
            assertThat(subscribed.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        containers.add(c);
        return q;
    }

    final List<RedisMessageListenerContainer> containers = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void stopContainers() throws Exception {
        for (var c : containers) c.destroy();
    }

    private static String take(BlockingQueue<String> q, java.util.function.Predicate<String> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> seen = new CopyOnWriteArrayList<>();
        while (System.nanoTime() < deadline) {
            String l = q.poll(200, TimeUnit.MILLISECONDS);
            if (l == null) continue;
            if (p.test(l)) return l;
            seen.add(l);
        }
        throw new AssertionError("not seen in time; saw " + seen);
    }
}
