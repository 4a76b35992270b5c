package dev.apiary.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.alert.api.DispatchSweeper;
import dev.apiary.alert.core.AlertPlan;
import dev.apiary.alert.core.Channel;
import dev.apiary.alert.store.AlertWriter;
import dev.apiary.alert.store.Keys;
import dev.apiary.alert.support.AlertServiceTestBase;
import tools.jackson.databind.JsonNode;

/**
 * The dispatch sweeper repairs what a crash in the middle of a create leaves: hashes without an alert are deleted,
 * an alert written but never queued is dispatched (each delivery sent once), a finished one is left alone.
 */
class DispatchSweeperTest extends AlertServiceTestBase {

    @Autowired
    DispatchSweeper sweeper;
    @Autowired
    AlertWriter writer;
    @Autowired
    StringRedisTemplate redis;

    @BeforeEach
    void reset() {
        sandbox().reset(Map.of());
    }

    static String newId() {
        return "al" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    }

    /** Past the grace of every entry written now. */
    static Instant later() {
        return Instant.now().plus(Duration.ofHours(1));
    }

    @Test
    void hashesLeftWithoutTheirAlertAreDeleted() {
        String id = newId();
        writer.markPending(id);
        redis.opsForHash().put(Keys.deliveries(id), "0", "{}");
        redis.opsForHash().put(Keys.states(id), "0", "queued");
        assertThat(sweeper.sweep(later())).isZero();
        assertThat(redis.hasKey(Keys.states(id))).isFalse();
        assertThat(redis.hasKey(Keys.deliveries(id))).isFalse();
        assertThat(redis.opsForZSet().score(Keys.DISPATCHING, id)).isNull();
    }

    @Test
    void anAlertWrittenButNeverQueuedIsDispatchedOnce() {
        String id = newId();
        List<String> phones = List.of("+12025550711", "+12025550712", "+12025550713");
        List<AlertPlan.Delivery> ds = phones.stream()
                .map(p -> new AlertPlan.Delivery(Channel.SMS, p, List.of("r" + p.substring(9)), "en")).toList();
        writer.markPending(id);
        writer.create(id, Map.of("id", id, "school_id", "north", "text", "Sweeper", "channels", "sms",
                        "state", "sending", "created_at", Long.toString(System.currentTimeMillis()),
                        "recipients", "3", "rejected", "[]"),
                new AlertPlan.Plan(ds, List.of()), Set.of(), Map.of(), Duration.ofMinutes(10));
        // the process "died" here: nothing was queued
        assertThat(sweeper.sweep(Instant.now())).as("still within the grace").isZero();
        assertThat(sweeper.sweep(later())).isEqualTo(1);
        assertThat(sweeper.sweep(later())).as("taken once").isZero();
        JsonNode done = awaitFinished(id, Duration.ofSeconds(90));
        assertThat(done.path("channels").path("sms").path("finished").asInt()).isEqualTo(3);
        for (String p : phones) {
            assertThat(sandbox().truth("sms").path(p).path("attempts").asInt()).as(p).isEqualTo(1);
        }
        assertThat(redis.opsForZSet().score(Keys.DISPATCHING, id)).isNull();
        // in the school's history, as a normally created alert
        JsonNode list = json(api("GET", "/api/alerts/v1/alerts?school_id=north&limit=200", null));
        assertThat(list.path("items").toString()).contains(id);
    }
}
