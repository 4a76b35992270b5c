package dev.apiary.alert.dispatch;

import dev.apiary.alert.core.SendResult;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.core.AlertPlan;
import dev.apiary.alert.core.Channel;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.support.AlertServiceTestBase;
import dev.apiary.common.queue.WorkItem;
import tools.jackson.databind.JsonNode;

/**
 * Batches whose instance died: one taken over from a dead consumer asks the provider before re-sending; one the
 * queue gives up on (its instances kept dying, see common's WorkQueueTest) settles its deliveries.
 */
class AbandonedBatchTest extends AlertServiceTestBase {

    @Autowired
    AlertStore store;
    @Autowired
    dev.apiary.alert.store.AlertWriter writer;
    @Autowired
    Dispatcher dispatcher;
    @Autowired
    TwilioGateway twilio;
    @Autowired
    AlertProperties props;

    @Test
    void aBatchTakenOverFromADeadConsumerFindsWhatItHadSentAndDoesNotSendItAgain() throws Exception {
        sandbox().reset(Map.of("callbacks_enabled", false));
        String phone = "+12025550611";
        String id = newAlert(List.of(phone));
        assertThat(store.nextBatch(id, Channel.SMS, 1)).containsExactly(0, 1); // the batch the dead instance had
        // what the dead instance did before it died: claimed the delivery, sent it, never recorded the answer
        store.claim(id, 0, 1);
        SendResult first = twilio.sms(phone, props.senders("north"), "x", URI.create(base() + "/x"));
        assertThat(first).isInstanceOf(SendResult.Accepted.class);

        // the queue hands the entry over: attempt 1 (it never failed), one consumer died on it
        dispatcher.handle(Channel.SMS, new WorkItem("1-1", Map.of("alert", id, "from", "0", "to", "1"), 1, 1));

        assertThat(sandbox().truth("sms").path(phone).path("attempts").asInt()).isEqualTo(1);
        JsonNode sms = alert(id).path("channels").path("sms").path("states");
        assertThat(sms.path("sending").asInt()).isZero();
        assertThat(sms.path("queued").asInt()).isZero();
    }

    @Test
    void theUnsentDeliveriesOfAnAbandonedBatchFailAndTheSentOneStays() {
        String id = newAlert(List.of("+12025550601", "+12025550602", "+12025550603"));
        store.claim(id, 0, 1);
        store.transition(id, List.of(0), "sent", "sending", "SM-test", null);

        dispatcher.abandoned(Channel.SMS, new WorkItem("1-1", Map.of("alert", id, "from", "0", "to", "3"), 1),
                "abandoned: the consumer handling it died 5 times (crash or kill)");

        JsonNode sms = alert(id).path("channels").path("sms").path("states");
        assertThat(sms.path("sent").asInt()).isEqualTo(1);
        assertThat(sms.path("failed").asInt()).isEqualTo(2);
        JsonNode failed = json(api("GET", "/api/alerts/v1/alerts/" + id + "/deliveries?state=failed", null));
        assertThat(failed.path("deliveries")).hasSize(2)
                .allSatisfy(d -> assertThat(d.path("reason").asString()).isEqualTo("dispatch_abandoned"));
    }

    /** An SMS alert written straight to the store, not dispatched: only what the test does touches it. */
    private String newAlert(List<String> phones) {
        String id = "al" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        List<AlertPlan.Delivery> ds = phones.stream()
                .map(phone -> new AlertPlan.Delivery(Channel.SMS, phone, List.of("r" + phone.substring(9)), "en"))
                .toList();
        writer.create(id, Map.of("id", id, "school_id", "north", "text", "x", "channels", "sms", "state", "sending",
                        "created_at", Long.toString(System.currentTimeMillis()), "recipients",
                        Integer.toString(phones.size()), "rejected", "[]"),
                new AlertPlan.Plan(ds, List.of()), Set.of(), Map.of(), Duration.ofMinutes(10));
        return id;
    }
}
