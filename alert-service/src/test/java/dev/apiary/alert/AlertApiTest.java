package dev.apiary.alert;

import static dev.apiary.alert.AlertFlowTest.alertJson;
import static dev.apiary.alert.AlertFlowTest.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.alert.support.AlertServiceTestBase;
import dev.apiary.common.test.Await;
import tools.jackson.databind.JsonNode;

class AlertApiTest extends AlertServiceTestBase {

    @Autowired
    StringRedisTemplate redis;

    @BeforeEach
    void reset() {
        sandbox().reset(Map.of());
    }

    @Test
    void sameIdempotencyKeyGivesTheSameAlertAndSendsNothingAgain() {
        String body = alertJson("south", List.of("sms", "email"),
                List.of(recipient("r1", "A", "idem1@example.org", "+12025550201", null)));
        String id = create(body, "key-123");
        awaitFinished(id, Duration.ofSeconds(20));
        String again = create(body, "key-123");
        assertThat(again).isEqualTo(id);
        // everything of the alert expires after the retention (default 30 days)
        for (String k : redis.keys("apiary:alert:{" + id + "}:*")) {
            assertThat(redis.getExpire(k, java.util.concurrent.TimeUnit.DAYS)).as(k).isBetween(29L, 30L);
        }
        assertThat(sandbox().truth("sms").path("+12025550201").path("attempts").asInt()).isEqualTo(1);
        assertThat(sandbox().truth("email").path("idem1@example.org").path("accepted").asInt()).isEqualTo(1);

        String other = alertJson("south", List.of("sms"), List.of(recipient("r1", "A", null, "+12025550202", null)));
        HttpResponse<String> conflict = send("POST", "/api/alerts/v1/alerts", other, Map.of(
                "Authorization", "Bearer " + KEY, "Content-Type", "application/json", "Idempotency-Key", "key-123"));
        assertThat(conflict.statusCode()).as(conflict.body()).isEqualTo(422);
        assertThat(conflict.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(json(conflict).path("field").asString()).isEqualTo("Idempotency-Key");
    }

    @Test
    void retriesRateLimitsAndServerErrorsButNeverResendsAnAcceptedMessage() {
        List<String> rs = List.of(
                recipient("a", "A", null, "+12025559906", null),  // 429 on the first try
                recipient("b", "B", null, "+12025559910", null),  // 500 on the first try, not processed
                recipient("c", "C", null, "+12025559905", null),  // 500 every time
                recipient("d", "D", null, "+12025559903", null),  // 21610 STOP
                recipient("e", "E", null, "+12025559911", null)); // 500 although it was sent: found, not resent
        String id = create(alertJson("south", List.of("sms"), rs), null);
        JsonNode done = awaitFinished(id, Duration.ofSeconds(30));
        JsonNode truth = sandbox().truth("sms");
        assertThat(truth.path("+12025559906").path("accepted").asInt()).isEqualTo(1);
        assertThat(truth.path("+12025559910").path("accepted").asInt()).isEqualTo(1);
        assertThat(truth.path("+12025559905").path("accepted").asInt()).isZero();
        assertThat(truth.path("+12025559911").path("accepted").asInt()).isEqualTo(1);
        assertThat(truth.path("+12025559911").path("attempts").asInt()).isEqualTo(1);
        JsonNode sms = done.path("channels").path("sms").path("states");
        assertThat(sms.path("delivered").asInt()).isEqualTo(3);
        assertThat(sms.path("failed").asInt()).isEqualTo(1);
        assertThat(sms.path("opted_out").asInt()).isEqualTo(1);
        JsonNode failed = json(api("GET", "/api/alerts/v1/alerts/" + id + "/deliveries?state=failed", null));
        assertThat(failed.path("deliveries").get(0).path("reason").asString()).isEqualTo("provider_unavailable");
        JsonNode out = json(api("GET", "/api/alerts/v1/alerts/" + id + "/deliveries?state=opted_out", null));
        assertThat(out.path("deliveries").get(0).path("reason").asString()).contains("21610");

        // a later alert skips the opted-out number without asking the provider, for texts and calls
        String later = create(alertJson("south", List.of("sms", "voice"),
                List.of(recipient("d", "D", null, "(202) 555-9903", null))), null);
        JsonNode l = awaitFinished(later, Duration.ofSeconds(20));
        assertThat(l.path("channels").path("sms").path("states").path("opted_out").asInt()).isEqualTo(1);
        assertThat(sandbox().truth("sms").path("+12025559903").path("attempts").asInt()).isEqualTo(1);
        assertThat(l.path("channels").path("voice").path("states").path("opted_out").asInt()).isEqualTo(1);
        assertThat(sandbox().truth("voice").path("+12025559903").path("attempts").asInt()).isZero();
    }

    @Test
    void deliveriesArePagedWithACursorAndFiltered() {
        List<String> rs = IntStream.range(0, 7)
                .mapToObj(i -> recipient("p" + i, "P" + i, "p" + i + "@example.org", "+1202555030" + i, null)).toList();
        String id = create(alertJson("south", List.of("email", "sms"), rs), null);
        awaitFinished(id, Duration.ofSeconds(20));
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode p = json(api("GET", "/api/alerts/v1/alerts/" + id + "/deliveries?limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor), null));
            p.path("deliveries").forEach(d -> assertThat(seen.add(d.path("id").asString())).isTrue());
            cursor = p.path("next_cursor").isNull() ? null : p.path("next_cursor").asString();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(14);
        assertThat(pages).isEqualTo(5);
        JsonNode sms = json(api("GET", "/api/alerts/v1/alerts/" + id + "/deliveries?channel=sms&state=delivered", null));
        assertThat(sms.path("deliveries").size()).isEqualTo(7);
        sms.path("deliveries").forEach(d -> assertThat(d.path("channel").asString()).isEqualTo("sms"));
        assertThat(api("GET", "/api/alerts/v1/alerts/" + id + "/deliveries?channel=fax", null).statusCode()).isEqualTo(400);
        assertThat(api("GET", "/api/alerts/v1/alerts/" + id + "/deliveries?cursor=x", null).statusCode()).isEqualTo(400);
    }

    @Test
    void sseStreamSendsProgressAndEndsWhenTheAlertIsFinished() throws Exception {
        sandbox().config(Map.of("latency_ms", 1500));   // the stream connects before anything is final
        List<String> rs = IntStream.range(0, 30)
                .mapToObj(i -> recipient("s" + i, "S", null, "+120255504" + String.format("%02d", i), null)).toList();
        String id = create(alertJson("south", List.of("sms"), rs), null);
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(
                        URI.create(base() + "/api/alerts/v1/alerts/" + id + "/events"))
                .header("Authorization", "Bearer " + KEY).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data:")) {
                    events.add(JSON.readTree(line.substring(5)));
                }
            }
        }
        assertThat(events.size()).as(events.toString()).isGreaterThan(1);
        JsonNode last = events.getLast();
        assertThat(last.path("finished").asBoolean()).isTrue();
        assertThat(last.path("channels").path("sms").path("finished").asInt()).isEqualTo(30);
        assertThat(events.getFirst().path("finished").asBoolean()).isFalse();
    }

    @Test
    void cancelStopsUndispatchedDeliveriesAndNothingCanceledIsSent() {
        sandbox().config(Map.of("latency_ms", 300));
        List<String> rs = IntStream.range(0, 600)
                .mapToObj(i -> recipient("c" + i, "C", null, "+1202556" + String.format("%04d", i), null)).toList();
        String id = create(alertJson("south", List.of("sms"), rs), null);
        HttpResponse<String> c = api("POST", "/api/alerts/v1/alerts/" + id + "/cancel", null);
        assertThat(c.statusCode()).isEqualTo(200);
        long canceled = json(c).path("canceled").asLong();
        assertThat(canceled).isGreaterThan(300);
        JsonNode done = awaitFinished(id, Duration.ofSeconds(30));
        assertThat(done.path("state").asString()).isEqualTo("canceled");
        JsonNode st = done.path("channels").path("sms").path("states");
        assertThat(st.path("canceled").asLong()).isEqualTo(canceled);
        assertThat(st.path("delivered").asLong() + canceled).isEqualTo(600);
        assertThat(sandbox().stats().path("sms_accepted").asLong()).isEqualTo(600 - canceled);
        assertThat(api("POST", "/api/alerts/v1/alerts/" + id + "/cancel", null).statusCode()).isEqualTo(409);
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndNothingIsWritten() {
        long keysBefore = alertKeys();
        String ok = recipient("x", "X", "x@example.org", "+12025550999", null);
        Map<String, String> cases = Map.of(
                "recipients", alertJson("s1", List.of("sms"), List.of()),
                "channels", alertJson("s1", List.of(), List.of(ok)),
                "channels[1]", alertJson("s1", List.of("sms", "pigeon"), List.of(ok)),
                "text", """
                        {"school_id":"s1","subject":"x","text":"%s","channels":["sms"],"recipients":[%s]}"""
                        .formatted("a".repeat(1601), ok),
                "school_id", """
                        {"subject":"x","text":"t","channels":["sms"],"recipients":[%s]}""".formatted(ok),
                "recipients[1].id", alertJson("s1", List.of("sms"), List.of(ok, ok)),
                "recipients[1].language", alertJson("s1", List.of("voice"), List.of(ok,
                        recipient("y", "Y", null, "+12025550998", "en-US\"><Dial>+15005550006</Dial><Say language=\"en-US"))),
                "recipients[0].language", alertJson("s1", List.of("voice"), List.of(
                        recipient("y", "Y", null, "+12025550998", "en-XX"))),
                "language", alertJson("s1", List.of("voice"), List.of(ok)).replace("{\"school_id\"",
                        "{\"language\": \"klingon\", \"school_id\""),
                "subject", """
                        {"school_id":"s1","text":"t","channels":["email"],"recipients":[%s]}""".formatted(ok));
        cases.forEach((field, body) -> {
            HttpResponse<String> r = api("POST", "/api/alerts/v1/alerts", body);
            assertThat(r.statusCode()).as(field).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
            JsonNode p = json(r);
            List<String> fields = new ArrayList<>();
            p.path("errors").forEach(e -> fields.add(e.path("field").asString()));
            assertThat(fields).as(body).contains(field);
        });
        List<String> tooMany = IntStream.range(0, 12001).mapToObj(i -> "{\"id\":\"" + i + "\",\"phone\":\"+12025550100\"}").toList();
        HttpResponse<String> big = api("POST", "/api/alerts/v1/alerts", alertJson("s1", List.of("sms"), tooMany));
        assertThat(big.statusCode()).isEqualTo(400);
        assertThat(json(big).path("field").asString()).isEqualTo("recipients");
        HttpResponse<String> malformed = api("POST", "/api/alerts/v1/alerts", "{\"school_id\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(alertKeys()).isEqualTo(keysBefore);
        assertThat(sandbox().stats().path("sms_accepted").asLong()).isZero();

        assertThat(send("GET", "/api/alerts/v1/alerts/al00000000000000000000aa", null, Map.of()).statusCode()).isEqualTo(401);
        assertThat(api("GET", "/api/alerts/v1/alerts/al00000000000000000000aa", null).statusCode()).isEqualTo(404);
    }

    /** Every key of an alert, of an idempotency key and of a school's history. */
    private long alertKeys() {
        long n = 0;
        for (String pattern : List.of("apiary:alert:{*", "apiary:alert:idem:*", "apiary:alert:history:*")) {
            Set<String> keys = redis.keys(pattern);
            n += keys == null ? 0 : keys.size();
        }
        return n;
    }

    @Test
    void aSmallAlertIsNotQueuedBehindABigOne() {
        List<String> big = IntStream.range(0, 10_000)
                .mapToObj(i -> "{\"id\":\"b" + i + "\",\"phone\":\"+1303" + (i < 5000 ? 5550000 + i : 5560000 + i - 5000) + "\"}")
                .toList();
        List<String> small = IntStream.range(0, 50)
                .mapToObj(i -> "{\"id\":\"s" + i + "\",\"phone\":\"+1404555" + String.format("%04d", i) + "\"}").toList();
        sandbox().config(Map.of("callbacks_enabled", false));
        String bigId = create(alertJson("big", List.of("sms"), big), null);
        Await.until(Duration.ofSeconds(90), "big alert under way",
                () -> alert(bigId).path("channels").path("sms").path("states").path("sent").asInt() > 500);
        String smallId = create(alertJson("small", List.of("sms"), small), null);
        Await.until(Duration.ofSeconds(90), "small alert all sent",
                () -> alert(smallId).path("channels").path("sms").path("states").path("sent").asInt() == 50);
        JsonNode bigNow = alert(bigId).path("channels").path("sms").path("states");
        assertThat(bigNow.path("queued").asInt()).as("big alert still has work left").isGreaterThan(1000);
        Await.until(Duration.ofSeconds(120), "big alert all sent",
                () -> alert(bigId).path("channels").path("sms").path("states").path("sent").asInt() == 10_000);
        assertThat(sandbox().stats().path("sms_duplicates").asInt()).isZero();
    }
}
