package dev.apiary.alert.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
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
import dev.apiary.alert.core.Translations;
import dev.apiary.alert.optout.OptOutCheck;
import dev.apiary.alert.core.ViewToken;
import dev.apiary.alert.dispatch.Dispatcher;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.AlertWriter;
import dev.apiary.common.faults.FaultInjection;
import dev.apiary.common.idempotency.IdempotencyKeys;
import dev.apiary.common.tenancy.Owner;
import dev.apiary.common.tenancy.Tenancy;
import dev.apiary.common.web.ApiProblem;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates alerts: the request is validated ({@link AlertValidation}), the caller must act for its {@code school_id}
 * (else 403), the {@code Idempotency-Key} (scoped by client and school) is reserved for a short pending time, the
 * alert written ({@link AlertWriter}), the key made permanent, and the first batches queued.
 * <p>
 * Until the alert exists a failure leaves nothing behind (key released). Once it exists the key stands for it for
 * the whole retention and is never released: a crash or error while queuing its batches is mended by the
 * {@link DispatchSweeper}, and the client's retry answers the same alert, so nothing is sent twice.
 */
@Service
public class AlertService {
    private static final Logger log = LoggerFactory.getLogger(AlertService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AlertStore store;
    private final AlertWriter writer;
    private final Dispatcher dispatcher;
    private final IdempotencyKeys idempotency;
    private final AlertHistory history;
    private final FaultInjection faults;
    private final AlertProperties props;
    private final AlertValidation validation;
    private final Addresses addresses;
    private final ViewToken tokens;

    private final OptOutCheck optOuts;

    public AlertService(AlertStore store, AlertWriter writer, Dispatcher dispatcher, IdempotencyKeys idempotency,
                        AlertHistory history, FaultInjection faults, AlertProperties props, OptOutCheck optOuts) {
        this.optOuts = optOuts;
        this.store = store;
        this.writer = writer;
        this.dispatcher = dispatcher;
        this.idempotency = idempotency;
        this.history = history;
        this.faults = faults;
        this.props = props;
        this.validation = new AlertValidation(props.maxRecipients(), props.defaultLanguage());
        this.addresses = new Addresses(props.defaultRegion());
        this.tokens = new ViewToken(props.viewTokenSecret());
    }

    public ViewToken tokens() {
        return tokens;
    }

    public String pageUrl(String alertId) {
        return "/alerts/" + alertId + "?t=" + tokens.mint(alertId, Instant.now().plus(props.viewTokenTtl()));
    }

    /** The alert's hash; 404 when unknown or another school's (the same answer, so ids reveal nothing). */
    public Map<String, String> meta(String id) {
        if (id == null || !id.matches("al[0-9a-f]{22}")) {
            throw ApiProblem.notFound("alert", id);
        }
        Map<String, String> meta = store.meta(id);
        if (meta.isEmpty()) {
            throw ApiProblem.notFound("alert", id);
        }
        Tenancy.requireVisible(meta.get(Owner.SCHOOL_ID), "alert", id);
        return meta;
    }

    /** A create's answer and whether it was an idempotent replay. */
    public record Result(AlertAnswers.Created created, boolean replayed) {
    }

    public Result create(AlertRequest req, String idempotencyKey) {
        String key = IdempotencyKeys.validate(idempotencyKey);
        List<Channel> channels = validation.validate(req);
        String school = req.schoolId().trim();
        Owner owner = Owner.forNew(school);
        List<AlertPlan.Recipient> recipients = req.recipients().stream()
                .map(r -> new AlertPlan.Recipient(r.id().trim(), r.name(), r.email(), r.phone(), r.language()))
                .toList();
        String lang = req.language() == null || req.language().isBlank() ? props.defaultLanguage() : req.language();
        Map<String, Translations.Variant> translations = Translations.normalized(req.translations());
        // each delivery's language becomes the language of the text it gets
        AlertPlan.Plan plan = Translations.assign(AlertPlan.build(channels, recipients, addresses, lang),
                translations.keySet(), lang);
        String id = "al" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        IdempotencyKeys.Reservation reservation = null;
        if (key != null) {
            IdempotencyKeys.Claim claim = idempotency.claim(owner.client(), school, key,
                    IdempotencyKeys.sha256(JSON.writeValueAsString(req)));
            if (claim instanceof IdempotencyKeys.Replay replay) {
                return new Result(created(meta(replay.resourceId())), true);
            }
            reservation = ((IdempotencyKeys.Fresh) claim).reservation();
            faults.afterReservation(id);
        }

        long now = System.currentTimeMillis();
        Map<String, String> meta;
        try {
            Set<String> optedOut = optOuts.atCreation(school, plan);
            Map<String, String> names = new LinkedHashMap<>();
            for (AlertPlan.Recipient r : recipients) {
                if (r.name() != null && !r.name().isBlank()) {
                    names.put(r.id(), r.name());
                }
            }
            meta = fields(id, req, owner, channels, lang, recipients.size(), plan, now);
            writer.markPending(id);
            writer.create(id, meta, plan, optedOut, names, props.retention());
        } catch (RuntimeException e) {
            // nothing exists (e.g. Redis down: 503): free the key
            undoBeforeCreation(id, reservation);
            throw e;
        }
        // the alert exists: from here on the key stands for it and is never released
        if (reservation != null && !reservation.commit(id, props.retention())) {
            log.warn("alert {}: its idempotency reservation had expired before the alert existed", id);
        }
        history.record(school, id, now);
        dispatcher.start(id, channels, queued -> faults.afterQueued(id, queued));
        writer.markDispatched(id);
        log.info("alert {} school {} created: {} deliveries, {} rejected", id, school, plan.deliveries().size(),
                plan.rejected().size());
        return new Result(created(store.meta(id)), false);
    }

    private AlertAnswers.Created created(Map<String, String> meta) {
        String id = meta.get("id");
        return new AlertAnswers.Created(id, Integer.parseInt(meta.getOrDefault("total", "0")),
                AlertViews.rejected(meta), AlertViews.languages(meta), "/api/alerts/v1/alerts/" + id, pageUrl(id));
    }

    private static Map<String, String> fields(String id, AlertRequest req, Owner owner, List<Channel> channels,
                                              String lang, int recipients, AlertPlan.Plan plan, long now) {
        List<Map<String, String>> rejected = new ArrayList<>();
        plan.rejected().forEach(r -> rejected.add(Map.of("recipient_id", r.recipientId(), "channel", r.channel(),
                "reason", r.reason())));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.putAll(owner.fields());
        fields.put("subject", nz(req.subject()));
        fields.put("text", nz(req.text()));
        if (req.html() != null && !req.html().isBlank()) {
            fields.put("html", req.html());
        }
        fields.put("voice_text", req.voiceText() == null || req.voiceText().isBlank() ? nz(req.text()) : req.voiceText());
        fields.put("language", lang);
        fields.putAll(Translations.fields(Translations.normalized(req.translations())));
        fields.put("languages", JSON.writeValueAsString(Translations.counts(plan)));
        fields.put("channels", String.join(",", channels.stream().map(Channel::id).toList()));
        fields.put("state", "sending");
        fields.put("created_at", Long.toString(now));
        fields.put("recipients", Integer.toString(recipients));
        fields.put("rejected", JSON.writeValueAsString(rejected));
        return fields;
    }

    private void undoBeforeCreation(String id, IdempotencyKeys.Reservation reservation) {
        try {
            if (reservation != null) {
                reservation.release();
            }
            writer.markDispatched(id);
        } catch (RuntimeException ignored) {
            // Redis unreachable: the reservation expires by itself, the sweeper drops the index entry
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
