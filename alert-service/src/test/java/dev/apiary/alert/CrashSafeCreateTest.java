package dev.apiary.alert;

import static dev.apiary.alert.AlertFlowTest.alertJson;
import static dev.apiary.alert.AlertFlowTest.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.alert.support.AlertProcess;
import dev.apiary.alert.support.Sandbox;
import dev.apiary.common.test.Await;
import dev.apiary.common.test.SharedRedisTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Crashes and failures in the middle of a create, with alert-service as a separate process (kill -9) and the
 * sandbox's ground truth as the judge of what was sent:
 * <ul>
 * <li>killed between the Idempotency-Key reservation and the creation: the reservation holds only its short pending
 *     time, so the client's retry on another instance creates the alert exactly once;</li>
 * <li>a failure after the first batch is queued: the key already stands for the alert, the retry answers the same
 *     alert, the sweeper queues the rest, and nothing is sent twice.</li>
 * </ul>
 */
class CrashSafeCreateTest {
    static final int DB = 7;
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final SharedRedisTemplate REDIS = new SharedRedisTemplate(DB);
    final StringRedisTemplate redis = REDIS.template();
    final List<AlertProcess> processes = new ArrayList<>();

    @BeforeEach
    void clean() {
        REDIS.flushDb();
        Sandbox.shared().reset(Map.of());
    }

    @AfterEach
    void stop() {
        processes.forEach(p -> p.service.process.destroyForcibly());
    }

    AlertProcess start(String name, String... settings) throws Exception {
        AlertProcess p = AlertProcess.start("crash-safe-" + name, DB, settings);
        processes.add(p);
        return p;
    }

    Set<String> alerts() {
        return redis.keys("apiary:alert:{*}:meta");
    }

    List<String> pendingReservations() {
        return redis.keys("apiary:alert:idem:*").stream().map(k -> redis.opsForValue().get(k))
                .filter(v -> v != null && v.startsWith("pending ")).toList();
    }

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    static List<String> phones(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + String.format("%02d", i)).toList();
    }

    static String body(List<String> channels, List<String> phones) {
        return alertJson("north", channels, phones.stream().map(p -> recipient("r" + p, "R", null, p, null)).toList());
    }

    JsonNode awaitFinished(AlertProcess p, String id) {
        Await.until(WAIT, "alert " + id + " finished",
                () -> json(p.get("/api/alerts/v1/alerts/" + id)).path("finished").asBoolean());
        return json(p.get("/api/alerts/v1/alerts/" + id));
    }

    @Test
    void theRetryAfterAKillBetweenReservationAndCreationCreatesTheAlertExactlyOnce() throws Exception {
        AlertProcess a = start("A", "apiary.alert.fault-injection.stall-after-reservation=10m",
                "apiary.alert.idempotency-pending=15s");
        List<String> phones = phones("+120255561", 12);
        String body = body(List.of("sms"), phones);
        CompletableFuture<HttpResponse<String>> stalled = a.create(body, "snow-day-1");

        Await.until(WAIT, "A reserved the key and stalls", () -> pendingReservations().size() == 1);
        assertThat(alerts()).as("no alert yet").isEmpty();
        HttpResponse<String> busy = a.create(body, "snow-day-1").join();
        assertThat(busy.statusCode()).as(busy.body()).isEqualTo(409);
        assertThat(json(busy).path("field").asString()).isEqualTo("Idempotency-Key");

        a.kill();
        assertThat(stalled.handle((r, e) -> r == null ? -1 : r.statusCode()).get()).as("A never answered").isEqualTo(-1);
        assertThat(alerts()).isEmpty();

        AlertProcess b = start("B");
        // the client retries: 409 until the dead instance's reservation has expired, then the alert is created
        AtomicReference<HttpResponse<String>> created = new AtomicReference<>();
        Await.until(WAIT, "a retry creates the alert", () -> {
            HttpResponse<String> r = b.create(body, "snow-day-1").join();
            assertThat(r.statusCode()).as(r.body()).isIn(202, 409);
            created.set(r);
            return r.statusCode() == 202;
        });
        String id = json(created.get()).path("id").asString();
        assertThat(created.get().headers().firstValue("Idempotent-Replayed")).hasValue("false");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> again = b.create(body, "snow-day-1").join();
            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(json(again).path("id").asString()).isEqualTo(id);
            assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        }
        assertThat(alerts()).containsExactly("apiary:alert:{" + id + "}:meta");
        assertThat(pendingReservations()).isEmpty();

        JsonNode done = awaitFinished(b, id);
        assertThat(done.path("channels").path("sms").path("finished").asInt()).isEqualTo(phones.size());
        JsonNode truth = Sandbox.shared().truth("sms");
        for (String phone : phones) {
            assertThat(truth.path(phone).path("attempts").asInt()).as(phone).isEqualTo(1);
        }
        assertThat(alerts()).hasSize(1);
    }

    @Test
    void aFailureAfterTheFirstBatchIsQueuedSendsNothingTwice() throws Exception {
        AlertProcess c = start("C", "apiary.alert.fault-injection.fail-after-queued-batches=1",
                "apiary.alert.dispatch.sms-batch=5", "apiary.alert.dispatch.voice-batch=5",
                "apiary.alert.dispatch-grace=2s", "apiary.alert.dispatch-sweep-interval=1s");
        List<String> phones = phones("+120255562", 20);
        String body = body(List.of("sms", "voice"), phones);

        HttpResponse<String> failed = c.create(body, "storm-1").join();
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
        assertThat(alerts()).as("the alert exists although its dispatch failed").hasSize(1);
        String id = alerts().iterator().next().replaceAll("^apiary:alert:\\{(.*)}:meta$", "$1");

        // the client retries: the same alert, nothing created or dispatched anew
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> retry = c.create(body, "storm-1").join();
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
            assertThat(json(retry).path("id").asString()).isEqualTo(id);
            assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        }
        assertThat(alerts()).hasSize(1);

        // voice was never queued by the failed create: only the sweeper can have started it
        JsonNode done = awaitFinished(c, id);
        assertThat(done.path("channels").path("sms").path("finished").asInt()).isEqualTo(phones.size());
        assertThat(done.path("channels").path("voice").path("finished").asInt()).isEqualTo(phones.size());
        JsonNode sms = Sandbox.shared().truth("sms");
        JsonNode voice = Sandbox.shared().truth("voice");
        for (String phone : phones) {
            assertThat(sms.path(phone).path("attempts").asInt()).as("sms " + phone).isEqualTo(1);
            assertThat(voice.path(phone).path("attempts").asInt()).as("call " + phone).isEqualTo(1);
        }
        JsonNode stats = Sandbox.shared().stats();
        assertThat(stats.path("sms_duplicates").asLong()).isZero();
        assertThat(stats.path("voice_duplicates").asLong()).isZero();
        assertThat(redis.opsForZSet().size("apiary:alert:dispatching")).as("the sweeper confirmed it").isZero();
    }
}
