package dev.apiary.alert.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class AlertMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AlertMetrics metrics = new AlertMetrics(registry);

    private double count(String provider, String outcome) {
        return registry.get("apiary.alert.provider.requests").tag("provider", provider).tag("outcome", outcome)
                .timer().count();
    }

    @Test
    void providerCallsAreCountedByOutcomeWithTheirLatency() {
        metrics.providerRequest("twilio", 201, Duration.ofMillis(40));
        metrics.providerRequest("twilio", 429, Duration.ofMillis(5));
        metrics.providerRequest("twilio", 400, Duration.ofMillis(5));
        metrics.providerRequest("twilio", 503, Duration.ofMillis(5));
        metrics.providerRequest("twilio", 0, Duration.ofSeconds(10));
        metrics.providerRequest("mailgun", 200, Duration.ofMillis(30));
        assertThat(count("twilio", "2xx")).isEqualTo(1);
        assertThat(count("twilio", "429")).isEqualTo(1);
        assertThat(count("twilio", "4xx")).isEqualTo(1);
        assertThat(count("twilio", "5xx")).isEqualTo(1);
        assertThat(count("twilio", "timeout")).isEqualTo(1);
        assertThat(count("mailgun", "2xx")).isEqualTo(1);
        assertThat(count("mailgun", "timeout")).isZero();
        assertThat(registry.get("apiary.alert.provider.requests").tag("outcome", "timeout").tag("provider", "twilio")
                .timer().totalTime(TimeUnit.SECONDS)).isEqualTo(10.0);
    }

    @Test
    void everyProviderOutcomeAndPacingExistsFromTheStartWithBoundedTags() {
        assertThat(registry.find("apiary.alert.provider.requests").timers()).hasSize(2 * 5);
        assertThat(registry.find("apiary.alert.pacing.wait").timers()).hasSize(2);
        metrics.deliveries("sms", "delivered", 3);
        metrics.deliveries("sms", "delivered", 2);
        metrics.deliveries("email", "failed", 0);
        assertThat(registry.get("apiary.alert.deliveries").tag("channel", "sms").tag("state", "delivered").counter()
                .count()).isEqualTo(5);
        assertThat(registry.find("apiary.alert.deliveries").tag("channel", "email").counter()).isNull();
        metrics.pacingWait("twilio", Duration.ofMillis(250));
        assertThat(registry.get("apiary.alert.pacing.wait").tag("provider", "twilio").timer().count()).isEqualTo(1);
        for (Meter m : registry.getMeters()) {
            assertThat(m.getId().getTags()).allSatisfy(t ->
                    assertThat(t.getKey()).isIn("provider", "outcome", "channel", "state"));
        }
    }
}
