package dev.apiary.alert;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.alert.support.AlertServiceClient;
import dev.apiary.alert.support.AlertServiceTestBase;
import dev.apiary.alert.support.Sandbox;
import tools.jackson.databind.JsonNode;

/**
 * An alert on one Redis topology (the subclass points the service at it): created through the API, dispatched by
 * the queue workers through the real SDKs to sandbox/providers, finished by the providers' signed status callbacks,
 * its progress streamed (SSE, pub/sub) to the final state; every delivery ends as the providers decided, nobody is
 * sent anything twice.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext // its own Redis: closed after the class, not cached beside the standalone context
abstract class AlertOnTopologyContract extends AlertServiceClient {

    static final int RECIPIENTS = 36;
    /**
     * The class's own port: a cached standalone context keeps the shared service port even while paused (tried: the
     * next context fails with "port in use"), so this one listens elsewhere and tells the sandbox where its callbacks
     * go: Twilio's per message through the public base URL, Mailgun's through the sandbox config.
     */
    static final int PORT = Sandbox.freePort();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        AlertServiceTestBase.register(r, PORT); // the subclass adds its Redis
    }

    @Autowired
    RedisConnectionFactory redis;

    /** Whether the service's Redis connection is the one this topology needs (not a standalone fallback). */
    abstract boolean onTopology(LettuceConnectionFactory redis);

    @Override
    protected String base() {
        return "http://localhost:" + PORT;
    }

    @AfterEach
    void callbacksBackToTheSharedPort() {
        sandbox().reset(Map.of());
    }

    @Test
    void anAlertOnEveryChannelFinishesAsTheProvidersDecidedAndItsProgressStreams() throws Exception {
        assertThat(onTopology((LettuceConnectionFactory) redis)).as("connected on the topology").isTrue();
        // a little provider latency, so the stream is open before anything is final and must follow pub/sub
        sandbox().reset(Map.of("latency_ms", 400, "mailgun_webhook_url", base() + "/api/alerts/v1/webhooks/mailgun",
                "inbound_sms_url", base() + "/api/alerts/v1/webhooks/twilio/inbound"));
        List<String> rs = new ArrayList<>(IntStream.range(0, RECIPIENTS - 2).mapToObj(i -> AlertFlowTest.recipient(
                "t" + i, "Pat " + i, "pat" + i + "@example.org", "+1202555" + (3000 + i), null)).toList());
        rs.add(AlertFlowTest.recipient("tx", "Cy Lee", "bounce.cy@example.org", "+12025559904", null)); // fails
        rs.add(AlertFlowTest.recipient("ty", "Hal Yu", "hal@example.org", "+12025559908", null)); // no answer
        String id = create(AlertFlowTest.alertJson("north", List.of("email", "sms", "voice"), rs), null);

        CompletableFuture<List<JsonNode>> stream = CompletableFuture.supplyAsync(() -> progress(id));
        JsonNode done = awaitFinished(id, Duration.ofSeconds(60));
        List<JsonNode> events = stream.get(30, TimeUnit.SECONDS);

        for (String ch : List.of("email", "sms", "voice")) {
            assertThat(done.path("channels").path(ch).path("total").asInt()).as(ch).isEqualTo(RECIPIENTS);
        }
        assertThat(events.size()).as(events.toString()).isGreaterThan(1);
        assertThat(events.getFirst().path("finished").asBoolean()).isFalse();
        JsonNode last = events.getLast();
        assertThat(last.path("finished").asBoolean()).isTrue();
        for (String ch : List.of("email", "sms", "voice")) {
            assertThat(last.path("channels").path(ch).path("finished").asInt()).as(ch).isEqualTo(RECIPIENTS);
        }

        Map<String, JsonNode> truth = Map.of("sms", sandbox().truth("sms"), "voice", sandbox().truth("voice"),
                "email", sandbox().truth("email"));
        JsonNode page = json(api("GET", "/api/alerts/v1/alerts/" + id + "/deliveries?limit=1000", null));
        assertThat(page.path("deliveries").size()).isEqualTo(3 * RECIPIENTS);
        Set<String> states = new HashSet<>();
        for (JsonNode d : page.path("deliveries")) {
            JsonNode t = truth.get(d.path("channel").asString()).path(d.path("address").asString());
            assertThat(t.path("accepted").asInt()).as("sends of %s", d.path("id").asString()).isLessThanOrEqualTo(1);
            String expected = switch (t.path("final").asString()) {
                case "rejected" -> "failed";
                case "no-answer" -> "no_answer";
                default -> t.path("final").asString();
            };
            assertThat(d.path("state").asString()).as("state of %s", d.path("id").asString()).isEqualTo(expected);
            states.add(d.path("state").asString());
        }
        assertThat(states).contains("delivered", "completed", "no_answer", "failed");

        // the final states came from the providers' signed status callbacks, which the service accepted
        JsonNode stats = sandbox().stats();
        assertThat(stats.path("sms_duplicates").asLong() + stats.path("voice_duplicates").asLong()
                + stats.path("email_duplicates").asLong()).as(stats.toString()).isZero();
        assertThat(stats.path("twilio_callbacks_200").asLong()).as(stats.toString()).isGreaterThanOrEqualTo(2 * RECIPIENTS);
        assertThat(stats.path("mailgun_callbacks_200").asLong()).as(stats.toString()).isGreaterThanOrEqualTo(RECIPIENTS);
        stats.properties().forEach(e -> assertThat(!e.getKey().contains("callbacks_") || e.getKey().endsWith("_200"))
                .as("callback answered %s: %s", e.getKey(), stats).isTrue());
    }

    /** The alert's progress stream, read to its end (the stream ends when the alert is finished). */
    private List<JsonNode> progress(String id) {
        List<JsonNode> events = new ArrayList<>();
        try {
            HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(
                            URI.create(base() + "/api/alerts/v1/alerts/" + id + "/events"))
                    .header("Authorization", "Bearer " + KEY).header("Accept", "text/event-stream")
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        events.add(JSON.readTree(line.substring(5)));
                    }
                }
            }
            return events;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
