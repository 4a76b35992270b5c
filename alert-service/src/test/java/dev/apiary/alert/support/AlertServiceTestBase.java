package dev.apiary.alert.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service on a real port, a private Redis, and the real twilio-java / mailgun-java SDKs talking to
 * sandbox/providers over HTTP. One Spring context for all test classes that extend this.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
public abstract class AlertServiceTestBase {
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final String KEY = "test-key";
    protected final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
        Sandbox sb = Sandbox.shared();
        r.add("server.port", () -> sb.servicePort);
        r.add("apiary.security.api-keys", () -> KEY);
        r.add("apiary.alert.public-base-url", sb::serviceUrl);
        r.add("apiary.alert.twilio.base-url", sb::url);
        r.add("apiary.alert.mailgun.base-url", () -> sb.url() + "/");
        r.add("apiary.alert.twilio.sms-segments-per-second", () -> "2000");
        r.add("apiary.alert.twilio.calls-per-second", () -> "500");
        r.add("apiary.alert.mailgun.requests-per-second", () -> "50");
        r.add("apiary.alert.dispatch.backoff-base", () -> "20ms");
        r.add("apiary.alert.dispatch.backoff-max", () -> "200ms");
        r.add("apiary.alert.dispatch.max-send-attempts", () -> "3");
        r.add("apiary.alert.dispatch.queue-attempts", () -> "2");
        r.add("apiary.alert.dispatch.ambiguous-settle", () -> "100ms");
        r.add("apiary.alert.reconcile.interval", () -> "1h");
        r.add("apiary.alert.reconcile.after", () -> "0s");
        r.add("apiary.alert.max-recipients", () -> "12000");
        r.add("apiary.alert.schools.north.sms-from", () -> "+15005550777");
        r.add("apiary.alert.schools.north.mailgun-domain", () -> "north.example.org");
    }

    protected Sandbox sandbox() {
        return Sandbox.shared();
    }

    protected String base() {
        return Sandbox.shared().serviceUrl();
    }

    protected HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base() + path))
                    .timeout(Duration.ofSeconds(30));
            headers.forEach(b::header);
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<String> api(String method, String path, String body) {
        return send(method, path, body, Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"));
    }

    protected JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    protected JsonNode alert(String id) {
        return json(api("GET", "/api/alerts/v1/alerts/" + id, null));
    }

    protected JsonNode awaitFinished(String id, Duration timeout) {
        Await.until(timeout, "alert " + id + " finished", () -> alert(id).path("finished").asBoolean());
        return alert(id);
    }

    protected String create(String body, String idempotencyKey) {
        var headers = new java.util.HashMap<String, String>(Map.of("Authorization", "Bearer " + KEY,
                "Content-Type", "application/json"));
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> r = send("POST", "/api/alerts/v1/alerts", body, headers);
        if (r.statusCode() != 202) {
            throw new AssertionError("POST answered " + r.statusCode() + ": " + r.body());
        }
        return json(r).path("id").asString();
    }
}
