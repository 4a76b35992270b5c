package dev.apiary.alert.reconcile;

import dev.apiary.alert.metrics.AlertMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import dev.apiary.alert.core.DeliveryStates;
import dev.apiary.alert.dispatch.MailgunGateway;
import dev.apiary.alert.dispatch.TwilioGateway;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.ReconcileStore;

/**
 * Deliveries still {@code sent} longer than {@code apiary.alert.reconcile.after} (a callback lost: Mailgun does
 * not retry delivered events, a webhook may have been down) get their status fetched from the provider.
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

    public Reconciler(AlertStore store, ReconcileStore reconcileStore, TwilioGateway twilio, MailgunGateway mailgun,
                      AlertProperties props, AlertMetrics metrics) {
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
            if (!reconcileStore.lock("reconcile:" + alertId, Duration.ofSeconds(30))) {
                continue;
            }
            AlertProperties.Senders s = props.senders(meta.get("school_id"));
            List<Integer> stuck;
            int seenBefore = -1;
            do {
                stuck = reconcileStore.sentBefore(alertId, before, props.reconcile().batch());
                if (stuck.isEmpty() || stuck.hashCode() == seenBefore) {
                    break; // nothing (more) that the providers can settle now
                }
                seenBefore = stuck.hashCode();
                reconcile(alertId, s, store.infos(alertId, stuck), changed);
            } while (System.nanoTime() < budgetEnd);
            if (stuck.isEmpty() && AlertViews.finished(store.meta(alertId))) {
                reconcileStore.retire(alertId);
            }
        }
        if (changed.get() > 0) {
            log.info("reconciliation: {} deliveries updated from provider status", changed.get());
        }
        return changed.get();
    }

    private void reconcile(String alertId, AlertProperties.Senders s, List<AlertStore.DeliveryInfo> infos,
                           AtomicInteger changed) {
        Map<String, List<AlertStore.DeliveryInfo>> emailsByMessage = new HashMap<>();
        Semaphore permits = new Semaphore(16);
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (AlertStore.DeliveryInfo d : infos) {
                String pid = store.providerId(alertId, d.index());
                if (pid == null) {
                    continue;
                }
                if (d.channel().equals("email")) {
                    emailsByMessage.computeIfAbsent(pid, k -> new ArrayList<>()).add(d);
                    continue;
                }
                permits.acquireUninterruptibly();
                exec.execute(() -> {
                    try {
                        String state = null;
                        String reason = null;
                        Map<String, String> st = d.channel().equals("sms") ? twilio.messageStatus(pid) : twilio.callStatus(pid);
                        if (st != null) {
                            state = d.channel().equals("sms") ? DeliveryStates.fromTwilioMessage(st.get("status"))
                                    : DeliveryStates.fromTwilioCall(st.get("status"));
                            if (!st.get("error_code").isBlank()) {
                                reason = "twilio " + st.get("error_code") + " " + state;
                            }
                        }
                        apply(alertId, d, state, reason, changed);
                    } finally {
                        permits.release();
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

    private void apply(String alertId, AlertStore.DeliveryInfo d, String state, String reason, AtomicInteger changed) {
        if (state != null && DeliveryStates.isFinal(state)) {
            long n = store.transition(alertId, List.of(d.index()), state, "", null, reason);
            metrics.deliveries(d.channel(), state, n);
            changed.addAndGet((int) n);
        }
    }
}
