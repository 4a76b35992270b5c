package dev.apiary.alert.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The SMS/voice send state machine, without Redis or HTTP. */
class SendMachineTest {
    private static final SendMachine.Policy POLICY = new SendMachine.Policy(4,
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10)), Duration.ofSeconds(5));

    private static SendMachine fresh() {
        return new SendMachine(POLICY, false);
    }

    @Test
    void aFreshDeliveryIsSentAndA2xxSettlesItAsSent() {
        SendMachine m = fresh();
        assertThat(m.start()).isInstanceOf(SendMachine.Send.class);
        assertThat(m.answered(new SendResult.Accepted("SM1"), false))
                .isEqualTo(new SendMachine.Settle(DeliveryState.SENT, "SM1", null));
    }

    @Test
    void a429WithRetryAfterWaitsThatLongPlusJitterThenSendsWithoutLookup() {
        SendMachine m = fresh();
        m.start();
        SendMachine.Next n = m.answered(new SendResult.Retry(Duration.ofSeconds(7), false, "twilio_20429"), false);
        assertThat(n).isInstanceOfSatisfying(SendMachine.Wait.class, w -> assertThat(w.delay())
                .isBetween(Duration.ofSeconds(7), Duration.ofMillis(7100)));
        assertThat(m.waited()).isInstanceOf(SendMachine.Send.class);
        assertThat(m.attempt()).isEqualTo(2);
    }

    @Test
    void a429WithoutRetryAfterBacksOffExponentiallyWithJitter() {
        SendMachine m = fresh();
        m.start();
        SendResult r429 = new SendResult.Retry(null, false, "twilio_20429");
        assertThat(m.answered(r429, false)).isInstanceOfSatisfying(SendMachine.Wait.class,
                w -> assertThat(w.delay()).isBetween(Duration.ofMillis(50), Duration.ofMillis(100)));
        m.waited();
        assertThat(m.answered(r429, false)).isInstanceOfSatisfying(SendMachine.Wait.class,
                w -> assertThat(w.delay()).isBetween(Duration.ofMillis(100), Duration.ofMillis(200)));
        m.waited();
        assertThat(m.answered(r429, false)).isInstanceOfSatisfying(SendMachine.Wait.class,
                w -> assertThat(w.delay()).isBetween(Duration.ofMillis(200), Duration.ofMillis(400)));
    }

    @Test
    void a5xxSettlesThenLooksUpAndAdoptsWhatWentOut() {
        SendMachine m = fresh();
        m.start();
        assertThat(m.answered(new SendResult.Retry(null, true, "twilio_500"), false))
                .isEqualTo(new SendMachine.Wait(Duration.ofSeconds(5))); // at least ambiguous-settle
        assertThat(m.waited()).isInstanceOf(SendMachine.Lookup.class);
        assertThat(m.found(Optional.of("SM9"))).isEqualTo(new SendMachine.Settle(DeliveryState.SENT, "SM9", null));
    }

    @Test
    void aTimeoutLooksUpAndSendsAgainWhenNothingWentOutOrTheProviderCannotBeAsked() {
        SendMachine m = fresh();
        m.start();
        m.answered(new SendResult.Retry(null, true, "twilio_unreachable:HttpTimeoutException"), false);
        assertThat(m.waited()).isInstanceOf(SendMachine.Lookup.class);
        assertThat(m.found(Optional.empty())).isInstanceOf(SendMachine.Send.class);
        // still unsure after a 429 that followed: the next try asks again
        m.answered(new SendResult.Retry(null, false, "twilio_20429"), false);
        assertThat(m.waited()).isInstanceOf(SendMachine.Lookup.class);
        assertThat(m.found(null)).isInstanceOf(SendMachine.Send.class);
    }

    @Test
    void aRunThatMayFollowAnEarlierOneLooksUpFirst() {
        SendMachine m = new SendMachine(POLICY, true);
        assertThat(m.start()).isInstanceOf(SendMachine.Lookup.class);
    }

    @Test
    void fourHundredsFailWithTheReasonAnd21610OptsOut() {
        assertThat(fresh().answered(new SendResult.Rejected("twilio 21211 invalid_number", false), false))
                .isEqualTo(new SendMachine.Settle(DeliveryState.FAILED, null, "twilio 21211 invalid_number"));
        assertThat(fresh().answered(new SendResult.Rejected("twilio 21614 not_mobile", false), false))
                .isEqualTo(new SendMachine.Settle(DeliveryState.FAILED, null, "twilio 21614 not_mobile"));
        assertThat(fresh().answered(new SendResult.Rejected("twilio 21610 opted_out", true), false))
                .isEqualTo(new SendMachine.Settle(DeliveryState.OPTED_OUT, null, "twilio 21610 opted_out"));
    }

    @Test
    void afterTheLastAttemptOrWhenStoppingTheDeliveryIsLeftForALaterRun() {
        SendMachine m = fresh();
        SendResult r503 = new SendResult.Retry(null, true, "twilio_503");
        for (int i = 1; i < 4; i++) {
            assertThat(m.answered(r503, false)).isInstanceOf(SendMachine.Wait.class);
            m.waited();
        }
        assertThat(m.answered(r503, false)).isEqualTo(new SendMachine.Leave("twilio_503"));
        assertThat(fresh().answered(r503, true)).isEqualTo(new SendMachine.Leave("twilio_503"));
    }
}
