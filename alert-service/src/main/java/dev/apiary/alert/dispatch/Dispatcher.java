package dev.apiary.alert.dispatch;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.core.Backoff;
import dev.apiary.alert.core.Channel;
import dev.apiary.alert.core.Segments;
import dev.apiary.alert.core.Twiml;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.AlertStore.DeliveryInfo;
import dev.apiary.common.queue.QueueSettings;
import dev.apiary.common.queue.WorkItem;
import dev.apiary.common.queue.WorkQueue;
import dev.apiary.common.queue.WorkQueues;

/**
 * Sends deliveries. Each channel has a work queue (Redis stream, shared by all instances) whose entries are
 * batches: an index range of one alert's deliveries. An alert keeps only {@code window} entries per channel
 * in the queue and each finished batch enqueues the alert's next one, so concurrent alerts interleave
 * round-robin instead of queueing behind each other. Inside a batch every send waits for its slot of the
 * provider's pace (a GCRA schedule in Redis, shared by all instances: SMS segments/s per sender, calls/s per
 * account, Mailgun requests/s per domain), then runs on a virtual thread; a semaphore bounds requests in
 * flight per provider.
 */
@Component
public class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final AlertStore store;
    private final TwilioGateway twilio;
    private final MailgunGateway mailgun;
    private final AlertProperties props;
    private final AlertProperties.Dispatch settings;
    private final Backoff backoff;
    private final Semaphore twilioPermits;
    private final Semaphore mailgunPermits;
    private final Map<Channel, WorkQueue> queues = new EnumMap<>(Channel.class);

    public Dispatcher(WorkQueues workQueues, AlertStore store, TwilioGateway twilio, MailgunGateway mailgun,
                      AlertProperties props) {
        this.store = store;
        this.twilio = twilio;
        this.mailgun = mailgun;
        this.props = props;
        this.settings = props.dispatch();
        this.backoff = new Backoff(settings.backoffBase(), settings.backoffMax());
        this.twilioPermits = new Semaphore(props.twilio().maxInFlight());
        this.mailgunPermits = new Semaphore(props.mailgun().maxInFlight());
        for (Channel c : Channel.values()) {
            int concurrency = switch (c) {
                case EMAIL -> settings.emailConcurrency();
                case SMS -> settings.smsConcurrency();
                case VOICE -> settings.voiceConcurrency();
            };
            QueueSettings qs = QueueSettings.of("apiary:alert:dispatch:" + c.id(), "alert-service")
                    .withConcurrency(concurrency).withLease(settings.lease())
                    .withMaxAttempts(settings.queueAttempts())
                    .withBackoff(Duration.ofSeconds(2), Duration.ofMinutes(1));
            queues.put(c, workQueues.declare(qs, item -> handle(c, item)));
        }
    }

    /** Puts the first batches of each channel of a new alert into the queues. */
    public void start(String alertId, Collection<Channel> channels) {
        for (Channel c : channels) {
            for (int k = 0; k < settings.window(); k++) {
                if (!enqueueNext(alertId, c)) {
                    break;
                }
            }
        }
    }

    private boolean enqueueNext(String alertId, Channel c) {
        int size = switch (c) {
            case EMAIL -> Math.min(1000, settings.emailBatch());
            case SMS -> settings.smsBatch();
            case VOICE -> settings.voiceBatch();
        };
        int[] range = store.nextBatch(alertId, c, size);
        if (range == null) {
            return false;
        }
        queues.get(c).enqueue(Map.of("alert", alertId, "from", Integer.toString(range[0]),
                "to", Integer.toString(range[1])));
        return true;
    }

    void handle(Channel c, WorkItem item) throws Exception {
        String alertId = item.field("alert");
        int from = Integer.parseInt(item.field("from"));
        int to = Integer.parseInt(item.field("to"));
        if (item.attempt() == 1) {
            enqueueNext(alertId, c);
        }
        Map<String, String> meta = store.meta(alertId);
        if (meta.isEmpty()) {
            return;
        }
        List<Integer> claimed = store.claim(alertId, from, to);
        if (claimed.isEmpty()) {
            return;
        }
        List<DeliveryInfo> infos = store.infos(alertId, claimed);
        List<Integer> pending = c == Channel.EMAIL ? sendEmails(alertId, meta, infos)
                : sendEach(c, alertId, meta, infos, item.attempt() > 1);
        if (!pending.isEmpty()) {
            if (item.attempt() >= settings.queueAttempts()) {
                store.transition(alertId, pending, "failed", "sending", null, "provider_unavailable");
                log.warn("alert {} {}: {} deliveries failed after {} batch attempts", alertId, c.id(),
                        pending.size(), item.attempt());
                return;
            }
            throw new IllegalStateException(pending.size() + " " + c.id() + " deliveries of alert " + alertId
                    + " not accepted yet");
        }
    }

    // ---- SMS and voice: one API call per delivery

    private List<Integer> sendEach(Channel c, String alertId, Map<String, String> meta, List<DeliveryInfo> infos,
                                   boolean retryOfBatch) throws InterruptedException {
        ZonedDateTime created = ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(
                Long.parseLong(meta.getOrDefault("created_at", "0"))), ZoneOffset.UTC).minusSeconds(5);
        AlertProperties.Senders s = props.senders(meta.get("school_id"));
        String text = meta.getOrDefault("text", "");
        String voiceText = meta.getOrDefault("voice_text", text);
        String paceKey;
        double costMs;
        if (c == Channel.SMS) {
            paceKey = "sms:" + s.smsSender();
            costMs = Segments.count(text) * 1000.0 / props.twilio().smsSegmentsPerSecond();
        } else {
            paceKey = "voice:" + props.twilio().accountSid();
            costMs = 1000.0 / props.twilio().callsPerSecond();
        }
        List<Integer> pending = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (DeliveryInfo d : infos) {
                pace(paceKey, costMs);
                twilioPermits.acquire();
                exec.execute(() -> {
                    try {
                        if (!sendOne(c, alertId, d, s, c == Channel.SMS ? text : voiceText, paceKey, costMs,
                                retryOfBatch, created)) {
                            pending.add(d.index());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        pending.add(d.index());
                    } catch (RuntimeException e) {
                        log.warn("alert {} delivery {}: send error {}", alertId, d.index(), e.getClass().getSimpleName());
                        pending.add(d.index());
                    }
                });
            }
        }
        return pending;
    }

    /** One delivery, the permit already held. True when settled (accepted or failed), false to retry later. */
    private boolean sendOne(Channel c, String alertId, DeliveryInfo d, AlertProperties.Senders s, String text,
                            String paceKey, double costMs, boolean lookupFirst, ZonedDateTime alertCreated)
            throws InterruptedException {
        URI callback = URI.create(props.publicBaseUrl() + "/api/alerts/v1/webhooks/twilio?d=" + alertId + "." + d.index());
        // Twilio stamps seconds; a little slack for clock skew
        ZonedDateTime since = ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(5);
        boolean unsure = lookupFirst;
        if (unsure) {
            since = alertCreated;
        }
        for (int attempt = 1; ; attempt++) {
            SendResult r = null;
            try {
                if (unsure) {
                    // the last try may have gone out (5xx, timeout, or an earlier run of this batch): ask first
                    Optional<String> sid = c == Channel.SMS ? twilio.findMessage(d.address(), s, text, since)
                            : twilio.findCall(d.address(), s.voiceFrom(), since);
                    if (sid != null && sid.isPresent()) {
                        r = new SendResult.Accepted(sid.get());
                        log.info("alert {} delivery {} {}: found as sent after an ambiguous failure", alertId,
                                d.index(), c.id());
                    }
                }
                if (r == null) {
                    r = c == Channel.SMS ? twilio.sms(d.address(), s, text, callback)
                            : twilio.call(d.address(), s.voiceFrom(), Twiml.say(text, d.language()), callback);
                }
            } finally {
                twilioPermits.release();
            }
            switch (r) {
                case SendResult.Accepted a -> {
                    store.transition(alertId, List.of(d.index()), "sent", "sending", a.providerId(), null);
                    return true;
                }
                case SendResult.Rejected rej -> {
                    if (rej.optedOut()) {
                        store.optOut(d.address());
                    }
                    store.transition(alertId, List.of(d.index()), rej.optedOut() ? "opted_out" : "failed", "",
                            null, rej.reason());
                    log.info("alert {} delivery {} {}: {}", alertId, d.index(), c.id(), rej.reason());
                    return true;
                }
                case SendResult.Retry retry -> {
                    unsure = unsure || retry.ambiguous();
                    if (retry.ambiguous()) {
                        log.info("alert {} delivery {} {}: ambiguous failure {} (try {})", alertId, d.index(), c.id(),
                                retry.reason(), attempt);
                    }
                    if (attempt >= settings.maxSendAttempts()) {
                        log.warn("alert {} delivery {} {}: still {} after {} tries", alertId, d.index(), c.id(),
                                retry.reason(), attempt);
                        return false;
                    }
                    Duration wait = backoff.delay(attempt, retry.retryAfter());
                    if (retry.ambiguous() && wait.compareTo(settings.ambiguousSettle()) < 0) {
                        wait = settings.ambiguousSettle();
                    }
                    Thread.sleep(wait);
                    pace(paceKey, costMs);
                    twilioPermits.acquire();
                }
            }
        }
    }

    // ---- email: one API call per batch of up to 1,000 recipients

    private List<Integer> sendEmails(String alertId, Map<String, String> meta, List<DeliveryInfo> infos)
            throws InterruptedException {
        AlertProperties.Senders s = props.senders(meta.get("school_id"));
        List<String> to = new ArrayList<>(infos.size());
        Map<String, Object> vars = new LinkedHashMap<>();
        List<Integer> indices = new ArrayList<>(infos.size());
        for (DeliveryInfo d : infos) {
            to.add(d.address());
            vars.put(d.address(), Map.of("d", alertId + "." + d.index()));
            indices.add(d.index());
        }
        Map<String, String> userVars = Map.of("alert", alertId, "d", "%recipient.d%");
        String paceKey = "mailgun:" + s.mailgunDomain();
        double rps = props.mailgun().requestsPerSecond();
        double costMs = rps > 0 ? 1000.0 / rps : 0;
        for (int attempt = 1; ; attempt++) {
            if (costMs > 0) {
                pace(paceKey, costMs);
            }
            mailgunPermits.acquire();
            SendResult r;
            try {
                r = mailgun.send(s.mailgunDomain(), s.mailgunFrom(), meta.getOrDefault("subject", ""),
                        meta.getOrDefault("text", ""), meta.get("html"), to, vars, userVars);
            } finally {
                mailgunPermits.release();
            }
            switch (r) {
                case SendResult.Accepted a -> {
                    store.transition(alertId, indices, "sent", "sending", a.providerId(), null);
                    return List.of();
                }
                case SendResult.Rejected rej -> {
                    store.transition(alertId, indices, "failed", "", null, rej.reason());
                    log.info("alert {} email batch of {}: {}", alertId, indices.size(), rej.reason());
                    return List.of();
                }
                case SendResult.Retry retry -> {
                    if (attempt >= settings.maxSendAttempts()) {
                        return indices;
                    }
                    Thread.sleep(backoff.delay(attempt, retry.retryAfter()));
                }
            }
        }
    }

    private void pace(String key, double costMs) throws InterruptedException {
        long wait = store.pace(key, costMs);
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
