package dev.apiary.alert.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.apiary.alert.core.AlertPlan;
import dev.apiary.alert.core.Channel;
import dev.apiary.alert.core.DeliveryState;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.AlertWriter;
import dev.apiary.alert.support.AlertServiceTestBase;

/** Re-sends after ambiguous failures and batch retries, against sandbox/providers through twilio-java. */
class ResendTest extends AlertServiceTestBase {
    @Autowired
    AlertStore store;
    @Autowired
    TwilioBatchSender sender;
    @Autowired
    AlertWriter writer;

    @Test
    void aLookupNeverAdoptsAProviderIdThatAnotherDeliveryOwns() throws Exception {
        sandbox().reset(Map.of("callbacks_enabled", false));
        String phone = "+12025550711";
        long now = System.currentTimeMillis();
        String retried = newAlert(phone, now - 60_000); // its retry looks up everything since its creation
        String other = newAlert(phone, now);
        // another alert sends the same text to the same number and records its id
        store.claim(other, 0, 1);
        assertThat(sender.send(Channel.SMS, other, store.meta(other), store.infos(other, List.of(0)), false)).isEmpty();
        String otherId = store.providerId(other, 0);
        assertThat(otherId).isNotNull();

        // the first alert's batch runs again (it may have sent before): the lookup finds the other alert's message
        store.claim(retried, 0, 1);
        assertThat(sender.send(Channel.SMS, retried, store.meta(retried), store.infos(retried, List.of(0)), true))
                .isEmpty();

        assertThat(sandbox().truth("sms").path(phone).path("attempts").asInt()).isEqualTo(2);
        assertThat(store.state(retried, 0)).isEqualTo(DeliveryState.SENT);
        assertThat(store.providerId(retried, 0)).isNotNull().isNotEqualTo(otherId);
    }

    @Test
    void aRetryRereadsEachDeliveryAndSkipsOnesAlreadySent() throws Exception {
        sandbox().reset(Map.of("callbacks_enabled", false));
        String phone = "+12025550712";
        String id = newAlert(phone, System.currentTimeMillis());
        store.claim(id, 0, 1);
        // meanwhile a status callback carrying the delivery id recorded it as sent
        store.transition(id, List.of(0), DeliveryState.SENT, DeliveryState.SENDING, "SMfromcallback", null);

        assertThat(sender.send(Channel.SMS, id, store.meta(id), store.infos(id, List.of(0)), true)).isEmpty();

        assertThat(sandbox().truth("sms").path(phone).path("attempts").asInt()).isZero();
        assertThat(store.providerId(id, 0)).isEqualTo("SMfromcallback");
        assertThat(store.state(id, 0)).isEqualTo(DeliveryState.SENT);
    }

    /** A one-SMS alert written straight to the store, not dispatched: only what the test does touches it. */
    private String newAlert(String phone, long createdAt) {
        String id = "al" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        writer.create(id, Map.of("id", id, "school_id", "north", "text", "same text", "channels", "sms", "state",
                        "sending", "created_at", Long.toString(createdAt), "recipients", "1", "rejected", "[]"),
                new AlertPlan.Plan(List.of(new AlertPlan.Delivery(Channel.SMS, phone, List.of("r1"), "en")), List.of()),
                Set.of(), Map.of(), Duration.ofMinutes(10));
        return id;
    }
}
