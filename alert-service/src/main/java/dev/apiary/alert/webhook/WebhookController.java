package dev.apiary.alert.webhook;

import dev.apiary.alert.metrics.AlertMetrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.twilio.security.RequestValidator;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.core.DeliveryStates;
import dev.apiary.alert.optout.MailgunSuppressions;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.common.web.ApiProblem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Provider status callbacks (public paths; authenticated by the providers' signatures, not the API key).
 * A forged or replayed callback gets 403 and changes nothing; a valid one can only move a delivery forward.
 */
@RestController
@RequestMapping(value = "/api/alerts/v1/webhooks", produces = MediaType.APPLICATION_JSON_VALUE)
public class WebhookController {
    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AlertStore store;
    private final RequestValidator twilioValidator;
    private final AlertProperties.Mailgun mailgun;
    private final byte[] mailgunKey;
    private final String publicBaseUrl;
    private final AlertMetrics metrics;

    private final MailgunSuppressions suppressions;

    public WebhookController(AlertStore store, AlertProperties props, MailgunSuppressions suppressions,
                             AlertMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.suppressions = suppressions;
        this.twilioValidator = new RequestValidator(props.twilio().authToken());
        this.mailgun = props.mailgun();
        this.mailgunKey = props.mailgun().signingKey().getBytes(StandardCharsets.UTF_8);
        this.publicBaseUrl = props.publicBaseUrl().replaceAll("/+$", "");
    }

    /** Twilio message and call status callbacks; the delivery is named by {@code ?d=<alert>.<index>}. */
    @PostMapping(value = "/twilio", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Map<String, Object>> twilio(HttpServletRequest request,
            @RequestHeader(value = "X-Twilio-Signature", required = false) String signature) {
        String url = publicUrl(request);
        Map<String, String> params = bodyParams(request);
        if (signature == null || !twilioValidator.validate(url, params, signature)) {
            log.warn("twilio callback with an invalid signature rejected");
            throw ApiProblem.of(HttpStatus.FORBIDDEN, "Forbidden", "invalid X-Twilio-Signature");
        }
        Target t = target(request.getParameter("d"));
        if (t == null) {
            return ResponseEntity.ok(Map.of("ignored", true));
        }
        String state;
        String sid;
        String reason = null;
        if (params.containsKey("CallStatus")) {
            state = DeliveryStates.fromTwilioCall(params.get("CallStatus"));
            sid = params.get("CallSid");
            if ("failed".equals(state)) {
                reason = "twilio call failed";
            }
        } else {
            state = DeliveryStates.fromTwilioMessage(params.get("MessageStatus"));
            sid = params.get("MessageSid");
            String code = params.get("ErrorCode");
            if (code != null && !code.isBlank() && ("undelivered".equals(state) || "failed".equals(state))) {
                reason = "twilio " + code + " " + state;
            }
        }
        if (state == null) {
            return ResponseEntity.ok(Map.of("ignored", true));
        }
        long moved = store.transition(t.alert(), List.of(t.index()), state, "", sid, reason);
        metrics.deliveries(params.containsKey("CallStatus") ? "voice" : "sms", state, moved);
        return ResponseEntity.ok(Map.of("applied", moved > 0));
    }

    /**
     * Mailgun webhooks (JSON): signature HMAC-SHA256(timestamp + token), fresh timestamp, token used once. The body
     * is at most {@code apiary.web.path-limits} (64 KB, 413 before it is read); the signature is checked from a
     * streaming scan ({@link MailgunSignature}) before any JSON tree is built.
     */
    @PostMapping(value = "/mailgun", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> mailgun(@RequestBody byte[] raw) {
        MailgunSignature sig = MailgunSignature.read(raw);
        if (sig == null || !validMailgun(sig.timestamp(), sig.token(), sig.signature())) {
            log.warn("mailgun webhook with an invalid signature rejected");
            throw ApiProblem.of(HttpStatus.FORBIDDEN, "Forbidden", "invalid Mailgun signature");
        }
        String timestamp = sig.timestamp();
        String token = sig.token();
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.of(HttpStatus.FORBIDDEN, "Forbidden", "invalid Mailgun timestamp");
        }
        long age = Math.abs(System.currentTimeMillis() / 1000 - ts);
        if (age > mailgun.webhookMaxAge().toSeconds()) {
            log.warn("mailgun webhook with a stale timestamp rejected");
            throw ApiProblem.of(HttpStatus.FORBIDDEN, "Forbidden", "stale Mailgun timestamp");
        }
        if (!store.markMailgunToken(token, mailgun.webhookMaxAge().multipliedBy(2).plus(Duration.ofMinutes(1)))) {
            log.warn("mailgun webhook with a reused token rejected");
            throw ApiProblem.of(HttpStatus.FORBIDDEN, "Forbidden", "Mailgun token already used");
        }
        JsonNode ev = JSON.readTree(raw).path("event-data");
        if (MailgunSuppressions.isSuppression(ev.path("event").asString(""))) {
            return ResponseEntity.ok(Map.of("applied", suppressions.record(ev)));
        }
        Target t = target(ev.path("user-variables").path("d").asString(""));
        String state = DeliveryStates.fromMailgun(ev.path("event").asString(""), ev.path("severity").asString(""));
        if (t == null || state == null) {
            return ResponseEntity.ok(Map.of("ignored", true));
        }
        String reason = null;
        if ("failed".equals(state)) {
            JsonNode ds = ev.path("delivery-status");
            reason = ("mailgun " + ev.path("reason").asString("failed") + " "
                    + (ds.has("code") ? ds.path("code").asString("") : "")).trim();
        }
        String messageId = ev.path("message").path("headers").path("message-id").asString("");
        long moved = store.transition(t.alert(), List.of(t.index()), state, "",
                messageId.isBlank() ? null : "<" + messageId + ">", reason);
        metrics.deliveries("email", state, moved);
        return ResponseEntity.ok(Map.of("applied", moved > 0));
    }

    boolean validMailgun(String timestamp, String token, String signature) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(mailgunKey, "HmacSHA256"));
            byte[] expected = mac.doFinal((timestamp + token).getBytes(StandardCharsets.UTF_8));
            byte[] given = HexFormat.of().parseHex(signature.trim().toLowerCase());
            return MessageDigest.isEqual(expected, given);
        } catch (IllegalArgumentException e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    record Target(String alert, int index) {
    }

    static Target target(String d) {
        if (d == null) {
            return null;
        }
        int dot = d.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        String alert = d.substring(0, dot);
        if (!alert.matches("al[0-9a-f]{22}")) {
            return null;
        }
        try {
            return new Target(alert, Integer.parseInt(d.substring(dot + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The URL Twilio signed: {@code apiary.alert.public-base-url} (this service as Twilio calls it, e.g. the https
     * address of the TLS proxy in front of nginx) plus the path and query of the request. Forwarded headers are not
     * used: they are the caller's to choose.
     */
    String publicUrl(HttpServletRequest request) {
        return signedUrl(publicBaseUrl, request);
    }

    /** {@code base} (no trailing slash) plus the request's path and query: the URL Twilio signed. */
    static String signedUrl(String base, HttpServletRequest request) {
        String query = request.getQueryString();
        return base + request.getRequestURI() + (query == null ? "" : "?" + query);
    }

    /** The POSTed form parameters only (Twilio signs the URL with its query, plus the body parameters). */
    static Map<String, String> bodyParams(HttpServletRequest request) {
        Set<String> queryNames = new HashSet<>();
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                queryNames.add(java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8));
            }
        }
        Map<String, String> params = new HashMap<>();
        request.getParameterMap().forEach((k, v) -> {
            if (!queryNames.contains(k) && v.length > 0) {
                params.put(k, v[0]);
            }
        });
        return params;
    }
}
