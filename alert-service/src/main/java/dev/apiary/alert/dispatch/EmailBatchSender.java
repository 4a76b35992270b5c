package dev.apiary.alert.dispatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.core.Backoff;
import dev.apiary.alert.core.DeliveryState;
import dev.apiary.alert.core.Pace;
import dev.apiary.alert.core.SendResult;
import dev.apiary.alert.core.Translations;
import dev.apiary.alert.metrics.AlertMetrics;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.AlertStore.DeliveryInfo;
import dev.apiary.alert.store.RedisPacer;

/**
 * Email: one Mailgun call per batch of up to 1,000 recipients ({@code recipient-variables} carry each delivery id),
 * paced per domain, retried on 429/5xx inside the batch run. Before a retry every delivery is read again and those
 * no longer {@code sending} (a webhook showed the earlier call went through) are left out.
 */
@Component
public class EmailBatchSender {
    private static final Logger log = LoggerFactory.getLogger(EmailBatchSender.class);

    private final AlertStore store;
    private final MailgunGateway mailgun;
    private final RedisPacer pacer;
    private final AlertProperties props;
    private final Backoff backoff;
    private final Semaphore permits;
    private final AlertMetrics metrics;

    public EmailBatchSender(AlertStore store, MailgunGateway mailgun, RedisPacer pacer, AlertProperties props,
                            AlertMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.mailgun = mailgun;
        this.pacer = pacer;
        this.props = props;
        this.backoff = new Backoff(props.dispatch().backoffBase(), props.dispatch().backoffMax());
        this.permits = new Semaphore(props.mailgun().maxInFlight());
    }

    /**
     * Sends one batch run, one Mailgun call per language of the batch (each language's subject and text); answers
     * the delivery indices left for a later run (empty: all settled).
     */
    public List<Integer> send(String alertId, Map<String, String> meta, List<DeliveryInfo> infos)
            throws InterruptedException {
        Map<String, List<DeliveryInfo>> byLanguage = new LinkedHashMap<>();
        infos.forEach(d -> byLanguage.computeIfAbsent(d.language() == null ? "" : d.language(),
                l -> new ArrayList<>()).add(d));
        List<Integer> pending = new ArrayList<>();
        for (Map.Entry<String, List<DeliveryInfo>> e : byLanguage.entrySet()) {
            pending.addAll(send(alertId, meta, Translations.variant(meta, e.getKey()), e.getValue()));
        }
        return pending;
    }

    private List<Integer> send(String alertId, Map<String, String> meta, Translations.Variant content,
                               List<DeliveryInfo> infos) throws InterruptedException {
        AlertProperties.Senders s = props.senders(meta.get("school_id"));
        Pace pace = Pace.mailgun(s.mailgunDomain(), props.mailgun().requestsPerSecond());
        List<DeliveryInfo> left = infos;
        for (int attempt = 1; ; attempt++) {
            if (attempt > 1) {
                left = stillSending(alertId, left);
                if (left.isEmpty()) {
                    return List.of();
                }
            }
            List<Integer> indices = left.stream().map(DeliveryInfo::index).toList();
            long waitStart = System.nanoTime();
            pacer.await(pace);
            metrics.pacingWait("mailgun", java.time.Duration.ofNanos(System.nanoTime() - waitStart));
            permits.acquire();
            SendResult r;
            long start = System.nanoTime();
            try {
                r = call(alertId, meta, content, s, left);
            } finally {
                permits.release();
            }
            metrics.providerAnswer("mailgun", r, java.time.Duration.ofNanos(System.nanoTime() - start));
            switch (r) {
                case SendResult.Accepted a -> {
                    store.transition(alertId, indices, DeliveryState.SENT, DeliveryState.SENDING, a.providerId(), null);
                    metrics.deliveries("email", DeliveryState.SENT.id(), indices.size());
                    return List.of();
                }
                case SendResult.Rejected rej -> {
                    store.transition(alertId, indices, DeliveryState.FAILED, null, null, rej.reason());
                    metrics.deliveries("email", DeliveryState.FAILED.id(), indices.size());
                    log.info("alert {} email batch of {}: {}", alertId, indices.size(), rej.reason());
                    return List.of();
                }
                case SendResult.Retry retry -> {
                    if (attempt >= props.dispatch().maxSendAttempts()) {
                        return indices;
                    }
                    Thread.sleep(backoff.delay(attempt, retry.retryAfter()));
                }
            }
        }
    }

    private SendResult call(String alertId, Map<String, String> meta, Translations.Variant content,
                            AlertProperties.Senders s, List<DeliveryInfo> infos) {
        List<String> to = new ArrayList<>(infos.size());
        Map<String, Object> vars = new LinkedHashMap<>();
        for (DeliveryInfo d : infos) {
            to.add(d.address());
            vars.put(d.address(), Map.of("d", alertId + "." + d.index()));
        }
        // school: Mailgun unsubscribe / complaint events name the school whose list the address goes on
        Map<String, String> userVars = Map.of("alert", alertId, "school", meta.get("school_id"), "d", "%recipient.d%");
        return mailgun.send(s.mailgunDomain(), s.mailgunFrom(), content.subject(), content.text(), content.html(), to,
                vars, userVars);
    }

    /** The deliveries still {@code sending}, read again from Redis. */
    private List<DeliveryInfo> stillSending(String alertId, List<DeliveryInfo> infos) {
        List<DeliveryState> now = store.states(alertId, infos.stream().map(DeliveryInfo::index).toList());
        List<DeliveryInfo> out = new ArrayList<>(infos.size());
        for (int i = 0; i < infos.size(); i++) {
            if (now.get(i) == DeliveryState.SENDING) {
                out.add(infos.get(i));
            }
        }
        return out;
    }
}
