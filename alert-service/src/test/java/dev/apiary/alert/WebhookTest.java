package dev.apiary.alert;

import static dev.apiary.alert.AlertFlowTest.alertJson;
import static dev.apiary.alert.AlertFlowTest.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.apiary.alert.reconcile.Reconciler;
import dev.apiary.alert.support.AlertServiceTestBase;
import dev.apiary.common.test.Await;
import dev.apiary.sandbox.providers.sim.Callbacks;
import tools.jackson.databind.JsonNode;

/** Signed callbacks: forged or replayed ones change nothing; late ones never move a delivery backwards. */
class WebhookTest extends AlertServiceTestBase {
    static final String AUTH_TOKEN = "sandbox-auth-token";
    static final String SIGNING_KEY = "sandbox-signing-key";

    @Autowired
    Reconciler reconciler;

    @BeforeEach
    void reset() {
        sandbox().reset(Map.of("callbacks_enabled", false));
    }

    private JsonNode delivery(String alertId, String channel) {
        return json(api("GET", "/api/alerts/v1/alerts/" + alertId + "/deliveries?channel=" + channel, null))
                .path("deliveries").get(0);
    }

    private String sentAlert() {
        String id = create(alertJson("west", List.of("sms", "email"),
                List.of(recipient("w1", "W", "w1@example.org", "+12025550501", null))), null);
        Await.until(Duration.ofSeconds(20), "sms and email sent", () -> {
            JsonNode a = alert(id).path("channels");
            return a.path("sms").path("states").path("sent").asInt() == 1
                    && a.path("email").path("states").path("sent").asInt() == 1;
        });
        return id;
    }

    private HttpResponse<String> twilioCallback(String url, String signedUrl, Map<String, String> params,
                                                Map<String, String> extraHeaders, String token) {
        String body = params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        Map<String, String> h = new HashMap<>(extraHeaders);
        h.put("Content-Type", "application/x-www-form-urlencoded");
        h.put("X-Twilio-Signature", Callbacks.twilioSignature(token, signedUrl, params));
        return send("POST", url, body, h);
    }

    @Test
    void twilioCallbacksNeedAValidSignatureAgainstThePublicUrl() {
        String id = sentAlert();
        JsonNode d = delivery(id, "sms");
        String path = "/api/alerts/v1/webhooks/twilio?d=" + d.path("id").asString();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", d.path("provider_id").asString());
        params.put("MessageStatus", "undelivered");
        params.put("ErrorCode", "30003");
        // forged: wrong auth token
        HttpResponse<String> forged = twilioCallback(base() + path, base() + path, params, Map.of(), "not-the-token");
        assertThat(forged.statusCode()).isEqualTo(403);
        // signed for another URL than the one called
        HttpResponse<String> otherUrl = twilioCallback(base() + path, "https://evil.example.org" + path, params, Map.of(), AUTH_TOKEN);
        assertThat(otherUrl.statusCode()).isEqualTo(403);
        assertThat(delivery(id, "sms").path("state").asString()).isEqualTo("sent");

        // forwarded headers are the caller's to choose: they never change the URL the signature is checked against
        params.put("MessageStatus", "delivered");
        params.remove("ErrorCode");
        HttpResponse<String> forwarded = twilioCallback(base() + path, "https://evil.example.org" + path, params,
                Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example.org"), AUTH_TOKEN);
        assertThat(forwarded.statusCode()).isEqualTo(403);
        assertThat(delivery(id, "sms").path("state").asString()).isEqualTo("sent");
        // signed for apiary.alert.public-base-url + path + query (what Twilio calls), whatever the Host header says
        HttpResponse<String> proxied = twilioCallback(base() + path, base() + path, params,
                Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "alerts.example.org"), AUTH_TOKEN);
        assertThat(proxied.statusCode()).isEqualTo(200);
        assertThat(delivery(id, "sms").path("state").asString()).isEqualTo("delivered");

        // a late "sent" and a duplicate "undelivered" never move it back or sideways
        params.put("MessageStatus", "sent");
        assertThat(twilioCallback(base() + path, base() + path, params, Map.of(), AUTH_TOKEN).statusCode()).isEqualTo(200);
        params.put("MessageStatus", "undelivered");
        assertThat(twilioCallback(base() + path, base() + path, params, Map.of(), AUTH_TOKEN).statusCode()).isEqualTo(200);
        assertThat(delivery(id, "sms").path("state").asString()).isEqualTo("delivered");
        assertThat(alert(id).path("channels").path("sms").path("states").path("delivered").asInt()).isEqualTo(1);
        assertThat(alert(id).path("channels").path("sms").path("states").path("undelivered").asInt()).isZero();
    }

    private HttpResponse<String> mailgunWebhook(String deliveryId, String event, long timestamp, String token,
                                                String key) {
        Map<String, Object> body = Map.of(
                "signature", Map.of("timestamp", Long.toString(timestamp), "token", token,
                        "signature", Callbacks.mailgunSignature(key, Long.toString(timestamp), token)),
                "event-data", Map.of("event", event, "recipient", "w1@example.org",
                        "user-variables", Map.of("alert", deliveryId.split("\\.")[0], "d", deliveryId),
                        "message", Map.of("headers", Map.of("message-id", "x@y"))));
        return send("POST", "/api/alerts/v1/webhooks/mailgun", JSON.writeValueAsString(body),
                Map.of("Content-Type", "application/json"));
    }

    @Test
    void webhookBodiesOver64KbAre413BeforeAnythingIsParsed() {
        String big = "{\"signature\":{},\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
        for (String path : List.of("/api/alerts/v1/webhooks/mailgun", "/api/alerts/v1/webhooks/twilio?d=x.1")) {
            String type = path.endsWith("mailgun") ? "application/json" : "application/x-www-form-urlencoded";
            HttpResponse<String> r = send("POST", path, path.endsWith("mailgun") ? big : "a=" + "x".repeat(70 * 1024),
                    Map.of("Content-Type", type));
            assertThat(r.statusCode()).as(path).isEqualTo(413);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        }
        // malformed or signature-less JSON is a forged webhook (403), not a parse error
        for (String body : List.of("{\"signature\": ", "[1,2]", "{\"event-data\":{}}", "{\"signature\":{\"token\":[1]}}")) {
            HttpResponse<String> r = send("POST", "/api/alerts/v1/webhooks/mailgun", body,
                    Map.of("Content-Type", "application/json"));
            assertThat(r.statusCode()).as(body).isEqualTo(403);
        }
    }

    @Test
    void mailgunWebhooksRejectForgedStaleAndReplayedEvents() {
        String id = sentAlert();
        String d = delivery(id, "email").path("id").asString();
        long now = System.currentTimeMillis() / 1000;
        assertThat(mailgunWebhook(d, "failed", now, "tok-forged-000000000000000000000000", "wrong-key").statusCode()).isEqualTo(403);
        assertThat(mailgunWebhook(d, "failed", now - 3600, "tok-stale-0000000000000000000000000", SIGNING_KEY).statusCode()).isEqualTo(403);
        assertThat(delivery(id, "email").path("state").asString()).isEqualTo("sent");

        String token = "tok-good-00000000000000000000000000000000";
        assertThat(mailgunWebhook(d, "delivered", now, token, SIGNING_KEY).statusCode()).isEqualTo(200);
        assertThat(delivery(id, "email").path("state").asString()).isEqualTo("delivered");
        // the same signed request again: a replay
        assertThat(mailgunWebhook(d, "delivered", now, token, SIGNING_KEY).statusCode()).isEqualTo(403);
        // a later, validly signed permanent failure for a delivered email changes nothing
        assertThat(mailgunWebhook(d, "failed", now, "tok-late-000000000000000000000000000", SIGNING_KEY).statusCode()).isEqualTo(200);
        assertThat(delivery(id, "email").path("state").asString()).isEqualTo("delivered");
    }

    @Test
    void reconciliationFetchesTheStatusOfDeliveriesWhoseCallbacksNeverCame() {
        List<String> rs = List.of(
                recipient("k1", "K", "k1@example.org", "+12025550601", null),
                recipient("k2", "K", "bounce.k2@example.org", "+12025559904", null),
                recipient("k3", "K", "drop.k3@example.org", "+12025559907", null));
        String id = create(alertJson("west", List.of("sms", "email", "voice"), rs), null);
        Await.until(Duration.ofSeconds(20), "all sent", () -> alert(id).path("channels").path("sms").path("states")
                .path("sent").asInt() == 3 && alert(id).path("channels").path("voice").path("states").path("sent").asInt() == 3
                && alert(id).path("channels").path("email").path("states").path("sent").asInt() == 3);
        Await.until(Duration.ofSeconds(20), "reconciled", () -> {
            reconciler.runOnce();
            return alert(id).path("finished").asBoolean();
        });
        JsonNode a = alert(id).path("channels");
        assertThat(a.path("sms").path("states").path("delivered").asInt()).isEqualTo(2);
        assertThat(a.path("sms").path("states").path("undelivered").asInt()).isEqualTo(1);
        assertThat(a.path("voice").path("states").path("completed").asInt()).isEqualTo(1);
        assertThat(a.path("voice").path("states").path("failed").asInt()).isEqualTo(1);
        assertThat(a.path("voice").path("states").path("busy").asInt()).isEqualTo(1);
        assertThat(a.path("email").path("states").path("delivered").asInt()).isEqualTo(2);
        assertThat(a.path("email").path("states").path("failed").asInt()).isEqualTo(1);
    }
}
