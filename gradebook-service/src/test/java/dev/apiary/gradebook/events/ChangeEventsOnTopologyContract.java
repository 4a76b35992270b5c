package dev.apiary.gradebook.events;

import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisNode;
import dev.apiary.gradebook.cache.SectionCache;
import dev.apiary.gradebook.calc.SectionSource;
import dev.apiary.gradebook.support.Http;
import dev.apiary.gradebook.support.LegacyStandIn;
import dev.apiary.gradebook.support.SampleSections;
import dev.apiary.gradebook.support.Tokens;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Change events on one Redis topology (the subclass points the service at it): a score change published on any node
 * patches the cached section in place (no refetch) and reaches the section's SSE stream.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // its own Redis: closed after the class, not cached beside the standalone context
abstract class ChangeEventsOnTopologyContract {

    static final long SECTION = 901;

    @LocalServerPort
    int port;
    @Autowired
    ChangeEvents events;
    @Autowired
    SectionCache cache;

    /** Every node a change may be published on (on a Cluster: each master and replica). */
    abstract List<RedisNode> publishNodes();

    /** The class's own legacy app stand-in (its URL registered with the topology). */
    abstract LegacyStandIn legacy();

    @Test
    void aScoreChangePublishedOnAnyNodePatchesTheCacheAndReachesTheStream() throws Exception {
        Await.until(Duration.ofSeconds(20), "subscribed to change events", () -> events.subscriptions() >= 1);
        Http http = new Http(port);
        LegacyStandIn legacy = legacy();
        legacy.section(section());
        assertThat(http.get("/api/gradebook/v1/sections/" + SECTION, "dev-key").statusCode()).isEqualTo(200);
        assertThat(cache.peek(SECTION)).isPresent();

        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest req = HttpRequest.newBuilder(URI.create(http.base() + "/api/gradebook/v1/sections/" + SECTION
                + "/events?access_token=" + Tokens.teacher(SECTION))).header("Accept", "text/event-stream").GET().build();
        var stream = Http.client().sendAsync(req, HttpResponse.BodyHandlers.ofLines()).thenAccept(res -> {
            lines.add("status:" + res.statusCode());
            res.body().forEach(lines::add);
        });
        try {
            assertThat(take(lines, l -> l.startsWith("status:"))).isEqualTo("status:200");
            take(lines, "event:ready"::equals);

            // HW 3 (of 10) scored s: 31/40 and s/10 are kept, 17/24 dropped: (31 + s) / 50
            BigDecimal s = new BigDecimal("10");
            List<String> via = new ArrayList<>();
            for (RedisNode node : publishNodes()) {
                String change = "{\"section_id\":" + SECTION + ",\"kind\":\"score\",\"student_id\":1,\"assignment_id\":"
                        + (SECTION * 100 + 3) + ",\"score\":" + s + ",\"excused\":false,\"missing\":false}";
                node.publish("apiary:gradebook:changes", change);
                take(lines, "event:score"::equals);
                JsonNode ev = Http.JSON.readTree(take(lines, l -> l.startsWith("data:")).substring(5));
                BigDecimal expected = new BigDecimal("31").add(s).multiply(new BigDecimal("2"));
                assertThat(ev.get("student").get("current").get("percent").decimalValue())
                        .as("the change published on " + node).isEqualByComparingTo(expected);
                JsonNode read = Http.json(http.get("/api/gradebook/v1/sections/" + SECTION, "dev-key"));
                assertThat(student(read, 1).get("current").get("percent").decimalValue()).isEqualByComparingTo(expected);
                via.add(node.address());
                s = s.subtract(new BigDecimal("0.5"));
            }
            assertThat(via).hasSameSizeAs(publishNodes());
            assertThat(legacy.reads(SECTION)).as("patched in place, never refetched").isEqualTo(1);
        } finally {
            stream.cancel(true);
        }
    }

    private static JsonNode student(JsonNode section, long id) {
        for (JsonNode st : section.get("students")) {
            if (st.get("id").longValue() == id) return st;
        }
        throw new AssertionError("no student " + id);
    }

    /** 31/40, 17/24, 7/10 with drop_lowest 1 for student 1 (the section GradebookApiTest calls small). */
    static SectionSource section() {
        return SampleSections.small(SECTION);
    }

    private static String take(BlockingQueue<String> q, Predicate<String> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String l = q.poll(200, TimeUnit.MILLISECONDS);
            if (l == null) continue;
            if (p.test(l)) return l;
            seen.add(l);
        }
        throw new AssertionError("not seen in time; saw " + seen);
    }
}
