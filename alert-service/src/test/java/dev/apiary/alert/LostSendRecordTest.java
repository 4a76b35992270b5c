package dev.apiary.alert;

import static dev.apiary.alert.AlertFlowTest.alertJson;
import static dev.apiary.alert.AlertFlowTest.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.alert.reconcile.Reconciler;
import dev.apiary.alert.store.Keys;
import dev.apiary.alert.support.AlertServiceTestBase;
import dev.apiary.common.test.Await;
import tools.jackson.databind.JsonNode;

/**
 * A send whose record a Redis failover lost (seen in the failover drill: the write of "sent" and its provider id was
 * acknowledged by the old master, the queue entry's ack reached the new one): Twilio has the message or call, the
 * delivery says "sending" and has no id, and no batch will look at it again. Reconciliation finds it at Twilio and
 * settles it, without sending it twice.
 */
class LostSendRecordTest extends AlertServiceTestBase {
    @Autowired
    Reconciler reconciler;
    @Autowired
    StringRedisTemplate redis;

    @BeforeEach
    void reset() {
        sandbox().reset(Map.of("callbacks_enabled", false));
    }

    private List<JsonNode> deliveries(String id) {
        List<JsonNode> out = new ArrayList<>();
        json(api("GET", "/api/alerts/v1/alerts/" + id + "/deliveries", null)).path("deliveries").forEach(out::add);
        return out;
    }

    @Test
    void aSendWhoseRecordWasLostIsFoundAtTwilioAndSettledWithoutASecondSend() {
        String id = create(alertJson("west", List.of("sms", "voice"),
                List.of(recipient("l1", "L", null, "+12025550777", null))), null);
        Await.until(Duration.ofSeconds(20), "sms and call sent", () -> {
            JsonNode c = alert(id).path("channels");
            return c.path("sms").path("states").path("sent").asInt() == 1
                    && c.path("voice").path("states").path("sent").asInt() == 1;
        });
        Map<String, String> sentIds = new HashMap<>();
        for (JsonNode d : deliveries(id)) {
            sentIds.put(d.path("channel").asString(), d.path("provider_id").asString());
            // what the lost write leaves: sending, no provider id, counted as sending, claimed long ago
            String index = d.path("id").asString().substring(id.length() + 1);
            String ch = d.path("channel").asString();
            redis.opsForHash().put(Keys.states(id), index, "sending");
            redis.opsForHash().delete(Keys.providerIds(id), index);
            redis.opsForHash().increment(Keys.meta(id), "c:" + ch + ":sent", -1);
            redis.opsForHash().increment(Keys.meta(id), "c:" + ch + ":sending", 1);
            redis.opsForZSet().add(Keys.unsettledSince(id), index, 1);
        }
        assertThat(deliveries(id)).allSatisfy(d -> {
            assertThat(d.path("state").asString()).isEqualTo("sending");
            assertThat(d.path("provider_id").isNull() || d.path("provider_id").isMissingNode()).isTrue();
        });

        Await.until(Duration.ofSeconds(20), "settled by reconciliation", () -> {
            reconciler.runOnce();
            return alert(id).path("finished").asBoolean();
        });
        for (JsonNode d : deliveries(id)) {
            String ch = d.path("channel").asString();
            assertThat(d.path("provider_id").asString()).as(ch).isEqualTo(sentIds.get(ch));
            JsonNode truth = sandbox().truth(ch).path("+12025550777");
            assertThat(d.path("state").asString()).as(ch).isEqualTo(truth.path("final").asString());
            assertThat(truth.path("accepted").asInt()).as(ch + ": sent once").isEqualTo(1);
        }
    }
}
