package dev.apiary.common.testapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.progress.StateModel;
import dev.apiary.common.test.RedisTestServer;

/** Forward-only states in Redis: the store's script and the model's Lua agree with the Java rules. */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apiary.security.api-keys=test-key-1", "test.events.buffer=8", "test.tomcat.send-buffer=4096",
        "apiary.events.drop-grace=30s"})
class JobStatusStoreTest {

    static final StateModel JOB = StateModel.of(List.of("queued", "running", "done", "failed"), Set.of("done", "failed"));
    /** Several finals on one rank, as a delivery has. */
    static final StateModel DELIVERY = StateModel.first("queued").then("sending").then("sent")
            .thenFinal("delivered", "undelivered", "failed", "opted_out").build();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
    }

    @Autowired
    JobStatusStore store;
    @Autowired
    StringRedisTemplate redis;

    @Test
    void stateOnlyMovesForward() {
        String key = "apiary:test:status:fwd";
        store.delete(key);
        assertThat(store.create(key, JOB, Map.of(), Duration.ofMinutes(1))).isTrue();
        assertThat(store.create(key, JOB, Map.of(), Duration.ofMinutes(1))).isFalse();
        assertThat(store.get(key)).containsEntry("state", "queued");
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
    void statesOfOneRankDoNotMoveToEachOtherAndUnknownStatesAreRefused() {
        String key = "apiary:test:status:ranks";
        store.delete(key);
        store.create(key, DELIVERY, Map.of(), Duration.ofMinutes(1));
        assertThat(store.get(key)).containsEntry("_order", "queued,sending,sent,delivered|undelivered|failed|opted_out");
        assertThat(store.transition(key, "bogus", Map.of())).isFalse();
        assertThat(store.transition(key, "sent", Map.of())).isTrue();       // a step may be skipped
        assertThat(store.transition(key, "sending", Map.of())).isFalse();   // a late callback
        assertThat(store.transition(key, "delivered", Map.of())).isTrue();
        assertThat(store.transition(key, "failed", Map.of())).isFalse();    // same rank, and final
        assertThat(store.get(key)).containsEntry("state", "delivered");
        assertThat(JobStatusStore.isFinal(store.get(key))).isTrue();
    }

    @Test
    void theModelsLuaDecidesExactlyAsJavaDoes() {
        StateModel sms = DELIVERY.only(List.of("queued", "sending", "sent", "delivered", "undelivered", "opted_out"));
        for (StateModel model : List.of(JOB, DELIVERY, sms)) {
            RedisScript<String> script = RedisScript.of(model.lua() + """
                    local out = {}
                    for i = 1, #ARGV, 2 do
                      local from, to = ARGV[i], ARGV[i + 1]
                      out[#out + 1] = rank(from) .. ':' .. tostring(is_final(from)) .. ':' .. tostring(can_move(from, to))
                    end
                    return table.concat(out, ',')
                    """, String.class);
            List<String> names = new java.util.ArrayList<>(DELIVERY.states());
            names.addAll(List.of("running", "done", "bogus"));
            List<String> args = new java.util.ArrayList<>();
            StringBuilder expected = new StringBuilder();
            for (String from : names) {
                for (String to : names) {
                    args.add(from);
                    args.add(to);
                    if (!expected.isEmpty()) expected.append(',');
                    expected.append(model.rank(from)).append(':').append(model.isFinal(from)).append(':')
                            .append(model.canMove(from, to));
                }
            }
            assertThat(redis.execute(script, List.of(), args.toArray())).as(model.encoded()).isEqualTo(expected.toString());
        }
    }
}
