package dev.apiary.alert.reconcile;

import dev.apiary.alert.metrics.AlertMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.apiary.alert.api.AlertViews;
import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.core.Channel;
import dev.apiary.alert.core.DeliveryState;
import dev.apiary.alert.core.DeliveryStates;
import dev.apiary.alert.core.Translations;
import dev.apiary.alert.dispatch.MailgunGateway;
import dev.apiary.alert.dispatch.SentLookup;
import dev.apiary.alert.dispatch.TwilioGateway;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.ReconcileStore;

/**
 * Deliveries still {@code sent} longer than {@code apiary.alert.reconcile.after} (a callback lost: Mailgun does
 * not retry delivered events, a webhook may have been down) get their status fetched from the provider. Deliveries
 * still {@code sending} without a provider id that long (their send's record was lost: a write acknowledged by a
 * Redis master just before a failover) are looked up at Twilio ({@link SentLookup}) and, if found, adopted; if not,
 * looked at again one {@code after} later (their batch may still be retrying them).
 * Runs on every instance; a short Redis lock per alert keeps two instances off the same alert.
 */
@Component
public class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final AlertStore store;
    private final ReconcileStore reconcileStore;
    private final TwilioGateway twilio;
    private final MailgunGateway mailgun;
    private final AlertProperties props;
    private final AlertMetrics metrics;
    private final SentLookup sentLookup;

    public Reconciler(AlertStore store, ReconcileStore reconcileStore, TwilioGateway twilio, MailgunGateway mailgun,
                      AlertProperties props, AlertMetrics metrics, SentLookup sentLookup) {
        this.sentLookup = sentLookup;
        this.metrics = metrics;
        this.reconcileStore = reconcileStore;
        this.store = store;
        this.twilio = twilio;
        this.mailgun = mailgun;
        this.props = props;
    }

    @Scheduled(fixedDelayString = "${apiary.alert.reconcile.interval:1m}",
            initialDelayString = "${apiary.alert.reconcile.interval:1m}")
    public void scheduled() {
        if (props.reconcile().enabled()) {
            try {
                runOnce();
            } catch (RuntimeException e) {
                log.warn("reconciliation pass failed: {}", e.toString());
            }
        }
    }

    /** One pass over active alerts; answers how many deliveries changed. */
    public int runOnce() {
        AtomicInteger changed = new AtomicInteger();
        long before = System.currentTimeMillis() - props.reconcile().after().toMillis();
        long budgetEnd = System.nanoTime() + props.reconcile().interval().toNanos() / 2;
        for (String alertId : reconcileStore.activeAlerts(1000)) {
            Map<String, String> meta = store.meta(alertId);
            if (meta.isEmpty()) {
                reconcileStore.retire(alertId); // expired
                continue;
            }
            String lock = reconcileStore.lock("reconcile:" + alertId, Duration.ofSeconds(30));
            if (lock == null) {
                continue;
            }
            try {
                reconcile(alertId, meta, before, budgetEnd, changed);
            } finally {
                reconcileStore.unlock("reconcile:" + alertId, lock);
            }
        }
        if (changed.get() > 0) {
            log.info("reconciliation: {} deliveries updated from provider status", changed.get());
        }
        return changed.get();
    }

    /** One alert: its unsettled deliveries, a batch at a time, while the providers settle some. */
    private void reconcile(String alertId, Map<String, String> meta, long before, long budgetEnd,
                           AtomicInteger changed) {
        AlertProperties.Senders s = props.senders(meta.get("school_id"));
        List<Integer> stuck;
        int seenBefore = -1;
        do {
            stuck = reconcileStore.unsettledBefore(alertId, before, props.reconcile().batch());
            if (stuck.isEmpty() || stuck.hashCode() == seenBefore) {
                break; // nothing (more) that the providers can settle now
            }
            seenBefore = stuck.hashCode();
            reconcileBatch(alertId, meta, s, store.infos(alertId, stuck), changed);
        } while (System.nanoTime() < budgetEnd);
        if (stuck.isEmpty() && AlertViews.finished(store.meta(alertId))) {
            reconcileStore.retire(alertId);
        }
    }

    private void reconcileBatch(String alertId, Map<String, String> meta, AlertProperties.Senders s,
                                List<AlertStore.DeliveryInfo> infos, AtomicInteger changed) {
        Map<String, List<AlertStore.DeliveryInfo>> emailsByMessage = new HashMap<>();
        Semaphore permits = new Semaphore(16);
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (AlertStore.DeliveryInfo d : infos) {
                String pid = store.providerId(alertId, d.index());
                if (pid == null) {
                    if (d.channel().equals("email")) {
                        reconcileStore.later(alertId, d.index(), System.currentTimeMillis());
                    } else {
                        bounded(exec, permits, () -> adoptLostSend(alertId, meta, s, d, changed));
                    }
                    continue;
                }
                if (d.channel().equals("email")) {
                    emailsByMessage.computeIfAbsent(pid, k -> new ArrayList<>()).add(d);
                    continue;
                }
                bounded(exec, permits, () -> {
                    TwilioStatus st = twilioStatus(d.channel(), pid);
                    if (st != null) {
                        apply(alertId, d, st.state(), st.reason(), changed);
                    }
                });
            }
            emailsByMessage.forEach((pid, ds) -> exec.execute(() -> {
                Map<String, Map<String, String>> events = mailgun.events(s.mailgunDomain(), pid);
                if (events == null) {
                    return;
                }
                for (AlertStore.DeliveryInfo d : ds) {
                    Map<String, String> ev = events.get(d.address());
                    if (ev != null) {
                        String state = DeliveryStates.fromMailgun(ev.get("event"), ev.get("severity"));
                        apply(alertId, d, state, "failed".equals(state) ? "mailgun failed (reconciled)" : null, changed);
                    }
                }
            }));
        }
    }

    /** A delivery still sending without a provider id: found at Twilio, it takes the id and the status found. */
    private void adoptLostSend(String alertId, Map<String, String> meta, AlertProperties.Senders s,
                               AlertStore.DeliveryInfo d, AtomicInteger changed) {
        if (store.state(alertId, d.index()) != DeliveryState.SENDING) {
            return; // settled meanwhile
        }
        Channel channel = Channel.parse(d.channel()).orElseThrow();
        Translations.Variant variant = Translations.variant(meta, d.language());
        Optional<String> sid = sentLookup.find(alertId, d.index(), channel, d.address(), s,
                channel == Channel.SMS ? variant.text() : variant.spoken(),
                SentLookup.since(Long.parseLong(meta.getOrDefault("created_at", "0"))), "by reconciliation");
        if (sid == null || sid.isEmpty()) {
            reconcileStore.later(alertId, d.index(), System.currentTimeMillis());
            return;
        }
        TwilioStatus st = twilioStatus(d.channel(), sid.get());
        boolean isFinal = st != null && st.state() != null && DeliveryStates.isFinal(st.state());
        // not final yet at Twilio: sent, with its id, so the next passes fetch its status like any other
        String to = isFinal ? st.state() : DeliveryState.SENT.id();
        long n = store.transition(alertId, List.of(d.index()), to, "", sid.get(), isFinal ? st.reason() : null);
        metrics.deliveries(d.channel(), to, n);
        changed.addAndGet((int) n);
    }

    /** A message's or call's status at Twilio as a delivery state (null if unknown), with a reason on an error code. */
    private record TwilioStatus(String state, String reason) {
    }

    /** Null if Twilio could not be asked. */
    private TwilioStatus twilioStatus(String channel, String sid) {
        boolean sms = channel.equals(Channel.SMS.id());
        Map<String, String> st = sms ? twilio.messageStatus(sid) : twilio.callStatus(sid);
        if (st == null) {
            return null;
        }
        String state = sms ? DeliveryStates.fromTwilioMessage(st.get("status"))
                : DeliveryStates.fromTwilioCall(st.get("status"));
        String code = st.get("error_code");
        return new TwilioStatus(state, code.isBlank() ? null : "twilio " + code + " " + state);
    }

    /** Runs a provider call on its own virtual thread, at most as many at once as {@code permits} allows. */
    private static void bounded(ExecutorService exec, Semaphore permits, Runnable call) {
        permits.acquireUninterruptibly();
        exec.execute(() -> {
            try {
                call.run();
            } finally {
                permits.release();
            }
        });
    }

    private void apply(String alertId, AlertStore.DeliveryInfo d, String state, String reason, AtomicInteger changed) {
        if (state != null && DeliveryStates.isFinal(state)) {
            long n = store.transition(alertId, List.of(d.index()), state, "", null, reason);
            metrics.deliveries(d.channel(), state, n);
            changed.addAndGet((int) n);
        }
    }
}
