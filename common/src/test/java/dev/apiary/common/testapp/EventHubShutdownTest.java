package dev.apiary.common.testapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.apiary.common.events.EventHub;
import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.progress.StateModel;
import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;

/**
 * A graceful stop with open streams, some of them stuck on clients that do not read: every stream ends at once
 * (reason {@code shutdown}), the stuck ones are cut, and the web server's graceful shutdown has nothing left to
 * wait for (it would wait up to 30 s for an open request).
 */
class EventHubShutdownTest {

    static final String KEY = "test-key-1";

    @Test
    void aGracefulStopEndsEveryStreamWithoutWaitingForStuckClients() throws Exception {
        ConfigurableApplicationContext app = SpringApplication.run(TestApp.class, "--server.port=0",
                "--apiary.dev-mode=true", "--apiary.security.api-keys=" + KEY, "--test.events.buffer=100",
                "--test.tomcat.send-buffer=4096",
                "--spring.data.redis.host=" + RedisTestServer.shared().host(),
                "--spring.data.redis.port=" + RedisTestServer.shared().port());
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        JobStatusStore store = app.getBean(JobStatusStore.class);
        StreamTestController streams = app.getBean(StreamTestController.class);
        EventHub hub = app.getBean(EventHub.class);
        String id = "shutdown";
        String key = StreamTestController.key(id);
        store.delete(key);
        store.create(key, StateModel.of(List.of("running", "done"), Set.of("done")), Map.of("n", "0"), Duration.ofMinutes(5));
        List<StalledClient> stalled = new ArrayList<>();
        try (SseReader reader = SseReader.open(port, "/api/test/v1/fast/" + id + "/events", KEY)) {
            for (int i = 0; i < 3; i++) stalled.add(new StalledClient(port, "/api/test/v1/fast/" + id + "/events", KEY));
            Await.until(Duration.ofSeconds(10), "all connected", () -> streams.fast.clients(id) == 4);
            String pad = "x".repeat(8192);
            int[] n = {0};
            Await.until(Duration.ofSeconds(20), "the stalled clients' writers stuck", () -> {
                n[0]++;
                store.update(key, Map.of("n", String.valueOf(n[0]), "pad", pad));
                reader.await(Duration.ofSeconds(5), "change " + n[0], e -> e.data().path("n").asInt() == n[0]);
                return streams.fast.stats(id).maxBacklog() >= 5;
            });

            long t0 = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
            try {
                Await.until(Duration.ofSeconds(20), "the application stopped", closing::isDone);
            } catch (AssertionError e) {
                dumpThreads();   // what the stop waits for, so a failure explains itself
                throw e;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            closing.join();
            assertThat(seconds).as("seconds to stop").isLessThan(10);
            reader.awaitEnd(Duration.ofSeconds(5));
            SseReader.Received last = reader.events().getLast();
            assertThat(last.name()).isEqualTo("end");
            assertThat(last.data().get("reason").asString()).isEqualTo("shutdown");
            assertThat(hub.clients()).isZero();
        } finally {
            for (StalledClient s : stalled) s.close();
            app.close();
        }
    }

    private static void dumpThreads() {
        StringBuilder b = new StringBuilder("threads while the application did not stop:\n");
        Thread.getAllStackTraces().forEach((t, stack) -> {
            b.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement f : stack) b.append("    at ").append(f).append('\n');
        });
        System.out.println(b);
    }
}
