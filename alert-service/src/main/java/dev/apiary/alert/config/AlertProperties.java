package dev.apiary.alert.config;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * alert-service settings ({@code apiary.alert.*}); the defaults run the local suite against sandbox/providers.
 *
 * @param defaultRegion   region for phone numbers written without a country code
 * @param publicBaseUrl   this service as the providers see it (status callback URLs are built from it)
 * @param viewTokenSecret HMAC secret of the progress page's view tokens (same on all instances)
 * @param idempotencyPending how long an {@code Idempotency-Key} is reserved before its alert exists (at most 2 min;
 *                           a crash in between frees the key after this)
 * @param dispatchGrace   an alert whose first dispatch is still unconfirmed after this is dispatched again by the
 *                        sweeper ({@code apiary.alert.dispatch-sweep-interval}, 30 s, says how often it looks)
 */
@ConfigurationProperties("apiary.alert")
public record AlertProperties(
        @DefaultValue("US") String defaultRegion,
        @DefaultValue("en") String defaultLanguage,
        @DefaultValue("20000") int maxRecipients,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("http://localhost:8082") String publicBaseUrl,
        String viewTokenSecret,
        @DefaultValue("12h") Duration viewTokenTtl,
        @DefaultValue("1m") Duration idempotencyPending,
        @DefaultValue("30s") Duration dispatchGrace,
        @DefaultValue Twilio twilio,
        @DefaultValue Mailgun mailgun,
        @DefaultValue Senders defaults,
        @DefaultValue Map<String, Senders> schools,
        @DefaultValue Dispatch dispatch,
        @DefaultValue Reconcile reconcile) {

    /**
     * @param baseUrl API host override (sandbox/providers); blank = the real Twilio API
     * @param timeout            one request, from sending until the whole response is in
     * @param connectTimeout     establishing a connection
     */
    public record Twilio(@DefaultValue("AC00000000000000000000000000000000") String accountSid,
                         String authToken,
                         @DefaultValue("http://localhost:8090") String baseUrl,
                         @DefaultValue("30s") Duration timeout,
                         @DefaultValue("100") double smsSegmentsPerSecond,
                         @DefaultValue("10") double callsPerSecond,
                         @DefaultValue("64") int maxInFlight,
                         @DefaultValue("Enable") String machineDetection,
                         @DefaultValue("5s") Duration connectTimeout) {
    }

    /**
     * @param baseUrl API host (sandbox/providers by default; the real one is https://api.mailgun.net/)
     */
    public record Mailgun(String apiKey,
                          @DefaultValue("http://localhost:8090/") String baseUrl,
                          String signingKey,
                          @DefaultValue("5m") Duration webhookMaxAge,
                          @DefaultValue("10") double requestsPerSecond,
                          @DefaultValue("8") int maxInFlight,
                          @DefaultValue("30s") Duration timeout) {
    }

    /** One school's senders; blank fields fall back to {@code apiary.alert.defaults.*}. */
    public record Senders(@DefaultValue("+15005550006") String smsFrom,
                          @DefaultValue("") String messagingServiceSid,
                          @DefaultValue("+15005550006") String voiceFrom,
                          @DefaultValue("mg.example.org") String mailgunDomain,
                          @DefaultValue("School Alerts <alerts@mg.example.org>") String mailgunFrom) {

        public Senders orElse(Senders d) {
            return new Senders(pick(smsFrom, d.smsFrom), pick(messagingServiceSid, d.messagingServiceSid),
                    pick(voiceFrom, d.voiceFrom), pick(mailgunDomain, d.mailgunDomain), pick(mailgunFrom, d.mailgunFrom));
        }

        private static String pick(String a, String b) {
            return a == null || a.isBlank() ? b : a;
        }

        /** The pacing key of SMS: the Messaging Service if set, else the number. */
        public String smsSender() {
            return messagingServiceSid != null && !messagingServiceSid.isBlank() ? messagingServiceSid : smsFrom;
        }
    }

    /**
     * @param window         queue entries each alert keeps per channel (fair interleaving of concurrent alerts)
     * @param maxSendAttempts tries of one send inside a batch (429 / 5xx / timeouts) before the batch is retried
     * @param queueAttempts   tries of a batch entry; after the last, unsent deliveries fail as provider_unavailable
     *                        (also instance deaths on one batch; then they fail as dispatch_abandoned)
     * @param ambiguousSettle after a 5xx or timeout, how long to wait before asking the provider whether the
     *                        send went out anyway (a slow provider may still be processing it)
     */
    public record Dispatch(@DefaultValue("50") int smsBatch,
                           @DefaultValue("10") int voiceBatch,
                           @DefaultValue("1000") int emailBatch,
                           @DefaultValue("2") int window,
                           @DefaultValue("4") int smsConcurrency,
                           @DefaultValue("4") int voiceConcurrency,
                           @DefaultValue("2") int emailConcurrency,
                           @DefaultValue("8") int maxSendAttempts,
                           @DefaultValue("250ms") Duration backoffBase,
                           @DefaultValue("30s") Duration backoffMax,
                           @DefaultValue("5") int queueAttempts,
                           @DefaultValue("60s") Duration lease,
                           @DefaultValue("5s") Duration ambiguousSettle) {
    }

    /** Deliveries still {@code sent} after {@code after} get their status fetched from the provider. */
    public record Reconcile(@DefaultValue("true") boolean enabled,
                            @DefaultValue("10m") Duration after,
                            @DefaultValue("1m") Duration interval,
                            @DefaultValue("200") int batch) {
    }

    public AlertProperties {
        if (idempotencyPending == null || !idempotencyPending.isPositive()
                || idempotencyPending.compareTo(Duration.ofMinutes(2)) > 0) {
            throw new IllegalArgumentException("apiary.alert.idempotency-pending must be > 0 and at most 2m: "
                    + idempotencyPending);
        }
        if (dispatchGrace == null || !dispatchGrace.isPositive()) {
            throw new IllegalArgumentException("apiary.alert.dispatch-grace must be positive");
        }
    }

    public Senders senders(String schoolId) {
        Senders s = schoolId == null ? null : schools.get(schoolId);
        return s == null ? defaults : s.orElse(defaults);
    }
}
