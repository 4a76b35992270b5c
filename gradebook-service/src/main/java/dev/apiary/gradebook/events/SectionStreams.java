package dev.apiary.gradebook.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Open SSE streams per section on this instance; changes applied here are pushed to them. A {@link SmartLifecycle}
 * so that on shutdown the streams end before the web server's graceful shutdown starts waiting for open
 * requests: browsers reconnect (to another instance) at once instead of the stop hanging for 30 s.
 */
@Component
public class SectionStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SectionStreams.class);
    static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final Map<Long, Set<SseEmitter>> streams = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("gradebook-sse-heartbeat").factory());

    public SectionStreams() {
        heartbeat.scheduleAtFixedRate(this::ping, 20, 20, TimeUnit.SECONDS);
    }

    public SseEmitter open(long sectionId) {
        SseEmitter e = new SseEmitter(TIMEOUT.toMillis());
        Set<SseEmitter> set = streams.computeIfAbsent(sectionId, k -> new CopyOnWriteArraySet<>());
        set.add(e);
        Runnable remove = () -> {
            set.remove(e);
            streams.computeIfPresent(sectionId, (k, v) -> v.isEmpty() ? null : v);
        };
        e.onCompletion(remove);
        e.onTimeout(remove);
        e.onError(t -> remove.run());
        try {
            e.send(SseEmitter.event().name("ready").data(Map.of("section_id", sectionId), MediaType.APPLICATION_JSON));
        } catch (IOException ex) {
            remove.run();
        }
        return e;
    }

    public int listeners(long sectionId) {
        Set<SseEmitter> s = streams.get(sectionId);
        return s == null ? 0 : s.size();
    }

    public void push(long sectionId, String event, Object data) {
        Set<SseEmitter> set = streams.get(sectionId);
        if (set == null) return;
        for (SseEmitter e : set) {
            try {
                e.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException ex) {
                set.remove(e);
                log.debug("section {}: SSE client gone ({})", sectionId, ex.toString());
            }
        }
    }

    private void ping() {
        streams.forEach((id, set) -> {
            for (SseEmitter e : set) {
                try {
                    e.send(SseEmitter.event().comment("ping"));
                } catch (IOException | IllegalStateException ex) {
                    set.remove(e);
                }
            }
        });
    }

    private volatile boolean running;

    @Override
    public void start() {
        running = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Default phase: stopped before the web server's graceful shutdown (a lower phase). */
    @Override
    public void stop() {
        running = false;
        close();
    }

    @PreDestroy
    void close() {
        heartbeat.shutdownNow();
        streams.values().forEach(set -> set.forEach(SseEmitter::complete));
        streams.clear();
    }
}
