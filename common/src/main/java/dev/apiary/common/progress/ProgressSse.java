package dev.apiary.common.progress;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.apiary.common.web.ApiProblem;

/**
 * Server-Sent Events for a job status: the current state on connect, then every change (each event carries
 * the whole current view, so a client that missed one loses nothing), closing after a final state.
 * A comment line every 15 s keeps idle connections open through proxies.
 */
public class ProgressSse {

    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final JobStatusStore store;
    private final RedisMessageListenerContainer listeners;
    private final ScheduledExecutorService heartbeats =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("sse-heartbeat").factory());
    private final Duration timeout;

    public ProgressSse(JobStatusStore store, RedisMessageListenerContainer listeners, Duration timeout) {
        this.store = store;
        this.listeners = listeners;
        this.timeout = timeout;
    }

    /**
     * Streams the status at {@code key}; {@code view} turns the hash into the event's JSON body.
     * Throws a 404 problem when there is no such job.
     */
    public SseEmitter stream(String key, Function<Map<String, String>, Object> view) {
        Map<String, String> now = store.get(key);
        if (now.isEmpty()) throw ApiProblem.notFound("job", key);
        SseEmitter emitter = new SseEmitter(timeout.toMillis());
        Watch watch = new Watch(key, view, emitter);
        ChannelTopic topic = new ChannelTopic(JobStatusStore.channel(key));
        MessageListener listener = (message, pattern) -> watch.push();
        // Subscribe first, then send the current state: a change in between is sent, never lost.
        listeners.addMessageListener(listener, topic);
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(watch::heartbeat,
                HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        Runnable cleanup = () -> {
            beat.cancel(false);
            listeners.removeMessageListener(listener, topic);
        };
        watch.onClose = cleanup;
        emitter.onCompletion(cleanup);
        emitter.onTimeout(cleanup);
        emitter.onError(e -> cleanup.run());
        watch.push();
        return emitter;
    }

    private final class Watch {
        private final String key;
        private final Function<Map<String, String>, Object> view;
        private final SseEmitter emitter;
        private final AtomicBoolean closed = new AtomicBoolean();
        private String lastSent;
        volatile Runnable onClose = () -> { };

        Watch(String key, Function<Map<String, String>, Object> view, SseEmitter emitter) {
            this.key = key;
            this.view = view;
            this.emitter = emitter;
        }

        /** Reads the status now and sends it; sends are serialised so events go out in order. */
        synchronized void push() {
            if (closed.get()) return;
            try {
                Map<String, String> status = store.get(key);
                if (status.isEmpty()) {
                    close();
                    return;
                }
                Object body = view.apply(status);
                String signature = String.valueOf(body);
                if (!signature.equals(lastSent)) {
                    emitter.send(SseEmitter.event().name("status").data(body, MediaType.APPLICATION_JSON));
                    lastSent = signature;
                }
                if (JobStatusStore.isFinal(status)) close();
            } catch (IOException | IllegalStateException e) {
                closed.set(true);
                onClose.run();
            } catch (RuntimeException e) {
                // Redis hiccup: the next change (or the client's reconnect) brings the state again
            }
        }

        synchronized void heartbeat() {
            if (closed.get()) return;
            try {
                emitter.send(SseEmitter.event().comment("keep-alive"));
            } catch (IOException | IllegalStateException e) {
                closed.set(true);
                onClose.run();
            }
        }

        private void close() {
            if (closed.compareAndSet(false, true)) {
                onClose.run();
                emitter.complete();
            }
        }
    }
}
