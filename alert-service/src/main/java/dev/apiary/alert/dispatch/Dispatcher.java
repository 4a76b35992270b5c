package dev.apiary.alert.dispatch;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.core.Channel;
import dev.apiary.alert.core.DeliveryState;
import dev.apiary.alert.optout.OptOutCheck;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.AlertStore.DeliveryInfo;
import dev.apiary.common.queue.QueueSettings;
import dev.apiary.common.queue.WorkHandler;
import dev.apiary.common.queue.WorkItem;
import dev.apiary.common.queue.WorkQueue;
import dev.apiary.common.queue.WorkQueues;

/**
 * Batch scheduling. Each channel has a work queue (Redis stream, shared by all instances) whose entries are
 * batches: an index range of one alert's deliveries. An alert keeps only {@code window} entries per channel in the
 * queue and each batch enqueues the alert's next one when it starts, so concurrent alerts interleave round-robin
 * instead of queueing behind each other. A batch claims its deliveries and hands them to the channel's sender
 * ({@link TwilioBatchSender}, {@link EmailBatchSender}); deliveries left unsent make the queue retry the batch.
 */
@Component
public class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final AlertStore store;
    private final TwilioBatchSender twilio;
    private final EmailBatchSender email;
    private final AlertProperties.Dispatch settings;
    private final Map<Channel, WorkQueue> queues = new EnumMap<>(Channel.class);
    private final OptOutCheck optOuts;

    public Dispatcher(WorkQueues workQueues, AlertStore store, TwilioBatchSender twilio, EmailBatchSender email,
                      AlertProperties props, OptOutCheck optOuts) {
        this.optOuts = optOuts;
        this.store = store;
        this.twilio = twilio;
        this.email = email;
        this.settings = props.dispatch();
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
        start(alertId, channels, queued -> { });
    }

    /** As {@link #start(String, Collection)}, calling {@code afterQueued} with the count after each batch queued. */
    public void start(String alertId, Collection<Channel> channels, java.util.function.IntConsumer afterQueued) {
        int queued = 0;
        for (Channel c : channels) {
            for (int k = 0; k < settings.window(); k++) {
                if (!enqueueNext(alertId, c)) {
                    break;
                }
                afterQueued.accept(++queued);
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
        // an address that opted out since the alert was created is not sent to
        List<DeliveryInfo> infos = optOuts.beforeSend(alertId, meta.get("school_id"), c, store.infos(alertId, claimed));
        if (infos.isEmpty()) {
            return;
        }
        List<Integer> pending = c == Channel.EMAIL ? email.send(alertId, meta, infos)
                : twilio.send(c, alertId, meta, infos, item.mayBePartlyDone());
        if (!pending.isEmpty()) {
            if (item.attempt() >= settings.queueAttempts()) {
                store.transition(alertId, pending, DeliveryState.FAILED, DeliveryState.SENDING, null,
                        "provider_unavailable");
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
        store.transition(alertId, left, DeliveryState.FAILED, DeliveryState.SENDING, null, "dispatch_abandoned");
        log.error("alert {} {}: {} deliveries failed, their batch was given up ({})", alertId, c.id(), left.size(),
                reason);
    }
}
