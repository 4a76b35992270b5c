package dev.apiary.alert;

import static dev.apiary.alert.AlertFlowTest.alertJson;
import static dev.apiary.alert.AlertFlowTest.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.alert.support.AlertServiceTestBase;
import tools.jackson.databind.JsonNode;

/**
 * The school boundary: clients bound to a school create only for it (403 naming school_id), see only its alerts
 * (another school's alert answers 404 on every path, as an unknown id), and their idempotency keys are scoped by
 * client and school. The owner (school, client, actor) is stored and shown.
 */
class TenancyTest extends AlertServiceTestBase {

    @Autowired
    StringRedisTemplate redis;

    @BeforeEach
    void reset() {
        sandbox().reset(Map.of());
    }

    HttpResponse<String> as(String key, String method, String path, String body, Map<String, String> extra) {
        Map<String, String> h = new HashMap<>(Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json"));
        h.putAll(extra);
        return send(method, path, body, h);
    }

    long keys() {
        long n = 0;
        for (String p : List.of("apiary:alert:{*", "apiary:alert:idem:*", "apiary:alert:history:*")) {
            Set<String> k = redis.keys(p);
            n += k == null ? 0 : k.size();
        }
        return n;
    }

    void assertProblem(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
    }

    @Test
    void aClientCreatesOnlyForItsSchoolAndTheOwnerIsStored() {
        String north = alertJson("north", List.of("sms"), List.of(recipient("n1", "N", null, "+12025550301", null)));
        String south = alertJson("south", List.of("sms"), List.of(recipient("s1", "S", null, "+12025550302", null)));
        long before = keys();
        HttpResponse<String> forbidden = as(NORTH_KEY, "POST", "/api/alerts/v1/alerts", south, Map.of());
        assertProblem(forbidden, 403);
        assertThat(json(forbidden).path("field").asString()).isEqualTo("school_id");
        HttpResponse<String> noSchool = as(NORTH_KEY, "POST", "/api/alerts/v1/alerts",
                north.replace("\"school_id\": \"north\",", ""), Map.of());
        assertProblem(noSchool, 400);
        assertThat(noSchool.body()).contains("school_id");
        assertThat(keys()).as("nothing written").isEqualTo(before);
        assertThat(sandbox().truth("sms").has("+12025550302")).as("nothing sent").isFalse();

        HttpResponse<String> created = as(NORTH_KEY, "POST", "/api/alerts/v1/alerts", north,
                Map.of("X-Apiary-Actor", "teacher-17"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = json(created).path("id").asString();
        JsonNode summary = json(as(NORTH_KEY, "GET", "/api/alerts/v1/alerts/" + id, null, Map.of()));
        assertThat(summary.path("school_id").asString()).isEqualTo("north");
        assertThat(summary.path("client").asString()).isEqualTo("north-app");
        assertThat(summary.path("sent_by").asString()).isEqualTo("teacher-17");
        awaitFinished(id, Duration.ofSeconds(90));
    }

    @Test
    void anotherSchoolsAlertIsNotFoundOnEveryPath() {
        String north = alertJson("north", List.of("sms"), List.of(recipient("n1", "N", null, "+12025550311", null),
                recipient("n2", "M", null, "+12025559901", null)));
        sandbox().config(Map.of("callbacks_enabled", false));
        String id = json(as(NORTH_KEY, "POST", "/api/alerts/v1/alerts", north, Map.of())).path("id").asString();
        String base = "/api/alerts/v1/alerts/" + id;
        for (String path : List.of(base, base + "/deliveries", base + "/not-reached", base + "/page-link",
                base + "/events")) {
            HttpResponse<String> r = as(SOUTH_KEY, "GET", path, null, Map.of("Accept", "application/json, text/event-stream"));
            assertProblem(r, 404);
            HttpResponse<String> unknown = as(SOUTH_KEY, "GET", path.replace(id, "al00000000000000000000ab"), null,
                    Map.of("Accept", "application/json, text/event-stream"));
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(json(r).path("title").asString()).isEqualTo(json(unknown).path("title").asString());
            if (!path.endsWith("/events")) {   // the stream of a running alert stays open
                assertThat(as(NORTH_KEY, "GET", path, null, Map.of()).statusCode()).as(path).isEqualTo(200);
            }
        }
        String stateBefore = redis.<String, String>opsForHash().get("apiary:alert:{" + id + "}:meta", "state");
        assertProblem(as(SOUTH_KEY, "POST", base + "/cancel", null, Map.of()), 404);
        assertThat(redis.<String, String>opsForHash().get("apiary:alert:{" + id + "}:meta", "state"))
                .isEqualTo(stateBefore);
        // the legacy key (every school) sees it
        assertThat(api("GET", base, null).statusCode()).isEqualTo(200);
        assertThat(as(NORTH_KEY, "POST", base + "/cancel", null, Map.of()).statusCode()).isIn(200, 409);
    }

    @Test
    void idempotencyKeysAreScopedByClientAndSchool() {
        String north = alertJson("north", List.of("email"), List.of(recipient("n1", "N", "n1@example.org", null, null)));
        String south = alertJson("south", List.of("email"), List.of(recipient("s1", "S", "s1@example.org", null, null)));
        Map<String, String> key = Map.of("Idempotency-Key", "same-key");
        HttpResponse<String> a = as(NORTH_KEY, "POST", "/api/alerts/v1/alerts", north, key);
        HttpResponse<String> b = as(SOUTH_KEY, "POST", "/api/alerts/v1/alerts", south, key);
        HttpResponse<String> c = send("POST", "/api/alerts/v1/alerts", north, Map.of("Authorization", "Bearer " + KEY,
                "Content-Type", "application/json", "Idempotency-Key", "same-key"));
        HttpResponse<String> again = as(NORTH_KEY, "POST", "/api/alerts/v1/alerts", north, key);
        for (HttpResponse<String> r : List.of(a, b, c, again)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
        Set<String> ids = Set.of(json(a).path("id").asString(), json(b).path("id").asString(),
                json(c).path("id").asString());
        assertThat(ids).as("three clients/schools, three alerts").hasSize(3);
        assertThat(json(again).path("id").asString()).isEqualTo(json(a).path("id").asString());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(a.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        assertThat(json(again).path("deliveries").asInt()).isEqualTo(1);
        assertThat(json(again).path("page_url").asString()).startsWith("/alerts/" + json(a).path("id").asString());
        for (String id : ids) {
            awaitFinished(id, Duration.ofSeconds(90));
        }
        assertThat(sandbox().truth("email").path("n1@example.org").path("accepted").asInt()).isEqualTo(2);
    }

    @Test
    void aSchoolsAlertsAreListedNewestFirstForThatSchoolOnly() {
        String school = "list-" + System.nanoTime();
        List<String> made = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            made.add(create(alertJson(school, List.of("email"),
                    List.of(recipient("r" + i, "R", "list" + i + "@example.org", null, null))), null));
        }
        JsonNode page1 = json(api("GET", "/api/alerts/v1/alerts?school_id=" + school + "&limit=2", null));
        assertThat(page1.path("items")).hasSize(2);
        assertThat(page1.path("items").get(0).path("id").asString()).isEqualTo(made.get(2));
        assertThat(page1.path("items").get(1).path("id").asString()).isEqualTo(made.get(1));
        String cursor = page1.path("next_cursor").asString();
        JsonNode page2 = json(api("GET", "/api/alerts/v1/alerts?school_id=" + school + "&limit=2&cursor=" + cursor, null));
        assertThat(page2.path("items").get(0).path("id").asString()).isEqualTo(made.get(0));
        assertThat(page2.path("next_cursor").isNull()).isTrue();

        assertProblem(as(NORTH_KEY, "GET", "/api/alerts/v1/alerts?school_id=" + school, null, Map.of()), 403);
        HttpResponse<String> noSchool = api("GET", "/api/alerts/v1/alerts", null);
        assertProblem(noSchool, 400);
        assertThat(noSchool.body()).contains("school_id");
        assertProblem(api("GET", "/api/alerts/v1/alerts?school_id=" + school + "&state=bogus", null), 400);
        made.forEach(id -> awaitFinished(id, Duration.ofSeconds(90)));
        JsonNode done = json(api("GET", "/api/alerts/v1/alerts?school_id=" + school + "&state=done", null));
        assertThat(done.path("items")).hasSize(3);
    }
}
