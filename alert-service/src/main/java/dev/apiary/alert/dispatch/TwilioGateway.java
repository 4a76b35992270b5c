package dev.apiary.alert.dispatch;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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
import dev.apiary.alert.http.NioHttp;

/**
 * SMS and voice through twilio-java on our own HTTP client ({@link TwilioTransport} over {@link NioHttp}): the SDK
 * builds each request and parses its response, but is not on any stack while the request is in flight. A send is
 * {@link #startSms started} (no thread waits: the dispatcher continues on a new virtual thread when
 * {@link Pending#done()} completes) and {@link #finish finished}; so a send in flight costs a connection, a small
 * exchange and the SDK's creator. The SDK's own retries are off (the dispatcher decides).
 */
@Component
public class TwilioGateway implements AutoCloseable {
    private static final Map<Integer, String> REASONS = Map.of(
            21211, "invalid_number", 21614, "not_mobile", 21610, "opted_out", 21408, "region_not_permitted",
            21612, "unroutable", 21606, "invalid_sender", 21603, "missing_sender", 21602, "missing_body");

    private final TwilioTransport transport;
    private final TwilioRestClient client;
    private final AlertProperties.Twilio settings;

    public TwilioGateway(AlertProperties props) throws IOException {
        this.settings = props.twilio();
        NioHttp http = new NioHttp("twilio-http", null, settings.connectTimeout(), settings.idleTimeout(),
                settings.maxIdleConnections());
        this.transport = new TwilioTransport(http, settings.accountSid(), settings.authToken(), settings.baseUrl(),
                settings.timeout());
        this.client = transport.blockingSdk();
    }

    /** A send in flight: {@link #finish} it once {@link #done()} completes. */
    public static final class Pending {
        private final Function<TwilioRestClient, ?> create;
        private final Function<Object, String> sid;
        private final NioHttp.Exchange exchange;

        @SuppressWarnings("unchecked")
        <T> Pending(Function<TwilioRestClient, T> create, Function<T, String> sid, NioHttp.Exchange exchange) {
            this.create = create;
            this.sid = (Function<Object, String>) sid;
            this.exchange = exchange;
        }

        /** Completes (normally or not) when the provider's response is in or the request failed. */
        public CompletableFuture<?> done() {
            return exchange;
        }
    }

    /** Starts an SMS: the SDK builds the request, which is sent; no thread waits for it. */
    public Pending startSms(String to, AlertProperties.Senders s, String body, URI statusCallback) {
        MessageCreator c = s.messagingServiceSid() != null && !s.messagingServiceSid().isBlank()
                ? Message.creator(new PhoneNumber(to), s.messagingServiceSid(), body)
                : Message.creator(new PhoneNumber(to), new PhoneNumber(s.smsFrom()), body);
        c.setStatusCallback(statusCallback);
        return start(c::create, Message::getSid);
    }

    /** Starts a call (TwiML, status callbacks, machine detection), like {@link #startSms}. */
    public Pending startCall(String to, String from, String twiml, URI statusCallback) {
        CallCreator c = Call.creator(new PhoneNumber(to), new PhoneNumber(from), new Twiml(twiml))
                .setStatusCallback(statusCallback)
                .setStatusCallbackEvent(List.of("initiated", "ringing", "answered", "completed"));
        if (settings.machineDetection() != null && !settings.machineDetection().isBlank()) {
            c.setMachineDetection(settings.machineDetection());
        }
        return start(c::create, Call::getSid);
    }

    private <T> Pending start(Function<TwilioRestClient, T> create, Function<T, String> sid) {
        NioHttp.Exchange ex;
        try {
            ex = transport.start(create);
        } catch (ApiConnectionException e) {
            ex = NioHttp.Exchange.failed(new java.io.IOException(e.getMessage(), e));
        }
        return new Pending(create, sid, ex);
    }

    /**
     * The outcome of a started send (waits if its response is not in yet): the SDK parses the response — the
     * provider id, or its ApiException classified for the retry policy, with the response's Retry-After.
     */
    public SendResult finish(Pending p) {
        NioHttp.Response response = null;
        try {
            response = TwilioTransport.await(p.exchange);
            return new SendResult.Accepted(p.sid.apply(transport.replay(p.create, response)));
        } catch (ApiException e) {
            return classify(e, response == null ? null : RetryAfter.parse(response.header("Retry-After")));
        } catch (ApiConnectionException e) {
            Throwable cause = e.getCause();
            return new SendResult.Retry(null, true, "twilio_unreachable:"
                    + (cause == null ? "" : cause.getClass().getSimpleName()));
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
        transport.close();
    }
}
