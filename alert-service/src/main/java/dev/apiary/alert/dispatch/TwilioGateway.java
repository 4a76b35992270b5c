package dev.apiary.alert.dispatch;

import dev.apiary.alert.core.SendResult;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.CallCreator;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.common.tracing.CurrentTrace;

/**
 * SMS and voice through twilio-java over the JDK's HTTP client ({@link JdkTwilioHttp}). A send blocks its caller
 * until the response is in: call it on a virtual thread. The SDK's own retries are off (the dispatcher decides);
 * a 429's Retry-After is passed on in the {@link SendResult.Retry}.
 */
@Component
public class TwilioGateway implements AutoCloseable {
    private static final Map<Integer, String> REASONS = Map.of(
            21211, "invalid_number", 21614, "not_mobile", 21610, "opted_out", 21408, "region_not_permitted",
            21612, "unroutable", 21606, "invalid_sender", 21603, "missing_sender", 21602, "missing_body");

    private final JdkTwilioHttp http;
    private final TwilioRestClient client;
    private final AlertProperties.Twilio settings;

    public TwilioGateway(AlertProperties props, CurrentTrace trace) {
        this.settings = props.twilio();
        this.http = new JdkTwilioHttp(settings.baseUrl(), settings.connectTimeout(), settings.timeout(), trace);
        this.client = new TwilioRestClient.Builder(settings.accountSid(), settings.authToken())
                .accountSid(settings.accountSid()).httpClient(http).build();
    }

    /** Sends an SMS (status callback set): the provider's id, or its error classified for the retry policy. */
    public SendResult sms(String to, AlertProperties.Senders s, String body, URI statusCallback) {
        MessageCreator c = s.messagingServiceSid() != null && !s.messagingServiceSid().isBlank()
                ? Message.creator(new PhoneNumber(to), s.messagingServiceSid(), body)
                : Message.creator(new PhoneNumber(to), new PhoneNumber(s.smsFrom()), body);
        c.setStatusCallback(statusCallback);
        return send(() -> c.create(client).getSid());
    }

    /** Places a call (TwiML, status callbacks, machine detection), like {@link #sms}. */
    public SendResult call(String to, String from, String twiml, URI statusCallback) {
        CallCreator c = Call.creator(new PhoneNumber(to), new PhoneNumber(from), new Twiml(twiml))
                .setStatusCallback(statusCallback)
                .setStatusCallbackEvent(List.of("initiated", "ringing", "answered", "completed"));
        if (settings.machineDetection() != null && !settings.machineDetection().isBlank()) {
            c.setMachineDetection(settings.machineDetection());
        }
        return send(() -> c.create(client).getSid());
    }

    private static SendResult send(Supplier<String> create) {
        try {
            String sid = create.get();
            JdkTwilioHttp.lastHeader("Retry-After");
            return new SendResult.Accepted(sid);
        } catch (ApiException e) {
            return classify(e, RetryAfter.parse(JdkTwilioHttp.lastHeader("Retry-After")));
        } catch (ApiConnectionException e) {
            Throwable cause = e.getCause();
            return new SendResult.Retry(null, true, "twilio_unreachable:"
                    + (cause == null ? "" : cause.getClass().getSimpleName()));
        }
    }

    /**
     * After an ambiguous failure (5xx, timeout): the sids of messages to {@code to} from this sender with this body
     * created since {@code since}, newest first — if one is ours it went out and must not be sent again.
     * Empty if there is none; null if Twilio could not be asked.
     */
    public List<String> findMessages(String to, AlertProperties.Senders s, String body,
                                     java.time.ZonedDateTime since) {
        try {
            var reader = Message.reader().setTo(new PhoneNumber(to));
            boolean viaService = s.messagingServiceSid() != null && !s.messagingServiceSid().isBlank();
            if (!viaService) {
                reader.setFrom(new PhoneNumber(s.smsFrom()));
            }
            List<String> out = new java.util.ArrayList<>();
            for (Message m : reader.limit(20).read(client)) {
                boolean sameSender = viaService ? s.messagingServiceSid().equals(m.getMessagingServiceSid())
                        : m.getFrom() != null && s.smsFrom().equals(m.getFrom().toString());
                if (sameSender && body.equals(m.getBody()) && m.getDateCreated() != null
                        && !m.getDateCreated().isBefore(since)) {
                    out.add(m.getSid());
                }
            }
            return out;
        } catch (ApiException | ApiConnectionException e) {
            org.slf4j.LoggerFactory.getLogger(TwilioGateway.class).warn("message lookup failed: {}",
                    e.getClass().getSimpleName()); // the message text could name the number
            return null;
        }
    }

    /** Like {@link #findMessages} for calls (same number, same caller id, created since). */
    public List<String> findCalls(String to, String from, java.time.ZonedDateTime since) {
        try {
            List<String> out = new java.util.ArrayList<>();
            for (Call c : Call.reader().setTo(new PhoneNumber(to)).setFrom(new PhoneNumber(from)).limit(20).read(client)) {
                if (c.getDateCreated() != null && !c.getDateCreated().isBefore(since)) {
                    out.add(c.getSid());
                }
            }
            return out;
        } catch (ApiException | ApiConnectionException e) {
            return null;
        }
    }

    /** Current status of a message ({@code status}, {@code error_code}) or null if unknown / unreachable. */
    public Map<String, String> messageStatus(String sid) {
        try {
            Message m = Message.fetcher(sid).fetch(client);
            return Map.of("status", String.valueOf(m.getStatus()),
                    "error_code", m.getErrorCode() == null ? "" : m.getErrorCode().toString());
        } catch (ApiException | ApiConnectionException e) {
            return null;
        }
    }

    public Map<String, String> callStatus(String sid) {
        try {
            Call c = Call.fetcher(sid).fetch(client);
            return Map.of("status", String.valueOf(c.getStatus()), "error_code", "");
        } catch (ApiException | ApiConnectionException e) {
            return null;
        }
    }

    /** The retry policy's view of a provider error; {@code retryAfter}: the response's Retry-After, if any. */
    static SendResult classify(ApiException e, Duration retryAfter) {
        int status = e.getStatusCode() == null ? 0 : e.getStatusCode();
        int code = e.getCode() == null ? 0 : e.getCode();
        if (status == 429 || code == 20429) {
            return new SendResult.Retry(retryAfter, false, "twilio_20429");
        }
        if (status >= 500 || status == 0) {
            return new SendResult.Retry(null, true, "twilio_" + (status == 0 ? "error" : status));
        }
        if (status == 401 || status == 403) {
            return new SendResult.Retry(null, false, "twilio_auth_" + status);
        }
        return new SendResult.Rejected("twilio " + code + " " + REASONS.getOrDefault(code, "rejected"), code == 21610);
    }

    @Override
    public void close() {
        http.close();
    }
}
