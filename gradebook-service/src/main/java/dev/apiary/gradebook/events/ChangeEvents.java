package dev.apiary.gradebook.events;

import dev.apiary.gradebook.cache.CachedSection;
import dev.apiary.gradebook.cache.SectionCache;
import dev.apiary.gradebook.config.GradebookProperties;
import dev.apiary.gradebook.source.SourceFormatException;
import dev.apiary.gradebook.source.SourceParser;
import dev.apiary.gradebook.view.Views;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import jakarta.annotation.PreDestroy;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import io.micrometer.core.instrument.MeterRegistry;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Change events on Redis channel {@code apiary:gradebook:changes} (every instance subscribes):
 * {@code score} patches the cached section in place (copy-on-write), {@code assignment},
 * {@code roster} and {@code section} evict it. Every applied change is pushed to this instance's
 * SSE streams of that section ({@link SectionEvents}). After a reconnect to Redis the cache cannot know what it missed,
 * so it is emptied (and the log says so).
 */
@Component
public class ChangeEvents implements MessageListener, SubscriptionListener, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeEvents.class);

    private final SectionCache cache;
    private final SectionEvents streams;
    private final StringRedisTemplate redis;
    private final String channel;
    private final AtomicLong subscriptions = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final ApplyLag lag;

    private final RedisMessageListenerContainer listeners;

    /**
     * Events are applied in the order Redis delivers them, one at a time: a container of our own whose
     * dispatch executor is a single thread (the shared container hands each message to its own thread,
     * so two changes of one cell could be applied in the wrong order).
     */
    public ChangeEvents(SectionCache cache, SectionEvents streams, StringRedisTemplate redis,
                        RedisConnectionFactory connections, GradebookProperties props, MeterRegistry meters) {
        this.lag = new ApplyLag(meters, Clock.systemUTC());
        this.cache = cache;
        this.streams = streams;
        this.redis = redis;
        this.channel = props.changesChannel();
        this.listeners = new RedisMessageListenerContainer();
        listeners.setConnectionFactory(connections);
        listeners.setTaskExecutor(Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("gradebook-change-events").factory()));
        listeners.setRecoveryInterval(1000L);
        listeners.addMessageListener(this, new ChannelTopic(channel));
        listeners.afterPropertiesSet();
    }

    @Override
    public void start() {
        listeners.start();
    }

    @Override
    public void stop() {
        listeners.stop();
    }

    @Override
    public boolean isRunning() {
        return listeners.isRunning();
    }

    @PreDestroy
    void close() throws Exception {
        listeners.destroy();
    }

    @Override
    public void onChannelSubscribed(byte[] ch, long count) {
        if (!channel.equals(new String(ch, java.nio.charset.StandardCharsets.UTF_8))) return;
        long n = subscriptions.incrementAndGet();
        if (n == 1) {
            log.info("subscribed to gradebook change events on {}", channel);
        } else {
            long size = cache.estimatedSize();
            cache.evictAll();
            log.warn("re-subscribed to {} after a Redis reconnect: change events may have been missed, "
                    + "evicted all {} cached sections", channel, size);
        }
    }

    /** How many times the channel was (re)subscribed. */
    public long subscriptions() {
        return subscriptions.get();
    }

    /** Change events applied by this instance (for tests and metrics). */
    public long applied() {
        return applied.get();
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        JsonNode e;
        try {
            e = SourceParser.mapper().readTree(message.getBody());
        } catch (RuntimeException ex) {
            log.warn("ignored a change event that is not JSON ({} bytes)", message.getBody().length);
            return;
        }
        try {
            handle(e);
        } catch (SourceFormatException ex) {
            log.warn("ignored a malformed change event: {}", ex.getMessage());
        } catch (RuntimeException ex) {
            log.warn("change event failed: {}", ex.toString());
        }
    }

    void handle(JsonNode e) {
        if (e == null || !e.isObject()) throw new SourceFormatException("$", "must be an object");
        long sectionId = integer(e, "section_id");
        lag.record(e.get("published_at"));
        JsonNode k = e.get("kind");
        String kind = k != null && k.isString() ? k.stringValue() : "";
        switch (kind) {
            case "score" -> {
                JsonNode v = e.get("score");
                BigDecimal score = v == null || v.isNull() ? null : number(v);
                apply(new ScoreChange(sectionId, integer(e, "student_id"), integer(e, "assignment_id"), score,
                        bool(e, "excused"), bool(e, "missing")));
            }
            case "assignment", "roster", "section" -> {
                cache.evict(sectionId);
                applied.incrementAndGet();
                log.info("section {}: {} change, evicted", sectionId, kind);
                streams.reload(new Views.ReloadEvent(sectionId, kind));
            }
            default -> {
                // an unknown kind of change to a section: safest is to refetch it
                cache.evict(sectionId);
                log.warn("section {}: unknown change kind '{}', evicted", sectionId, kind);
                streams.reload(new Views.ReloadEvent(sectionId, kind));
            }
        }
    }

    /**
     * Applies a score change to this instance's cached copy (if any) and, when it changed something,
     * pushes the student's new grades to the section's SSE streams. Returns the patched entry.
     */
    public Optional<CachedSection> apply(ScoreChange c) {
        var patched = cache.patch(c.sectionId(), c::applyTo);
        applied.incrementAndGet();
        if (patched.isPresent()) {
            if (patched.get().changed() && streams.listeners(c.sectionId()) > 0) {
                CachedSection s = patched.get().section();
                var student = Views.student(s.gradebook(), c.studentId(), s.fetchedAt());
                if (student != null) streams.score(new Views.ScoreEvent(c.sectionId(), student));
            }
            return Optional.of(patched.get().section());
        }
        if (streams.listeners(c.sectionId()) > 0) {
            // not cached here (or just evicted): let the clients reload
            streams.reload(new Views.ReloadEvent(c.sectionId(), "score"));
        }
        return Optional.empty();
    }

    /** Tells the other instances (best effort: the legacy app publishes the same change too). */
    public void publish(ScoreChange c) {
        try {
            Map<String, Object> event = new LinkedHashMap<>(c.event());
            event.put("published_at", Instant.now().toString());
            redis.convertAndSend(channel, SourceParser.mapper().writeValueAsString(event));
        } catch (RuntimeException ex) {
            log.warn("section {}: score change event not published ({}); other instances rely on the legacy "
                    + "app's event or their TTL", c.sectionId(), ex.toString());
        }
    }

    private static long integer(JsonNode e, String f) {
        JsonNode v = e.get(f);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) throw new SourceFormatException(f, "must be an integer");
        return v.longValue();
    }

    private static boolean bool(JsonNode e, String f) {
        JsonNode v = e.get(f);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw new SourceFormatException(f, "must be true or false");
        return v.booleanValue();
    }

    private static BigDecimal number(JsonNode v) {
        if (!v.isNumber()) throw new SourceFormatException("score", "must be a number or null");
        BigDecimal d = v.decimalValue();
        SourceParser.checkBounds(d, "score");
        return d;
    }
}
