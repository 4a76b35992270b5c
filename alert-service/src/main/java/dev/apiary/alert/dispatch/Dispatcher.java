package dev.apiary.alert.dispatch;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.CountDownLatch;
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
import dev.apiary.common.queue.WorkHandler;
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
 * flight per provider. An SMS or call in flight holds no thread: the virtual thread ends once the request is sent
 * and the response's arrival starts another that settles the delivery or retries it (see {@link Send}).
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
            queues.put(c, workQueues.declare(qs, new BatchHandler(c)));
        }
    }

    /** One channel's batch entries, for its queue. */
    private final class BatchHandler implements WorkHandler {
        private final Channel c;

        BatchHandler(Channel c) {
            this.c = c;
        }

        @Override
        public void handle(WorkItem item) throws Exception {
            Dispatcher.this.handle(c, item);
        }

        @Override
        public void abandoned(WorkItem item, String reason) {
            Dispatcher.this.abandoned(c, item, reason);
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
                : sendEach(c, alertId, meta, infos, item.mayBePartlyDone());
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

    /**
     * The queue gave up on a batch because the instances sending it kept dying: its deliveries not yet with the
     * provider fail now, as after the last batch attempt, so the alert can finish instead of staying sending.
     */
    void abandoned(Channel c, WorkItem item, String reason) {
        String alertId = item.field("alert");
        if (store.meta(alertId).isEmpty()) {
            return;
        }
        List<Integer> left = store.claim(alertId, Integer.parseInt(item.field("from")), Integer.parseInt(item.field("to")));
        store.transition(alertId, left, "failed", "sending", null, "dispatch_abandoned");
        log.error("alert {} {}: {} deliveries failed, their batch was given up ({})", alertId, c.id(), left.size(),
                reason);
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
        Batch batch = new Batch(infos.size());
        int started = 0;
        try {
            for (DeliveryInfo d : infos) {
                pace(paceKey, costMs);
                twilioPermits.acquire();
                Send x = new Send(c, alertId, d, s, c == Channel.SMS ? text : voiceText, paceKey, costMs, batch,
                        retryOfBatch, created);
                started++;
                Thread.ofVirtual().start(() -> step(x));
            }
        } catch (InterruptedException e) {
            // stop: the unstarted ones stay for a later run of the batch, the started ones finish (no retries)
            batch.stopping = true;
            for (int i = started; i < infos.size(); i++) {
                batch.settle(infos.get(i).index(), false);
            }
            batch.awaitUninterruptibly();
            throw e;
        }
        try {
            batch.left.await();
        } catch (InterruptedException e) {
            batch.stopping = true;
            batch.awaitUninterruptibly();
            Thread.currentThread().interrupt();
        }
        return batch.pending();
    }

    /** The SMS/voice deliveries of one batch run: counts settled ones down, collects those left for later. */
    private static final class Batch {
        final CountDownLatch left;
        private final List<Integer> pending = new ArrayList<>();
        volatile boolean stopping;

        Batch(int n) {
            left = new CountDownLatch(n);
        }

        /** {@code done}: accepted or failed for good; else the delivery stays for a later run of the batch. */
        void settle(int index, boolean done) {
            if (!done) {
                synchronized (pending) {
                    pending.add(index);
                }
            }
            left.countDown();
        }

        List<Integer> pending() {
            synchronized (pending) {
                return new ArrayList<>(pending);
            }
        }

        void awaitUninterruptibly() {
            boolean interrupted = false;
            while (true) {
                try {
                    left.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One SMS/voice delivery between its steps. While its request is in flight no thread holds it: the provider
     * response's completion starts a virtual thread that continues ({@link #finishStep}).
     */
    private final class Send {
        final Channel c;
        final String alertId;
        final DeliveryInfo d;
        final AlertProperties.Senders s;
        final String text;
        final String paceKey;
        final double costMs;
        final Batch batch;
        final URI callback;
        /** The last try may have gone out (5xx, timeout, or an earlier run of this batch): ask before sending. */
        boolean unsure;
        /** Lookups consider messages/calls created since then (epoch ms). */
        long since;
        int attempt = 1;

        Send(Channel c, String alertId, DeliveryInfo d, AlertProperties.Senders s, String text, String paceKey,
             double costMs, Batch batch, boolean lookupFirst, ZonedDateTime alertCreated) {
            this.c = c;
            this.alertId = alertId;
            this.d = d;
            this.s = s;
            this.text = text;
            this.paceKey = paceKey;
            this.costMs = costMs;
            this.batch = batch;
            this.callback = URI.create(props.publicBaseUrl() + "/api/alerts/v1/webhooks/twilio?d=" + alertId + "."
                    + d.index());
            this.unsure = lookupFirst;
            // Twilio stamps seconds; a little slack for clock skew
            this.since = lookupFirst ? alertCreated.toInstant().toEpochMilli() : System.currentTimeMillis() - 5000;
        }
    }

    /**
     * One try of a delivery, the permit already held: after an ambiguous failure first asks the provider whether
     * it went out; else starts the send and returns — {@link #finishStep} continues when the response is in.
     */
    private void step(Send x) {
        SendResult r = null;
        try {
            if (x.unsure) {
                ZonedDateTime since = ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(x.since), ZoneOffset.UTC);
                Optional<String> sid = x.c == Channel.SMS ? twilio.findMessage(x.d.address(), x.s, x.text, since)
                        : twilio.findCall(x.d.address(), x.s.voiceFrom(), since);
                if (sid != null && sid.isPresent()) {
                    r = new SendResult.Accepted(sid.get());
                    log.info("alert {} delivery {} {}: found as sent after an ambiguous failure", x.alertId,
                            x.d.index(), x.c.id());
                }
            }
            if (r == null) {
                TwilioGateway.Pending p = x.c == Channel.SMS ? twilio.startSms(x.d.address(), x.s, x.text, x.callback)
                        : twilio.startCall(x.d.address(), x.s.voiceFrom(), Twiml.say(x.text, x.d.language()), x.callback);
                p.done().whenComplete((v, e) -> Thread.ofVirtual().start(() -> finishStep(x, p)));
                return;
            }
        } catch (RuntimeException e) {
            giveUp(x, e);
            return;
        }
        twilioPermits.release();
        after(x, r);
    }

    private void finishStep(Send x, TwilioGateway.Pending p) {
        SendResult r;
        try {
            r = twilio.finish(p);
        } catch (RuntimeException e) {
            giveUp(x, e);
            return;
        }
        twilioPermits.release();
        after(x, r);
    }

    /** An unexpected error in a try: the permit goes back and the delivery stays for a later run of its batch. */
    private void giveUp(Send x, RuntimeException e) {
        twilioPermits.release();
        log.warn("alert {} delivery {}: send error {}", x.alertId, x.d.index(), e.getClass().getSimpleName());
        x.batch.settle(x.d.index(), false);
    }

    /** What a try came to: settle the delivery, or wait (backoff, pace, permit) and try again. */
    private void after(Send x, SendResult r) {
        try {
            switch (r) {
                case SendResult.Accepted a -> {
                    store.transition(x.alertId, List.of(x.d.index()), "sent", "sending", a.providerId(), null);
                    x.batch.settle(x.d.index(), true);
                }
                case SendResult.Rejected rej -> {
                    if (rej.optedOut()) {
                        store.optOut(x.d.address());
                    }
                    store.transition(x.alertId, List.of(x.d.index()), rej.optedOut() ? "opted_out" : "failed", "",
                            null, rej.reason());
                    log.info("alert {} delivery {} {}: {}", x.alertId, x.d.index(), x.c.id(), rej.reason());
                    x.batch.settle(x.d.index(), true);
                }
                case SendResult.Retry retry -> {
                    x.unsure = x.unsure || retry.ambiguous();
                    if (retry.ambiguous()) {
                        log.info("alert {} delivery {} {}: ambiguous failure {} (try {})", x.alertId, x.d.index(),
                                x.c.id(), retry.reason(), x.attempt);
                    }
                    if (x.attempt >= settings.maxSendAttempts() || x.batch.stopping) {
                        log.warn("alert {} delivery {} {}: still {} after {} tries", x.alertId, x.d.index(), x.c.id(),
                                retry.reason(), x.attempt);
                        x.batch.settle(x.d.index(), false);
                        return;
                    }
                    Duration wait = backoff.delay(x.attempt, retry.retryAfter());
                    if (retry.ambiguous() && wait.compareTo(settings.ambiguousSettle()) < 0) {
                        wait = settings.ambiguousSettle();
                    }
                    Thread.sleep(wait);
                    pace(x.paceKey, x.costMs);
                    twilioPermits.acquire();
                    x.attempt++;
                    step(x);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            x.batch.settle(x.d.index(), false);
        } catch (RuntimeException e) {
            log.warn("alert {} delivery {}: send error {}", x.alertId, x.d.index(), e.getClass().getSimpleName());
            x.batch.settle(x.d.index(), false);
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
