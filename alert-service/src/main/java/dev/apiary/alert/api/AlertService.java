package dev.apiary.alert.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.core.Addresses;
import dev.apiary.alert.core.AlertPlan;
import dev.apiary.alert.core.Channel;
import dev.apiary.alert.core.ViewToken;
import dev.apiary.alert.dispatch.Dispatcher;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.common.web.ApiProblem;
import tools.jackson.databind.json.JsonMapper;

/** Validates and creates alerts (idempotently), then hands them to the dispatcher. */
@Service
public class AlertService {
    private static final Logger log = LoggerFactory.getLogger(AlertService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int SMS_MAX = 1600;
    static final int VOICE_MAX = 4000;
    static final int TEXT_MAX = 100_000;

    private final AlertStore store;
    private final Dispatcher dispatcher;
    private final AlertProperties props;
    private final Addresses addresses;
    private final ViewToken tokens;

    public AlertService(AlertStore store, Dispatcher dispatcher, AlertProperties props) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.props = props;
        this.addresses = new Addresses(props.defaultRegion());
        this.tokens = new ViewToken(props.viewTokenSecret());
    }

    public ViewToken tokens() {
        return tokens;
    }

    public String pageUrl(String alertId) {
        return "/alerts/" + alertId + "?t=" + tokens.mint(alertId, Instant.now().plus(props.viewTokenTtl()));
    }

    /** The 202 body; replayed as is for a repeated Idempotency-Key. */
    public Map<String, Object> create(AlertRequest req, String idempotencyKey) {
        List<Channel> channels = validate(req);
        String school = req.schoolId().trim();
        String requestHash = sha256(JSON.writeValueAsString(req));
        String keyHash = null;
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            if (idempotencyKey.length() > 255) {
                throw ApiProblem.badRequest("Idempotency-Key", "at most 255 characters");
            }
            keyHash = sha256(idempotencyKey).substring(0, 40);
            String existing = store.idempotent(school, keyHash);
            if (existing != null) {
                return replay(existing, requestHash);
            }
        }
        String id = "al" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        if (keyHash != null && !store.reserve(school, keyHash, id, props.retention())) {
            return replay(store.idempotent(school, keyHash), requestHash);
        }
        try {
            List<AlertPlan.Recipient> recipients = req.recipients().stream()
                    .map(r -> new AlertPlan.Recipient(r.id().trim(), r.name(), r.email(), r.phone(), r.language()))
                    .toList();
            String lang = req.language() == null || req.language().isBlank() ? props.defaultLanguage() : req.language();
            AlertPlan.Plan plan = AlertPlan.build(channels, recipients, addresses, lang);
            Set<String> phones = new HashSet<>();
            plan.of(Channel.SMS).forEach(d -> phones.add(d.address()));
            Set<String> optedOut = store.optedOut(phones);
            Map<String, String> names = new LinkedHashMap<>();
            for (AlertPlan.Recipient r : recipients) {
                if (r.name() != null && !r.name().isBlank()) {
                    names.put(r.id(), r.name());
                }
            }
            List<Map<String, String>> rejected = new ArrayList<>();
            plan.rejected().forEach(r -> rejected.add(Map.of("recipient_id", r.recipientId(), "channel", r.channel(),
                    "reason", r.reason())));
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("id", id);
            response.put("deliveries", plan.deliveries().size());
            response.put("rejected", rejected);
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("id", id);
            fields.put("school_id", school);
            fields.put("subject", nz(req.subject()));
            fields.put("text", nz(req.text()));
            if (req.html() != null && !req.html().isBlank()) {
                fields.put("html", req.html());
            }
            fields.put("voice_text", req.voiceText() == null || req.voiceText().isBlank() ? nz(req.text()) : req.voiceText());
            fields.put("language", lang);
            fields.put("channels", String.join(",", channels.stream().map(Channel::id).toList()));
            fields.put("state", "sending");
            fields.put("created_at", Long.toString(System.currentTimeMillis()));
            fields.put("recipients", Integer.toString(recipients.size()));
            fields.put("rejected", JSON.writeValueAsString(rejected));
            fields.put("response", JSON.writeValueAsString(response));
            fields.put("request_hash", requestHash);
            store.create(id, fields, plan, optedOut, names, props.retention());
            dispatcher.start(id, channels);
            log.info("alert {} school {} created: {} deliveries, {} rejected, {} opted out", id, school,
                    plan.deliveries().size(), rejected.size(), optedOut.size());
            return response;
        } catch (RuntimeException e) {
            if (keyHash != null) {
                store.release(school, keyHash);
            }
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> replay(String alertId, String requestHash) {
        Map<String, String> meta = alertId == null ? Map.of() : store.meta(alertId);
        if (meta.get("response") == null) {
            throw ApiProblem.conflict("A request with this Idempotency-Key is still being processed; retry shortly");
        }
        if (!requestHash.equals(meta.get("request_hash"))) {
            throw ApiProblem.conflict("This Idempotency-Key was used for a different request");
        }
        return JSON.readValue(meta.get("response"), Map.class);
    }

    private List<Channel> validate(AlertRequest req) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        if (req.schoolId() == null || req.schoolId().isBlank()) {
            errors.add(new ApiProblem.FieldError("school_id", "is required"));
        } else if (!req.schoolId().trim().matches("[A-Za-z0-9_.-]{1,64}")) {
            errors.add(new ApiProblem.FieldError("school_id", "letters, digits, '_', '.', '-' only (max 64)"));
        }
        List<Channel> channels = new ArrayList<>();
        if (req.channels() == null || req.channels().isEmpty()) {
            errors.add(new ApiProblem.FieldError("channels", "at least one of email, sms, voice"));
        } else {
            for (int i = 0; i < req.channels().size(); i++) {
                var c = Channel.parse(req.channels().get(i));
                if (c.isEmpty()) {
                    errors.add(new ApiProblem.FieldError("channels[" + i + "]", "unknown channel (email, sms, voice)"));
                } else if (!channels.contains(c.get())) {
                    channels.add(c.get());
                }
            }
        }
        String text = req.text();
        if (text == null || text.isBlank()) {
            if (channels.contains(Channel.SMS) || channels.contains(Channel.EMAIL)
                    || req.voiceText() == null || req.voiceText().isBlank()) {
                errors.add(new ApiProblem.FieldError("text", "is required"));
            }
        } else if (channels.contains(Channel.SMS) && text.length() > SMS_MAX) {
            errors.add(new ApiProblem.FieldError("text", "too long for sms: " + text.length() + " > " + SMS_MAX + " characters"));
        } else if (text.length() > TEXT_MAX) {
            errors.add(new ApiProblem.FieldError("text", "at most " + TEXT_MAX + " characters"));
        }
        if (channels.contains(Channel.EMAIL) && (req.subject() == null || req.subject().isBlank())) {
            errors.add(new ApiProblem.FieldError("subject", "is required for email"));
        } else if (req.subject() != null && req.subject().length() > 998) {
            errors.add(new ApiProblem.FieldError("subject", "at most 998 characters"));
        }
        if (channels.contains(Channel.VOICE)) {
            String v = req.voiceText() == null || req.voiceText().isBlank() ? text : req.voiceText();
            if (v != null && v.length() > VOICE_MAX) {
                errors.add(new ApiProblem.FieldError(req.voiceText() == null ? "text" : "voice_text",
                        "too long for voice: at most " + VOICE_MAX + " characters"));
            }
        }
        if (req.html() != null && req.html().length() > 500_000) {
            errors.add(new ApiProblem.FieldError("html", "at most 500000 characters"));
        }
        if (req.language() != null && !req.language().isBlank() && !req.language().matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")) {
            errors.add(new ApiProblem.FieldError("language", "a language tag like en or es-MX"));
        }
        if (req.recipients() == null || req.recipients().isEmpty()) {
            errors.add(new ApiProblem.FieldError("recipients", "at least one recipient"));
        } else if (req.recipients().size() > props.maxRecipients()) {
            errors.add(new ApiProblem.FieldError("recipients", "at most " + props.maxRecipients() + " recipients"));
        } else {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < req.recipients().size() && errors.size() < 50; i++) {
                var r = req.recipients().get(i);
                if (r == null) {
                    errors.add(new ApiProblem.FieldError("recipients[" + i + "]", "must be an object"));
                } else if (r.id() == null || r.id().isBlank()) {
                    errors.add(new ApiProblem.FieldError("recipients[" + i + "].id", "is required"));
                } else if (r.id().length() > 64) {
                    errors.add(new ApiProblem.FieldError("recipients[" + i + "].id", "at most 64 characters"));
                } else if (!ids.add(r.id().trim())) {
                    errors.add(new ApiProblem.FieldError("recipients[" + i + "].id", "duplicate recipient id"));
                } else if (r.name() != null && r.name().length() > 200) {
                    errors.add(new ApiProblem.FieldError("recipients[" + i + "].name", "at most 200 characters"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        return channels;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
