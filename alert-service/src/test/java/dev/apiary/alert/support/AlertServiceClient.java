package dev.apiary.alert.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.apiary.common.test.Await;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API calls tests make against a running alert-service at {@link #base()}, and the sandbox beside it. Apart from
 * {@link AlertServiceTestBase} so a class with its own Spring context (another Redis, another port) can use them.
 */
public abstract class AlertServiceClient {
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final String KEY = "test-key";
    /** A client bound to school {@code north}, and one bound to {@code south}. */
    protected static final String NORTH_KEY = "north-app-test-key";
    protected static final String SOUTH_KEY = "south-app-test-key";
    protected final HttpClient http = HttpClient.newHttpClient();

    /** Where the service under test listens. */
    protected abstract String base();

    protected Sandbox sandbox() {
        return Sandbox.shared();
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
        try {
            Await.until(timeout, "alert " + id + " finished", () -> alert(id).path("finished").asBoolean());
        } catch (AssertionError e) {
            // where it stopped: the per-channel state counts and the deliveries not final
            String base = "/api/alerts/v1/alerts/" + id + "/deliveries?limit=20&state=";
            throw new AssertionError(e.getMessage() + "; the alert now: " + alert(id) + "; sending: "
                    + api("GET", base + "sending", null).body() + "; sent: " + api("GET", base + "sent", null).body(), e);
        }
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
