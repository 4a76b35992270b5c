package dev.apiary.common.testapp;

import static dev.apiary.common.testapp.TestHttp.json;
import static dev.apiary.common.testapp.TestHttp.request;
import static dev.apiary.common.testapp.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.queue.DeadLetters;
import dev.apiary.common.queue.WorkQueue;
import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;
import tools.jackson.databind.JsonNode;

/** The dead-letter admin API: admin scope, schools, newest-first pages, inspect, retry once, purge. */
@AdminTestApp
class DeadLetterApiTest {

    static final String BASE = "/api/test/v1/admin/dead-letters";

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
    }

    @LocalServerPort
    int port;
    @Autowired
    @Qualifier("doomedQueue")
    WorkQueue doomed;
    @Autowired
    StringRedisTemplate redis;

    /** name -> school (null: none); every one fails for good, so each becomes a dead letter. */
    final Map<String, String> entries = new LinkedHashMap<>();

    @BeforeEach
    void sevenDeadLetters() {
        redis.delete(List.of(doomed.settings().deadLetterKey(), doomed.settings().retriedKey()));
        TestApp.HEALED.clear();
        TestApp.HANDLED_DOOMED.clear();
        entries.put("l1", "lakeview");
        entries.put("l2", "lakeview");
        entries.put("l3", "lakeview");
        entries.put("h1", "hillcrest");
        entries.put("h2", "hillcrest");
        entries.put("n1", null);
        entries.put("n2", null);
        entries.forEach((name, school) -> doomed.enqueue(school == null ? Map.of("name", name)
                : Map.of("name", name, "school_id", school)));
        Await.until(Duration.ofSeconds(20), "7 dead letters", () -> doomed.deadLetterCount() == 7);
    }

    private HttpResponse<String> call(String method, String path, String key) {
        HttpRequest.Builder b = request(port, path).method(method, HttpRequest.BodyPublishers.noBody());
        if (key != null) b.header("Authorization", "Bearer " + key);
        return send(b);
    }

    private JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return json(r);
    }

    private static void assertProblem(HttpResponse<String> r, int status, String field) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        if (field != null) assertThat(json(r).get("field").asString()).isEqualTo(field);
    }

    /** Every page for {@code key}, following next_cursor. */
    private List<JsonNode> all(String key, int limit) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = ok(call("GET", BASE + "?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor), key));
            assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
            page.get("items").forEach(items::add);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
        } while (cursor != null);
        return items;
    }

    /** The dead stream newest first, as Redis has it: the ground truth for the order. */
    private List<String> newestFirstInRedis() {
        return redis.opsForStream().reverseRange(doomed.settings().deadLetterKey(), Range.unbounded()).stream()
                .map(r -> DeadLetters.idOf(doomed.settings().stream(), r.getId().getValue())).toList();
    }

    private String idOf(String name) {
        return all("dev-ops-key", 50).stream().filter(i -> name.equals(nameOf(i))).findFirst()
                .map(i -> i.get("id").asString()).orElseThrow();
    }

    private String nameOf(JsonNode summary) {
        return json(call("GET", BASE + "/" + summary.get("id").asString(), "dev-ops-key")).get("fields").get("name").asString();
    }

    @Test
    void anAllSchoolsAdminPagesThroughEveryDeadLetterNewestFirst() {
        List<JsonNode> items = all("dev-ops-key", 3);
        assertThat(items).hasSize(7);
        assertThat(items.stream().map(i -> i.get("id").asString()).toList()).isEqualTo(newestFirstInRedis());
        JsonNode first = items.getFirst();
        assertThat(first.get("stream").asString()).isEqualTo(TestApp.DOOMED_STREAM);
        assertThat(first.get("error").asString()).isEqualTo("no such recipient");
        assertThat(first.get("attempts").asInt()).isEqualTo(1);
        assertThat(first.get("failed_at").asString()).isNotBlank();
        assertThat(first.has("fields")).as("a list shows no entry data").isFalse();
        assertThat(items.stream().map(i -> i.get("school_id").isNull() ? "none" : i.get("school_id").asString()).toList())
                .containsExactlyInAnyOrder("lakeview", "lakeview", "lakeview", "hillcrest", "hillcrest", "none", "none");
    }

    @Test
    void inspectingOneShowsTheFailedEntry() {
        String id = idOf("h1");
        JsonNode d = ok(call("GET", BASE + "/" + id, "dev-ops-key"));
        assertThat(d.get("id").asString()).isEqualTo(id);
        assertThat(d.get("fields").get("name").asString()).isEqualTo("h1");
        assertThat(d.get("fields").get("school_id").asString()).isEqualTo("hillcrest");
        assertThat(d.get("fields").has("_error")).isFalse();
        assertThat(d.get("school_id").asString()).isEqualTo("hillcrest");
        assertThat(d.get("source_id").asString()).matches("\\d+-\\d+");
        assertThat(d.get("entry_id").asString() + "." ).isEqualTo(id.substring(0, id.indexOf('.') + 1));
        assertProblem(call("GET", BASE + "/1-0.00000000", "dev-ops-key"), 404, null);
        assertProblem(call("GET", BASE + "/not-an-id", "dev-ops-key"), 404, null);
    }

    @Test
    void aSchoolBoundAdminSeesRetriesAndPurgesOnlyItsSchool() {
        String hillcrest = idOf("h1");
        String noSchool = idOf("n1");
        String lakeview = idOf("l2");
        List<JsonNode> seen = all("lakeview-ops-key", 2);
        assertThat(seen).hasSize(3).allSatisfy(i -> assertThat(i.get("school_id").asString()).isEqualTo("lakeview"));

        assertProblem(call("GET", BASE + "/" + hillcrest, "lakeview-ops-key"), 404, null);
        assertProblem(call("GET", BASE + "/" + noSchool, "lakeview-ops-key"), 404, null);
        assertProblem(call("POST", BASE + "/" + hillcrest + "/retry", "lakeview-ops-key"), 404, null);
        assertThat(doomed.deadLetterCount()).as("nothing moved").isEqualTo(7);

        TestApp.HEALED.add("l2");
        assertThat(ok(call("POST", BASE + "/" + lakeview + "/retry", "lakeview-ops-key")).get("already_retried").asBoolean())
                .isFalse();
        Await.until(Duration.ofSeconds(10), "l2 handled", () -> TestApp.HANDLED_DOOMED.contains("l2"));

        assertThat(ok(call("DELETE", BASE, "lakeview-ops-key")).get("purged").asLong()).isEqualTo(2);
        List<JsonNode> left = all("dev-ops-key", 50);
        assertThat(left).hasSize(4).noneSatisfy(i -> assertThat(i.get("school_id").isNull() ? "" : i.get("school_id").asString())
                .isEqualTo("lakeview"));
    }

    @Test
    void aRetryPutsTheEntryBackOnceAndTakesItOutOfTheDeadStream() {
        String id = idOf("n2");
        TestApp.HEALED.add("n2");
        JsonNode first = ok(call("POST", BASE + "/" + id + "/retry", "dev-ops-key"));
        JsonNode again = ok(call("POST", BASE + "/" + id + "/retry", "dev-ops-key"));
        assertThat(first.get("already_retried").asBoolean()).isFalse();
        assertThat(again.get("already_retried").asBoolean()).isTrue();
        assertThat(again.get("requeued_as").asString()).isEqualTo(first.get("requeued_as").asString());
        assertThat(first.get("stream").asString()).isEqualTo(TestApp.DOOMED_STREAM);

        Await.until(Duration.ofSeconds(10), "handled and acknowledged",
                () -> TestApp.HANDLED_DOOMED.contains("n2") && doomed.stats().depth() == 0);
        assertThat(TestApp.HANDLED_DOOMED).containsExactly("n2");
        assertThat(doomed.deadLetterCount()).isEqualTo(6);
        assertProblem(call("GET", BASE + "/" + id, "dev-ops-key"), 404, null);
    }

    @Test
    void aPurgeOfOneStreamRemovesAllOfItForAnAllSchoolsAdmin() {
        String stream = URLEncoder.encode(TestApp.DOOMED_STREAM, StandardCharsets.UTF_8);
        assertThat(ok(call("DELETE", BASE + "?stream=" + stream, "dev-ops-key")).get("purged").asLong()).isEqualTo(7);
        assertThat(all("dev-ops-key", 50)).isEmpty();
        assertThat(doomed.deadLetterCount()).isZero();
    }

    @Test
    void onlyAdminClientsGetIn() {
        assertProblem(call("GET", BASE, "reader-key"), 403, null);
        assertProblem(call("DELETE", BASE, "reader-key"), 403, null);
        assertProblem(call("GET", BASE, null), 401, null);
        assertThat(doomed.deadLetterCount()).isEqualTo(7);
    }

    @Test
    void badParametersAnswer400NamingTheFieldAndChangeNothing() {
        assertProblem(call("GET", BASE + "?limit=0", "dev-ops-key"), 400, "limit");
        assertProblem(call("GET", BASE + "?limit=many", "dev-ops-key"), 400, "limit");
        assertProblem(call("GET", BASE + "?limit=501", "dev-ops-key"), 400, "limit");
        assertProblem(call("GET", BASE + "?cursor=zzz", "dev-ops-key"), 400, "cursor");
        assertProblem(call("GET", BASE + "?stream=nope", "dev-ops-key"), 400, "stream");
        assertProblem(call("DELETE", BASE + "?stream=nope", "dev-ops-key"), 400, "stream");
        assertThat(doomed.deadLetterCount()).isEqualTo(7);
    }
}
