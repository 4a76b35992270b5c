package dev.apiary.sandbox.legacy.gradebook;

import dev.apiary.sandbox.legacy.LegacyProperties;
import dev.apiary.sandbox.legacy.school.Model.Score;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** Publishes gradebook change events on Redis, the way the legacy app's after_commit hooks do. */
@Component
public class ChangePublisher {
    private static final Logger log = LoggerFactory.getLogger(ChangePublisher.class);
    private final StringRedisTemplate redis;
    private final ObjectMapper json;
    private final String channel;

    public ChangePublisher(StringRedisTemplate redis, ObjectMapper json, LegacyProperties props) {
        this.redis = redis;
        this.json = json;
        this.channel = props.changesChannel();
    }

    public void score(int sectionId, Score s) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("section_id", sectionId);
        event.put("kind", "score");
        event.put("student_id", s.studentId());
        event.put("assignment_id", s.assignmentId());
        event.put("score", s.score());
        event.put("excused", s.excused());
        event.put("missing", s.missing());
        publish(event);
    }

    public void section(int sectionId, String kind) {
        publish(Map.of("section_id", sectionId, "kind", kind));
    }

    private void publish(Map<String, Object> fields) {
        Map<String, Object> event = new LinkedHashMap<>(fields);
        event.put("published_at", java.time.Instant.now().toString()); // the services measure how late they apply it
        try {
            redis.convertAndSend(channel, json.writeValueAsString(event));
        } catch (RuntimeException e) {
            // the write is committed; a lost event is what the services' safety TTL is for
            log.warn("change event for section {} not published: {}", event.get("section_id"), e.toString());
        }
    }
}
