package dev.apiary.alert.metrics;

import java.time.Duration;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * alert-service's meters, with bounded tags only (channel, state, provider, outcome; never an alert, delivery or
 * address): {@code apiary_alert_deliveries_total{channel,state}} (deliveries reaching a state),
 * {@code apiary_alert_provider_requests_seconds{provider,outcome}} (each provider call and its latency; outcome
 * {@code 2xx}, {@code 429}, {@code 4xx}, {@code 5xx} or {@code timeout}) and {@code apiary_alert_pacing_wait_seconds
 * {provider}} (time a send waited for the provider's pace).
 */
@Component
public class AlertMetrics {

    /** How a provider call ended, as the metrics count it. */
    public enum Outcome {
        OK("2xx"), RATE_LIMITED("429"), REFUSED("4xx"), SERVER_ERROR("5xx"), TIMEOUT("timeout");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }

        /** The outcome of an HTTP status; 0 (no answer: timeout, connection refused or reset) is {@link #TIMEOUT}. */
        public static Outcome of(int status) {
            if (status <= 0) return TIMEOUT;
            if (status == 429) return RATE_LIMITED;
            if (status >= 500) return SERVER_ERROR;
            if (status >= 400) return REFUSED;
            return OK;
        }
    }

    private final MeterRegistry registry;

    /** The providers, as tagged. */
    public static final java.util.List<String> PROVIDERS = java.util.List.of("twilio", "mailgun");

    public AlertMetrics(MeterRegistry registry) {
        this.registry = registry;
        // every provider and outcome from the start, so rates and alert rules see 0 rather than nothing
        for (String provider : PROVIDERS) {
            for (Outcome o : Outcome.values()) providerTimer(provider, o);
            pacingTimer(provider);
        }
    }

    /** {@code count} deliveries of {@code channel} ({@code sms}, {@code voice}, {@code email}) reached {@code state}. */
    public void deliveries(String channel, String state, long count) {
        if (count <= 0) return;
        Counter.builder("apiary.alert.deliveries").tag("channel", channel).tag("state", state)
                .description("Deliveries that reached a state").register(registry).increment(count);
    }

    /** One call to {@code provider} ({@code twilio}, {@code mailgun}) answered {@code status} (0: none) after {@code took}. */
    public void providerRequest(String provider, int status, Duration took) {
        providerTimer(provider, Outcome.of(status)).record(took);
    }

    private Timer providerTimer(String provider, Outcome outcome) {
        return Timer.builder("apiary.alert.provider.requests").tag("provider", provider).tag("outcome", outcome.tag())
                .description("Provider API calls by outcome, and their latency").register(registry);
    }

    private Timer pacingTimer(String provider) {
        return Timer.builder("apiary.alert.pacing.wait").tag("provider", provider)
                .description("Time sends waited for the provider's pace").register(registry);
    }

    /** One send's answer from {@code provider}, counted by the outcome its classification stands for. */
    public void providerAnswer(String provider, dev.apiary.alert.core.SendResult result, Duration took) {
        int status = switch (result) {
            case dev.apiary.alert.core.SendResult.Accepted a -> 200;
            case dev.apiary.alert.core.SendResult.Rejected r -> 400;
            case dev.apiary.alert.core.SendResult.Retry r when r.reason().endsWith("429") -> 429;
            case dev.apiary.alert.core.SendResult.Retry r when r.reason().contains("unreachable") -> 0;
            case dev.apiary.alert.core.SendResult.Retry r when r.reason().contains("_auth_") -> 401;
            case dev.apiary.alert.core.SendResult.Retry r -> 500;
        };
        providerRequest(provider, status, took);
    }

    /** A send to {@code provider} waited {@code waited} for the provider's pace (0 when it did not wait). */
    public void pacingWait(String provider, Duration waited) {
        pacingTimer(provider).record(waited);
    }
}
