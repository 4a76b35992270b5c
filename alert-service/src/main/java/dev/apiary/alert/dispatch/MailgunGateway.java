package dev.apiary.alert.dispatch;

import dev.apiary.alert.core.SendResult;
import java.io.InputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import com.mailgun.api.v3.MailgunEventsApi;
import com.mailgun.api.v3.MailgunMessagesApi;
import com.mailgun.client.MailgunClient;
import com.mailgun.model.events.EventsQueryOptions;
import com.mailgun.model.message.Message;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.common.tracing.CurrentTrace;
import feign.Request;
import feign.RequestInterceptor;
import feign.Response;
import feign.Retryer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Email through mailgun-java: one API call per batch of up to 1,000 recipients with recipient-variables.
 * Feign's retryer is off (Retryer.NEVER_RETRY) and the raw response is used, so 429s and 5xx come back
 * to the dispatcher instead of being retried inside the SDK. Each request carries the current trace
 * ({@code traceparent}, added by a Feign interceptor beside the SDK's own auth one).
 */
@Component
public class MailgunGateway {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MailgunMessagesApi messages;
    private final MailgunEventsApi events;

    public MailgunGateway(AlertProperties props, CurrentTrace trace) {
        AlertProperties.Mailgun m = props.mailgun();
        long timeout = m.timeout().toMillis();
        var options = new Request.Options(5, TimeUnit.SECONDS, timeout, TimeUnit.MILLISECONDS, true);
        RequestInterceptor traced = t -> trace.headers().forEach(t::header);
        // logging off: the SDK's request log would carry recipient addresses
        this.messages = MailgunClient.config(m.baseUrl(), m.apiKey()).retryer(Retryer.NEVER_RETRY)
                .logLevel(feign.Logger.Level.NONE).options(options)
                .createApiWithRequestInterceptor(MailgunMessagesApi.class, traced);
        this.events = MailgunClient.config(m.baseUrl(), m.apiKey()).retryer(Retryer.NEVER_RETRY)
                .logLevel(feign.Logger.Level.NONE).options(options)
                .createApiWithRequestInterceptor(MailgunEventsApi.class, traced);
    }

    public SendResult send(String domain, String from, String subject, String text, String html,
                           List<String> to, Map<String, Object> recipientVariables, Map<String, String> variables) {
        var b = Message.builder().from(from).to(to).subject(subject).text(text)
                .recipientVariables(recipientVariables).userVariables(variables);
        if (html != null && !html.isBlank()) {
            b.html(html);
        }
        try (Response r = messages.sendMessageFeignResponse(domain, b.build())) {
            int status = r.status();
            if (status >= 200 && status < 300) {
                JsonNode body = JSON.readTree(read(r));
                String id = body.path("id").asString("");
                return id.isBlank() ? new SendResult.Retry(null, true, "mailgun_no_id") : new SendResult.Accepted(id);
            }
            if (status == 429) {
                return new SendResult.Retry(retryAfter(r.headers()), false, "mailgun_429");
            }
            if (status >= 500) {
                return new SendResult.Retry(null, true, "mailgun_" + status);
            }
            if (status == 401 || status == 403) {
                return new SendResult.Retry(null, false, "mailgun_auth_" + status);
            }
            return new SendResult.Rejected("mailgun " + status + " rejected", false);
        } catch (feign.RetryableException e) {
            return new SendResult.Retry(null, true, "mailgun_unreachable");
        } catch (feign.FeignException e) {
            return new SendResult.Retry(null, true, "mailgun_error");
        } catch (Exception e) {
            return new SendResult.Retry(null, true, "mailgun_error");
        }
    }

    /**
     * The decisive delivery event per recipient of one message ({@code event}, {@code severity}): delivered or a
     * permanent failure, else accepted. Null if Mailgun could not be asked. Used by reconciliation: Mailgun does
     * not retry webhooks that we missed.
     */
    public Map<String, Map<String, String>> events(String domain, String messageId) {
        try {
            var q = EventsQueryOptions.builder().messageId(messageId.replace("<", "").replace(">", ""))
                    .limit(300).build();
            var resp = events.getEvents(domain, q);
            Map<String, Map<String, String>> out = new java.util.HashMap<>();
            if (resp == null || resp.getItems() == null) {
                return out;
            }
            for (var item : resp.getItems()) {
                String ev = item.getEvent();
                String sev = item.getSeverity() == null ? "" : item.getSeverity().getValue();
                String rcpt = item.getRecipient() == null ? "" : item.getRecipient().toLowerCase(java.util.Locale.ROOT);
                boolean decisive = "delivered".equals(ev) || ("failed".equals(ev) && "permanent".equals(sev));
                if (decisive || ("accepted".equals(ev) && !out.containsKey(rcpt))) {
                    out.put(rcpt, Map.of("event", ev, "severity", sev));
                }
            }
            return out;
        } catch (Exception e) {
            return null;
        }
    }

    private static String read(Response r) throws java.io.IOException {
        if (r.body() == null) {
            return "{}";
        }
        try (InputStream in = r.body().asInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static Duration retryAfter(Map<String, Collection<String>> headers) {
        for (var e : headers.entrySet()) {
            if ("retry-after".equalsIgnoreCase(e.getKey()) && !e.getValue().isEmpty()) {
                return RetryAfter.parse(e.getValue().iterator().next());
            }
        }
        return null;
    }
}
