package dev.apiary.sandbox.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.sun.net.httpserver.HttpServer;
import com.twilio.security.RequestValidator;

import dev.apiary.sandbox.providers.sim.Callbacks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProvidersSandboxTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SID = "AC00000000000000000000000000000000";
    static final String TWILIO_AUTH = "Basic " + Base64.getEncoder().encodeToString((SID + ":sandbox-auth-token").getBytes());

    @LocalServerPort
    int port;
    final HttpClient http = HttpClient.newHttpClient();
    HttpServer receiver;
    final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, Object> r = new HashMap<>();
            r.put("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + ex.getRequestURI());
            r.put("body", body);
            r.put("signature", ex.getRequestHeaders().getFirst("X-Twilio-Signature"));
            received.add(r);
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        post("/_admin/reset?settings=true", "application/json", "{}", Map.of());
        post("/_admin/config", "application/json", JSON.writeValueAsString(Map.of("callback_min_delay_ms", 1,
                "callback_max_delay_ms", 20, "mailgun_webhook_url", hook("/mailgun"))), Map.of());
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    String hook(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    HttpResponse<String> post(String path, String type, String body, Map<String, String> headers) {
        try {
            var b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(b::header);
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> sms(String to, String body) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("To", to);
        f.put("From", "+15005550006");
        f.put("Body", body);
        f.put("StatusCallback", hook("/twilio?d=x.1"));
        return post("/2010-04-01/Accounts/" + SID + "/Messages.json", "application/x-www-form-urlencoded", form(f),
                Map.of("Authorization", TWILIO_AUTH));
    }

    static String form(Map<String, String> f) {
        return f.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    void await(String what, java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void twilioMessagesAreAcceptedRecordedAndCalledBackWithValidSignatures() throws Exception {
        HttpResponse<String> r = sms("+12025550101", "hello");
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode m = JSON.readTree(r.body());
        assertThat(m.path("sid").asString()).startsWith("SM");
        assertThat(m.path("status").asString()).isEqualTo("queued");
        await("two callbacks", () -> received.size() >= 2);
        RequestValidator validator = new RequestValidator("sandbox-auth-token");
        for (Map<String, Object> cb : received) {
            Map<String, String> params = new HashMap<>();
            for (String pair : ((String) cb.get("body")).split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            assertThat(validator.validate((String) cb.get("url"), params, (String) cb.get("signature"))).isTrue();
            assertThat(params.get("MessageSid")).isEqualTo(m.path("sid").asString());
        }
        JsonNode truth = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/_admin/truth?channel=sms")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(truth.path("sms").path("+12025550101").path("final").asString()).isEqualTo("delivered");
        assertThat(truth.path("sms").path("+12025550101").path("accepted").asInt()).isEqualTo(1);
    }

    @Test
    void testNumbersTriggerTwilioErrorsAndRatesAreEnforcedWith20429() {
        assertThat(JSON.readTree(sms("+12025559901", "x").body()).path("code").asInt()).isEqualTo(21211);
        assertThat(JSON.readTree(sms("+12025559902", "x").body()).path("code").asInt()).isEqualTo(21614);
        assertThat(JSON.readTree(sms("+12025559903", "x").body()).path("code").asInt()).isEqualTo(21610);
        assertThat(sms("+12025559905", "x").statusCode()).isEqualTo(500);
        assertThat(post("/2010-04-01/Accounts/" + SID + "/Messages.json", "application/x-www-form-urlencoded",
                "To=%2B12025550101&From=%2B15005550006&Body=x", Map.of("Authorization", "Basic bad")).statusCode()).isEqualTo(401);

        // one token, refilled every 10 s: the loop below cannot earn a second one unless it takes 10 s (a loaded machine
        // must not make this pass or fail by timing)
        post("/_admin/config", "application/json", "{\"sms_segments_per_second\": 0.1, \"burst_seconds\": 10}", Map.of());
        int limited = 0;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = sms("+1202555" + (1000 + i), "hi");
            if (r.statusCode() == 429) {
                limited++;
                assertThat(JSON.readTree(r.body()).path("code").asInt()).isEqualTo(20429);
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
            }
        }
        assertThat(limited).isGreaterThanOrEqualTo(8);
        assertThat(post("/_admin/config", "application/json", "{\"unknown_setting\": 1}", Map.of()).statusCode()).isEqualTo(400);
    }

    @Test
    void mailgunBatchesUseRecipientVariablesAndSignedWebhooks() throws Exception {
        String boundary = "b0undary";
        StringBuilder body = new StringBuilder();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("from", "Alerts <a@mg.example.org>");
        fields.put("subject", "s");
        fields.put("text", "t");
        fields.put("recipient-variables", "{\"x@example.org\":{\"d\":\"al1.0\"},\"bounce.y@example.org\":{\"d\":\"al1.1\"}}");
        fields.put("v:d", "%recipient.d%");
        for (var e : fields.entrySet()) {
            body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(e.getKey())
                    .append("\"\r\n\r\n").append(e.getValue()).append("\r\n");
        }
        for (String to : List.of("x@example.org", "bounce.y@example.org")) {
            body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"to\"\r\n\r\n")
                    .append(to).append("\r\n");
        }
        body.append("--").append(boundary).append("--\r\n");
        HttpResponse<String> r = post("/v3/mg.example.org/messages", "multipart/form-data; boundary=" + boundary,
                body.toString(), Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString("api:key-sandbox".getBytes())));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("id").asString()).endsWith("@mg.example.org>");
        await("two webhooks", () -> received.stream().filter(c -> c.get("url").toString().endsWith("/mailgun")).count() >= 2);
        Map<String, String> events = new HashMap<>();
        for (Map<String, Object> cb : received) {
            JsonNode w = JSON.readTree((String) cb.get("body"));
            JsonNode sig = w.path("signature");
            assertThat(Callbacks.mailgunSignature("sandbox-signing-key", sig.path("timestamp").asString(),
                    sig.path("token").asString())).isEqualTo(sig.path("signature").asString());
            events.put(w.path("event-data").path("user-variables").path("d").asString(), w.path("event-data").path("event").asString());
        }
        assertThat(events).containsEntry("al1.0", "delivered").containsEntry("al1.1", "failed");
    }
}
