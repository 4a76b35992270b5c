package dev.apiary.sandbox.providers.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run's simulator settings. Immutable; {@link SimSettings} swaps it atomically
 * when {@code POST /_admin/config} merges new values in. Rates are fractions 0..1.
 */
public record SimConfig(
        String accountSid,
        String authToken,
        String mailgunApiKey,
        String mailgunSigningKey,
        String mailgunWebhookUrl,
        String inboundSmsUrl,
        double smsSegmentsPerSecond,
        double callsPerSecond,
        double mailgunRequestsPerSecond,
        double burstSeconds,
        int maxConcurrency,
        int latencyMs,
        int latencyJitterMs,
        double transient429Rate,
        double serverErrorRate,
        double carrierFailureRate,
        double invalidNumberRate,
        double stopRate,
        double emailBounceRate,
        double voiceBusyRate,
        double voiceNoAnswerRate,
        boolean callbacksEnabled,
        int callbackMinDelayMs,
        int callbackMaxDelayMs,
        double duplicateCallbackRate,
        double outOfOrderRate,
        long seed) {

    public static SimConfig defaults() {
        return new SimConfig("AC00000000000000000000000000000000", "sandbox-auth-token", "key-sandbox",
                "sandbox-signing-key", "", "", 100, 10, 0, 1.0, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                true, 10, 150, 0.1, 0.1, 42);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account_sid", accountSid);
        m.put("auth_token", authToken);
        m.put("mailgun_api_key", mailgunApiKey);
        m.put("mailgun_signing_key", mailgunSigningKey);
        m.put("mailgun_webhook_url", mailgunWebhookUrl);
        m.put("inbound_sms_url", inboundSmsUrl);
        m.put("sms_segments_per_second", smsSegmentsPerSecond);
        m.put("calls_per_second", callsPerSecond);
        m.put("mailgun_requests_per_second", mailgunRequestsPerSecond);
        m.put("burst_seconds", burstSeconds);
        m.put("max_concurrency", maxConcurrency);
        m.put("latency_ms", latencyMs);
        m.put("latency_jitter_ms", latencyJitterMs);
        m.put("transient_429_rate", transient429Rate);
        m.put("server_error_rate", serverErrorRate);
        m.put("carrier_failure_rate", carrierFailureRate);
        m.put("invalid_number_rate", invalidNumberRate);
        m.put("stop_rate", stopRate);
        m.put("email_bounce_rate", emailBounceRate);
        m.put("voice_busy_rate", voiceBusyRate);
        m.put("voice_no_answer_rate", voiceNoAnswerRate);
        m.put("callbacks_enabled", callbacksEnabled);
        m.put("callback_min_delay_ms", callbackMinDelayMs);
        m.put("callback_max_delay_ms", callbackMaxDelayMs);
        m.put("duplicate_callback_rate", duplicateCallbackRate);
        m.put("out_of_order_rate", outOfOrderRate);
        m.put("seed", seed);
        return m;
    }

    /** This config with the given snake_case keys replaced; unknown keys are an error. */
    public SimConfig merge(Map<String, ?> in) {
        Map<String, Object> m = toMap();
        for (var e : in.entrySet()) {
            if (!m.containsKey(e.getKey())) {
                throw new IllegalArgumentException("unknown setting: " + e.getKey());
            }
            m.put(e.getKey(), e.getValue());
        }
        return fromMap(m);
    }

    static SimConfig fromMap(Map<String, Object> m) {
        return new SimConfig(str(m, "account_sid"), str(m, "auth_token"), str(m, "mailgun_api_key"),
                str(m, "mailgun_signing_key"), str(m, "mailgun_webhook_url"), str(m, "inbound_sms_url"),
                dbl(m, "sms_segments_per_second"), dbl(m, "calls_per_second"), dbl(m, "mailgun_requests_per_second"),
                dbl(m, "burst_seconds"), (int) dbl(m, "max_concurrency"), (int) dbl(m, "latency_ms"),
                (int) dbl(m, "latency_jitter_ms"), rate(m, "transient_429_rate"), rate(m, "server_error_rate"),
                rate(m, "carrier_failure_rate"), rate(m, "invalid_number_rate"), rate(m, "stop_rate"),
                rate(m, "email_bounce_rate"), rate(m, "voice_busy_rate"), rate(m, "voice_no_answer_rate"),
                Boolean.parseBoolean(String.valueOf(m.get("callbacks_enabled"))),
                (int) dbl(m, "callback_min_delay_ms"), (int) dbl(m, "callback_max_delay_ms"),
                rate(m, "duplicate_callback_rate"), rate(m, "out_of_order_rate"), (long) dbl(m, "seed"));
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? "" : v.toString();
    }

    private static double dbl(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + " must be a number");
        }
    }

    private static double rate(Map<String, Object> m, String k) {
        double d = dbl(m, k);
        if (d < 0 || d > 1) {
            throw new IllegalArgumentException(k + " must be between 0 and 1");
        }
        return d;
    }
}
