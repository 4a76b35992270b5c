package dev.apiary.alert.dispatch;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import org.springframework.stereotype.Component;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;

import dev.apiary.alert.config.AlertProperties;

/** SMS and voice through twilio-java (its retries disabled: see {@link TwilioHttp}). */
@Component
public class TwilioGateway implements AutoCloseable {
    private static final Map<Integer, String> REASONS = Map.of(
            21211, "invalid_number", 21614, "not_mobile", 21610, "opted_out", 21408, "region_not_permitted",
            21612, "unroutable", 21606, "invalid_sender", 21603, "missing_sender", 21602, "missing_body");

    private final TwilioHttp http;
    private final TwilioRestClient client;
    private final AlertProperties.Twilio settings;

    public TwilioGateway(AlertProperties props) {
        this.settings = props.twilio();
        int streams = Math.max(1, settings.streamsPerConnection());
        // enough lanes for max-in-flight sends plus status fetches and lookups beside them
        int lanes = Math.max(1, (settings.maxInFlight() + streams - 1) / streams + 1);
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        this.http = new TwilioHttp(() -> java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2)
                .executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build(),
                lanes, streams, settings.baseUrl(), settings.timeout());
        this.client = new TwilioRestClient.Builder(settings.accountSid(), settings.authToken())
                .accountSid(settings.accountSid())
                .httpClient(http)
                .build();
    }

    public SendResult sms(String to, AlertProperties.Senders s, String body, URI statusCallback) {
        try {
            MessageCreator c = s.messagingServiceSid() != null && !s.messagingServiceSid().isBlank()
                    ? Message.creator(new PhoneNumber(to), s.messagingServiceSid(), body)
                    : Message.creator(new PhoneNumber(to), new PhoneNumber(s.smsFrom()), body);
            Message m = c.setStatusCallback(statusCallback).create(client);
            return new SendResult.Accepted(m.getSid());
        } catch (ApiException e) {
            return classify(e);
        } catch (ApiConnectionException e) {
            return new SendResult.Retry(null, true, "twilio_unreachable:"
                    + (e.getCause() == null ? "" : e.getCause().getClass().getSimpleName()));
        }
    }

    public SendResult call(String to, String from, String twiml, URI statusCallback) {
        try {
            var c = Call.creator(new PhoneNumber(to), new PhoneNumber(from), new Twiml(twiml))
                    .setStatusCallback(statusCallback)
                    .setStatusCallbackEvent(List.of("initiated", "ringing", "answered", "completed"));
            if (settings.machineDetection() != null && !settings.machineDetection().isBlank()) {
                c.setMachineDetection(settings.machineDetection());
            }
            return new SendResult.Accepted(c.create(client).getSid());
        } catch (ApiException e) {
            return classify(e);
        } catch (ApiConnectionException e) {
            return new SendResult.Retry(null, true, "twilio_unreachable:"
                    + (e.getCause() == null ? "" : e.getCause().getClass().getSimpleName()));
        }
    }

    /**
     * After an ambiguous failure (5xx, timeout): the sid of a message to {@code to} from this sender with this body
     * created since {@code since}, if Twilio has one — then it went out and must not be sent again.
     * Empty if there is none; null if Twilio could not be asked.
     */
    public java.util.Optional<String> findMessage(String to, AlertProperties.Senders s, String body,
                                                  java.time.ZonedDateTime since) {
        try {
            var reader = Message.reader().setTo(new PhoneNumber(to));
            boolean viaService = s.messagingServiceSid() != null && !s.messagingServiceSid().isBlank();
            if (!viaService) {
                reader.setFrom(new PhoneNumber(s.smsFrom()));
            }
            for (Message m : reader.limit(20).read(client)) {
                boolean sameSender = viaService ? s.messagingServiceSid().equals(m.getMessagingServiceSid())
                        : m.getFrom() != null && s.smsFrom().equals(m.getFrom().toString());
                if (sameSender && body.equals(m.getBody()) && m.getDateCreated() != null
                        && !m.getDateCreated().isBefore(since)) {
                    return java.util.Optional.of(m.getSid());
                }
            }
            return java.util.Optional.empty();
        } catch (ApiException | ApiConnectionException e) {
            org.slf4j.LoggerFactory.getLogger(TwilioGateway.class).warn("message lookup failed: {}",
                    e.getClass().getSimpleName()); // the message text could name the number
            return null;
        }
    }

    /** Like {@link #findMessage} for calls (same number, same caller id, created since). */
    public java.util.Optional<String> findCall(String to, String from, java.time.ZonedDateTime since) {
        try {
            for (Call c : Call.reader().setTo(new PhoneNumber(to)).setFrom(new PhoneNumber(from)).limit(20).read(client)) {
                if (c.getDateCreated() != null && !c.getDateCreated().isBefore(since)) {
                    return java.util.Optional.of(c.getSid());
                }
            }
            return java.util.Optional.empty();
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

    static SendResult classify(ApiException e) {
        int status = e.getStatusCode() == null ? 0 : e.getStatusCode();
        int code = e.getCode() == null ? 0 : e.getCode();
        if (status == 429 || code == 20429) {
            return new SendResult.Retry(TwilioHttp.lastRetryAfter(), false, "twilio_20429");
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
