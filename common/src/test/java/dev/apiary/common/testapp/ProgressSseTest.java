package dev.apiary.common.testapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.progress.StateModel;
import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;
import tools.jackson.databind.JsonNode;

@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "apiary.security.api-keys=test-key-1")
class ProgressSseTest {

    static final StateModel MODEL = StateModel.of(List.of("queued", "running", "done", "failed"), Set.of("done", "failed"));

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
    }

    @LocalServerPort
    int port;
    @Autowired
    JobStatusStore store;

    @Test
    void stateOnlyMovesForward() {
        String key = "apiary:test:status:fwd";
        store.delete(key);
        assertThat(store.create(key, MODEL, Map.of(), Duration.ofMinutes(1))).isTrue();
        assertThat(store.create(key, MODEL, Map.of(), Duration.ofMinutes(1))).isFalse();
        assertThat(store.transition(key, "running", Map.of("started_at", "t1"))).isTrue();
        assertThat(store.transition(key, "queued", Map.of())).isFalse();
        assertThat(store.transition(key, "running", Map.of())).isFalse();
        assertThat(store.transition(key, "done", Map.of())).isTrue();
        assertThat(store.transition(key, "failed", Map.of("error", "late"))).isFalse();
        assertThat(store.get(key)).containsEntry("state", "done").containsEntry("started_at", "t1").doesNotContainKey("error");
        assertThat(store.transition("apiary:test:status:none", "running", Map.of())).isFalse();
        assertThat(store.increment("apiary:test:status:none", "done", 1)).isEqualTo(-1);
    }

    @Test
    void aClientConnectingMidJobSeesCurrentCountersThenEveryChangeThenTheFinalState() throws Exception {
        String key = "apiary:test:status:j1";
        store.delete(key);
        store.create(key, MODEL, Map.of("done", "0"), Duration.ofMinutes(1));
        store.transition(key, "running", Map.of());
        store.increment(key, "done", 7);

        List<JsonNode> events = new ArrayList<>();
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port
                + "/api/test/v1/status/j1/events").toURL().openConnection();
        c.setRequestProperty("Authorization", "Bearer test-key-1");
        c.setReadTimeout(10_000);
        assertThat(c.getResponseCode()).isEqualTo(200);
        assertThat(c.getContentType()).startsWith("text/event-stream");
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try (var in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        synchronized (events) {
                            events.add(TestHttp.JSON.readTree(line.substring(5)));
                        }
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Await.until(Duration.ofSeconds(5), "first event", () -> { synchronized (events) { return !events.isEmpty(); } });
        synchronized (events) {
            assertThat(events.getFirst().get("state").asString()).isEqualTo("running");
            assertThat(events.getFirst().get("done").asInt()).isEqualTo(7);
        }
        store.increment(key, "done", 1);
        Await.until(Duration.ofSeconds(5), "counter change", () -> { synchronized (events) { return events.getLast().get("done").asInt() == 8; } });
        store.increment(key, "done", 2);
        store.transition(key, "done", Map.of());
        reading.get(10, TimeUnit.SECONDS); // the server closes the stream after the final state
        assertThat(events.getLast().get("state").asString()).isEqualTo("done");
        assertThat(events.getLast().get("done").asInt()).isEqualTo(10);
        List<Integer> counts = events.stream().map(e -> e.get("done").asInt()).toList();
        assertThat(counts).isSorted();
    }

    @Test
    void eventsOfAnUnknownJobAreA404() throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port
                + "/api/test/v1/status/missing/events").toURL().openConnection();
        c.setRequestProperty("Authorization", "Bearer test-key-1");
        assertThat(c.getResponseCode()).isEqualTo(404);
    }
}
