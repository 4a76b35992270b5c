package dev.apiary.alert.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.core.Channel;
import dev.apiary.alert.dispatch.Dispatcher;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.AlertWriter;
import dev.apiary.alert.store.Keys;
import dev.apiary.common.queue.PendingIndex;
import dev.apiary.common.tenancy.Owner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Finishes creations and dispatches that a crash or an error cut short. A create puts the alert in a small index
 * ({@link Keys#DISPATCHING}, scored by time) before it writes anything and takes it out once its first batches are
 * queued, so the index holds only unconfirmed dispatches and the sweep is cheap. An entry older than
 * {@code apiary.alert.dispatch-grace}:
 * <ul>
 * <li>without the alert's meta hash (the crash came before the alert existed): its orphaned delivery hashes are
 *     deleted;</li>
 * <li>with an alert still sending: its batches are queued again ({@link Dispatcher#start} hands out only ranges not
 *     handed out yet, and a delivery is claimed once, so nothing is sent twice), and it joins the active set and the
 *     school's history if the crash came before that.</li>
 * </ul>
 * Cluster safe: one key per command; which instance takes an entry is common's {@link PendingIndex}.
 */
@Component
public class DispatchSweeper {
    private static final Logger log = LoggerFactory.getLogger(DispatchSweeper.class);

    private final PendingIndex index;
    private final AlertStore store;
    private final AlertWriter writer;
    private final Dispatcher dispatcher;
    private final AlertHistory history;
    private final AlertProperties props;
    private final Counter redispatched;

    public DispatchSweeper(StringRedisTemplate redis, AlertStore store, AlertWriter writer, Dispatcher dispatcher,
                           AlertHistory history, AlertProperties props, MeterRegistry meters) {
        this.index = new PendingIndex(redis, Keys.DISPATCHING);
        this.store = store;
        this.writer = writer;
        this.dispatcher = dispatcher;
        this.history = history;
        this.props = props;
        this.redispatched = Counter.builder("apiary.alert.alerts.redispatched")
                .description("Alerts whose first dispatch was cut short and the sweeper finished").register(meters);
    }

    @Scheduled(initialDelayString = "${apiary.alert.dispatch-sweep-interval:30s}",
            fixedDelayString = "${apiary.alert.dispatch-sweep-interval:30s}")
    public void sweepScheduled() {
        try {
            sweep(Instant.now());
        } catch (RuntimeException e) {
            log.warn("alert dispatch sweep failed: {}", e.toString());
        }
    }

    /** Handles the entries unconfirmed for longer than the grace; answers how many alerts were dispatched again. */
    public int sweep(Instant now) {
        return index.sweep(now, props.dispatchGrace(), this::finish);
    }

    private boolean finish(String id) {
        Map<String, String> meta = store.meta(id);
        if (meta.isEmpty()) {
            writer.deleteOrphan(id);
            log.warn("alert {}: its creation was cut short before the alert existed; leftovers deleted", id);
            return false;
        }
        if (!"sending".equals(meta.get("state"))) {
            return false;
        }
        writer.activate(id);
        history.record(meta.get(Owner.SCHOOL_ID), id, Long.parseLong(meta.getOrDefault("created_at", "0")));
        List<Channel> channels = Arrays.stream(meta.getOrDefault("channels", "").split(","))
                .map(Channel::parse).flatMap(Optional::stream).toList();
        dispatcher.start(id, channels);
        redispatched.increment();
        log.warn("alert {}: its first dispatch was cut short; its batches are queued again", id);
        return true;
    }
}
