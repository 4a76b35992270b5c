package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An urgent alert to 200 guardians on email, SMS and voice through nginx; every delivery reaches a final state that
 * matches what sandbox/providers recorded as the truth; nothing was sent twice; progress streams unbuffered.
 */
@Order(20)
class AlertIT {
    static final Set<String> FINAL = Set.of("delivered", "undelivered", "failed", "completed", "busy", "no_answer",
            "canceled", "opted_out");
    static Suite suite;

    @BeforeAll
    static void up() {
        suite = Suite.get();
    }

    /** 200 guardians of Grade 7, a few with the providers sandbox's test addresses for failures. */
    static List<Map<String, Object>> recipients() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode g : Suite.list(suite.get("/api/v1/guardians?grade=7&limit=200", null).json())) {
            out.add(new LinkedHashMap<>(Suite.obj("id", "guardian-" + g.get("id").asInt(), "name", g.get("name").asString(),
                    "email", g.get("email").asString(), "phone", g.get("phone").asString(),
                    "language", g.get("language").asString())));
        }
        assertThat(out).hasSize(200);
        // sandbox/providers test addresses: ...9904 SMS carrier failure (undelivered), ...9907 voice busy, bounce* email
        out.get(10).put("phone", "+1541555" + "9904");
        out.get(20).put("phone", "+1541555" + "9907");
        out.get(30).put("email", "bounce.e2e@example.org");
        return out;
    }

    static String normal(String s) {
        return s == null ? null : s.toLowerCase().replace('-', '_');
    }

    @Test
    void alertToTwoHundredGuardiansOnThreeChannelsMatchesTheProvidersTruth() throws Exception {
        suite.post(suite.providersUrl() + "/_admin/reset", null, "{}");
        List<Map<String, Object>> recipients = recipients();
        Map<String, Object> body = Suite.obj("school_id", "lakeview", "subject", "School closed today",
                "text", "Lakeview is closed today because of snow. (e2e)", "channels", List.of("email", "sms", "voice"),
                "recipients", recipients);
        String key = UUID.randomUUID().toString();
        Suite.Response created = suite.post("/api/alerts/v1/alerts", suite.apiKey(), body, "Idempotency-Key", key);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        String id = created.json().get("id").asString();
        assertThat(created.json().get("deliveries").asInt()).isEqualTo(600);

        // progress over SSE through nginx (checked below: the first event arrived before the alert finished)
        Sse sse = Sse.open(suite, "/api/alerts/v1/alerts/" + id + "/events", suite.apiKey());
        assertThat(sse.contentType()).startsWith("text/event-stream");

        // the same Idempotency-Key again: the same alert, nothing re-sent
        Suite.Response again = suite.post("/api/alerts/v1/alerts", suite.apiKey(), body, "Idempotency-Key", key);
        assertThat(again.status()).isIn(200, 202);
        assertThat(again.json().get("id").asString()).isEqualTo(id);

        JsonNode finished = Suite.awaitValue(Duration.ofMinutes(3), "every delivery of alert " + id + " final", () -> {
            JsonNode s = suite.get("/api/alerts/v1/alerts/" + id, suite.apiKey()).json();
            return pendingCount(s) == 0 ? s : null;
        });

        sse.await(Duration.ofSeconds(30), "an alert event", e -> true);
        sse.close();
        java.time.Instant finishedAt = java.time.Instant.parse(finished.get("finished_at").asString());
        assertThat(sse.events().getFirst().at()).as("first SSE event arrived (unbuffered) before the alert finished")
                .isBefore(finishedAt);

        // every delivery against the providers' ground truth
        Map<String, Map<String, Object>> byId = new HashMap<>();
        recipients.forEach(r -> byId.put((String) r.get("id"), r));
        JsonNode truth = suite.get(suite.providersUrl() + "/_admin/truth", null).json();
        List<JsonNode> deliveries = deliveries(id);
        assertThat(deliveries).as("deliveries of " + finished).hasSize(600);
        List<String> mismatches = new ArrayList<>();
        for (JsonNode d : deliveries) {
            String channel = d.get("channel").asString();
            String state = normal(d.get("state").asString());
            String recipientId = d.get("recipient_ids").get(0).asString();
            Map<String, Object> r = byId.get(recipientId);
            String address = (String) r.get(channel.equals("email") ? "email" : "phone");
            assertThat(d.get("address").asString()).isEqualTo(address);
            JsonNode t = truth.path(channel).path(address);
            String expected = expectedState(channel, t);
            if (!FINAL.contains(state) || !state.equals(expected)) {
                mismatches.add(channel + " " + recipientId + ": " + state + " vs truth " + t);
            }
        }
        assertThat(mismatches).isEmpty();
        JsonNode stats = suite.get(suite.providersUrl() + "/_admin/stats", null).json();
        for (String ch : List.of("sms", "voice", "email")) {
            assertThat(stats.path(ch + "_duplicates").asLong()).as(ch + " duplicates: " + stats).isZero();
        }
        // the failures we planted are reported as such
        assertThat(stateOf(deliveries, (String) recipients.get(10).get("id"), "sms"))
                .isEqualTo("undelivered");
        assertThat(stateOf(deliveries, (String) recipients.get(20).get("id"), "voice")).isEqualTo("busy");
        assertThat(stateOf(deliveries, (String) recipients.get(30).get("id"), "email")).isNotEqualTo("delivered");

        // the office's progress page (HTML served by alert-service through nginx)
        String page = created.json().get("page_url").asString();
        assertThat(page).startsWith("/alerts/" + id);
        Suite.Response html = suite.get(page, null);
        assertThat(html.status()).as(page + ": " + html).isEqualTo(200);
        assertThat(html.header("Content-Type")).startsWith("text/html");
    }

    static String stateOf(List<JsonNode> deliveries, String recipientId, String channel) {
        return deliveries.stream().filter(d -> Suite.list(d.get("recipient_ids")).stream()
                        .anyMatch(r -> r.asString().equals(recipientId))
                && d.get("channel").asString().equals(channel)).map(d -> normal(d.get("state").asString()))
                .findFirst().orElse(null);
    }

    /** What the delivery's final state must be, given what the provider accepted and decided. */
    static String expectedState(String channel, JsonNode t) {
        if (t.isMissingNode()) return "(not sent to provider)";
        String fin = normal(t.path("final").asString());
        if ("rejected".equals(fin)) return "21610".equals(t.path("error_code").asString()) ? "opted_out" : "failed";
        if (channel.equals("email")) return "delivered".equals(fin) ? "delivered" : "failed";
        return fin;
    }

    /** Deliveries not in a final state, from GET /alerts/{id} counts ({"channels": {ch: {state: n}}} or similar). */
    static long pendingCount(JsonNode alert) {
        if (alert.has("finished") && !alert.get("finished").asBoolean() && alert.path("channels").isEmpty()) return 1;
        long[] pending = {0};
        JsonNode channels = alert.has("channels") ? alert.get("channels") : alert.path("counts");
        channels.properties().forEach(ch -> {
            JsonNode states = ch.getValue().has("states") ? ch.getValue().get("states") : ch.getValue();
            states.properties().forEach(s -> {
                if (!FINAL.contains(normal(s.getKey())) && s.getValue().isNumber() && !s.getKey().equals("total")) {
                    pending[0] += s.getValue().asLong();
                }
            });
        });
        return pending[0];
    }

    /** All deliveries, following the cursor. */
    static List<JsonNode> deliveries(String id) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            Suite.Response r = suite.get("/api/alerts/v1/alerts/" + id + "/deliveries"
                    + (cursor == null ? "" : "?cursor=" + Suite.enc(cursor)), suite.apiKey());
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode j = r.json();
            JsonNode items = j.has("deliveries") ? j.get("deliveries") : j.path("items");
            all.addAll(Suite.list(items));
            JsonNode next = j.has("next_cursor") ? j.get("next_cursor") : j.path("cursor");
            if (next.isMissingNode() || next.isNull() || next.asString().isBlank()) break;
            cursor = next.asString();
        }
        return all;
    }
}
