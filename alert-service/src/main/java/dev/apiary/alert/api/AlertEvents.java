package dev.apiary.alert.api;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.Keys;

/**
 * Server-Sent Events of alert progress. Every delivery change is published on the alert's Redis channel
 * (from the Lua scripts, so any instance's change reaches every instance's clients); changes are coalesced
 * and a fresh summary is sent at most every {@code 250 ms}. The stream sends the current summary on
 * connect and completes once the alert is finished.
 */
@Component
public class AlertEvents implements DisposableBean {
    private static final long FLUSH_MS = 250;

    private final AlertStore store;
    private final AlertViews views;
    private final RedisMessageListenerContainer listeners;
    private final Map<String, Set<SseEmitter>> clients = new ConcurrentHashMap<>();
    private final Map<String, MessageListener> subscriptions = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("alert-sse").daemon().factory());

    public AlertEvents(AlertStore store, AlertViews views, RedisMessageListenerContainer listeners) {
        this.store = store;
        this.views = views;
        this.listeners = listeners;
        timer.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::heartbeat, 15, 15, TimeUnit.SECONDS);
    }

    public SseEmitter open(String alertId, Map<String, String> meta) {
        SseEmitter emitter = new SseEmitter(Duration.ofHours(2).toMillis());
        Set<SseEmitter> set = clients.computeIfAbsent(alertId, a -> ConcurrentHashMap.newKeySet());
        set.add(emitter);
        Runnable remove = () -> remove(alertId, emitter);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        subscriptions.computeIfAbsent(alertId, a -> {
            MessageListener l = (message, pattern) -> dirty.add(a);
            listeners.addMessageListener(l, new ChannelTopic(Keys.events(a)));
            return l;
        });
        send(emitter, alertId, meta);
        dirty.add(alertId); // changes between the read above and the subscription are not lost
        return emitter;
    }

    private void remove(String alertId, SseEmitter emitter) {
        Set<SseEmitter> set = clients.get(alertId);
        if (set != null) {
            set.remove(emitter);
            if (set.isEmpty()) {
                clients.remove(alertId);
                MessageListener l = subscriptions.remove(alertId);
                if (l != null) {
                    listeners.removeMessageListener(l, new ChannelTopic(Keys.events(alertId)));
                }
            }
        }
    }

    private void flush() {
        for (String alertId : Set.copyOf(dirty)) {
            dirty.remove(alertId);
            Set<SseEmitter> set = clients.get(alertId);
            if (set == null || set.isEmpty()) {
                continue;
            }
            try {
                Map<String, String> meta = store.meta(alertId);
                for (SseEmitter e : Set.copyOf(set)) {
                    send(e, alertId, meta);
                }
            } catch (RuntimeException ex) {
                dirty.add(alertId);
            }
        }
    }

    private void send(SseEmitter emitter, String alertId, Map<String, String> meta) {
        try {
            if (meta.isEmpty()) {
                emitter.send(SseEmitter.event().name("gone").data(Map.of("id", alertId), MediaType.APPLICATION_JSON));
                emitter.complete();
                return;
            }
            emitter.send(SseEmitter.event().name("progress").data(views.summary(meta, false), MediaType.APPLICATION_JSON));
            if (AlertViews.finished(meta)) {
                emitter.complete();
            }
        } catch (IOException | IllegalStateException e) {
            remove(alertId, emitter);
        }
    }

    private void heartbeat() {
        clients.forEach((a, set) -> set.forEach(e -> {
            try {
                e.send(SseEmitter.event().comment("keep-alive"));
            } catch (IOException | IllegalStateException ex) {
                remove(a, e);
            }
        }));
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
        clients.values().forEach(set -> set.forEach(SseEmitter::complete));
    }
}
