package dev.apiary.alert.webhook;

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
import dev.apiary.alert.store.AlertStore;
import dev.apiary.common.web.ApiProblem;
import tools.jackson.databind.JsonNode;

/**
 * Provider status callbacks (public paths; authenticated by the providers' signatures, not the API key).
 * A forged or replayed callback gets 403 and changes nothing; a valid one can only move a delivery forward.
 */
@RestController
@RequestMapping(value = "/api/alerts/v1/webhooks", produces = MediaType.APPLICATION_JSON_VALUE)
public class WebhookController {
    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    private final AlertStore store;
    private final RequestValidator twilioValidator;
    private final AlertProperties.Mailgun mailgun;
    private final byte[] mailgunKey;

    public WebhookController(AlertStore store, AlertProperties props) {
        this.store = store;
        this.twilioValidator = new RequestValidator(props.twilio().authToken());
        this.mailgun = props.mailgun();
        this.mailgunKey = props.mailgun().signingKey().getBytes(StandardCharsets.UTF_8);
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
        return ResponseEntity.ok(Map.of("applied", moved > 0));
    }

    /** Mailgun webhooks (JSON): signature HMAC-SHA256(timestamp + token), fresh timestamp, token used once. */
    @PostMapping(value = "/mailgun", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> mailgun(@RequestBody JsonNode body) {
        JsonNode sig = body.path("signature");
        String timestamp = sig.path("timestamp").asString("");
        String token = sig.path("token").asString("");
        String signature = sig.path("signature").asString("");
        if (timestamp.isBlank() || token.isBlank() || signature.isBlank() || !validMailgun(timestamp, token, signature)) {
            log.warn("mailgun webhook with an invalid signature rejected");
            throw ApiProblem.of(HttpStatus.FORBIDDEN, "Forbidden", "invalid Mailgun signature");
        }
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
        JsonNode ev = body.path("event-data");
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
     * The URL Twilio called, as Twilio saw it: behind nginx the scheme and host come from X-Forwarded-Proto and
     * X-Forwarded-Host (nginx must set them; they are only trusted to rebuild the signed URL — a wrong value makes
     * the signature check fail, never pass).
     */
    static String publicUrl(HttpServletRequest request) {
        String proto = first(request.getHeader("X-Forwarded-Proto"));
        String host = first(request.getHeader("X-Forwarded-Host"));
        String port = first(request.getHeader("X-Forwarded-Port"));
        if (proto == null) {
            proto = request.getScheme();
        }
        if (host == null) {
            host = request.getHeader("Host");
        } else if (port != null && !host.contains(":")
                && !(("https".equals(proto) && "443".equals(port)) || ("http".equals(proto) && "80".equals(port)))) {
            host = host + ":" + port;
        }
        if (host == null) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        String prefix = first(request.getHeader("X-Forwarded-Prefix"));
        String query = request.getQueryString();
        return proto + "://" + host + (prefix == null ? "" : prefix.replaceAll("/+$", "")) + request.getRequestURI()
                + (query == null ? "" : "?" + query);
    }

    private static String first(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).trim();
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
