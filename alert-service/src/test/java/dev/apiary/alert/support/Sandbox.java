package dev.apiary.alert.support;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.apiary.common.test.RedisTestServer;
import dev.apiary.sandbox.providers.ProvidersSandboxApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * sandbox/providers started once per test JVM on a free port (its own Spring context), with the admin API
 * wrapped for tests. The alert-service under test gets a fixed free port too, so the simulator can call its
 * webhooks.
 */
public final class Sandbox {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Sandbox shared;

    public final int port;
    public final int servicePort;
    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();

    private Sandbox(int port, int servicePort) {
        this.port = port;
        this.servicePort = servicePort;
        RedisTestServer redis = RedisTestServer.shared();
        this.context = new SpringApplicationBuilder(ProvidersSandboxApplication.class)
                .run("--server.port=" + port, "--spring.data.redis.host=" + redis.host(),
                        "--spring.data.redis.port=" + redis.port(), "--spring.application.name=sandbox-providers",
                        "--spring.jmx.enabled=false", "--apiary.security.public-paths=/**",
                        "--apiary.web.max-body-size=50MB", "--server.http2.enabled=true");
    }

    public static synchronized Sandbox shared() {
        if (shared == null) {
            shared = new Sandbox(freePort(), freePort());
        }
        return shared;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public String serviceUrl() {
        return "http://localhost:" + servicePort;
    }

    /** Forget everything and apply test settings: fast rates, short callback delays, no random failures. */
    public void reset(Map<String, Object> overrides) {
        post("/_admin/reset?settings=true", "{}");
        Map<String, Object> c = new HashMap<>();
        c.put("sms_segments_per_second", 2000);
        c.put("calls_per_second", 500);
        c.put("callback_min_delay_ms", 5);
        c.put("callback_max_delay_ms", 60);
        c.put("duplicate_callback_rate", 0.2);
        c.put("out_of_order_rate", 0.2);
        c.put("mailgun_webhook_url", serviceUrl() + "/api/alerts/v1/webhooks/mailgun");
        c.put("inbound_sms_url", serviceUrl() + "/api/alerts/v1/webhooks/twilio/inbound");
        c.putAll(overrides);
        config(c);
    }

    public void config(Map<String, Object> values) {
        post("/_admin/config", JSON.writeValueAsString(values));
    }

    public JsonNode truth(String channel) {
        return JSON.readTree(get("/_admin/truth?channel=" + channel)).path(channel);
    }

    /** A text from {@code from} to {@code to}, as Twilio posts it to the service; answers the service's answer. */
    public JsonNode inboundSms(String from, String to, String body) {
        return JSON.readTree(post("/_admin/inbound/sms", JSON.writeValueAsString(Map.of("from", from, "to", to,
                "body", body))));
    }

    /** The recipient of the latest email to {@code recipient} unsubscribes or complains; answers the service's answer. */
    public JsonNode mailgunEvent(String event, String recipient) {
        return JSON.readTree(post("/_admin/inbound/mailgun", JSON.writeValueAsString(Map.of("event", event,
                "recipient", recipient))));
    }

    public JsonNode stats() {
        return JSON.readTree(get("/_admin/stats"));
    }

    private String get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String post(String path, String json) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("sandbox " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
