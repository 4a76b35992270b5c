package dev.apiary.common.testapp;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.apiary.common.events.Event;
import dev.apiary.common.events.EventHub;
import dev.apiary.common.events.StateStreams;
import dev.apiary.common.events.StreamOptions;
import dev.apiary.common.events.TopicStreams;
import dev.apiary.common.progress.JobStatusStore;

/** Event streams of the test app, one family per behaviour under test. */
@RestController
public class StreamTestController {

    public static String key(String id) {
        return "apiary:test:status:" + id;
    }

    /** A job status as its events show it. */
    static Map<String, Object> view(String id, Map<String, String> h) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("state", h.get("state"));
        v.put("done", Integer.parseInt(h.getOrDefault("done", "0")));
        if (h.containsKey("n")) v.put("n", Long.parseLong(h.get("n")));
        if (h.containsKey("pad")) v.put("pad", h.get("pad"));
        return v;
    }

    /** At most 4 events/s per job. */
    public final StateStreams<Map<String, Object>> status;
    /** Every change at once; buffer from {@code test.events.buffer}. */
    public final StateStreams<Map<String, Object>> fast;
    /** A heartbeat every 200 ms. */
    public final StateStreams<Map<String, Object>> beat;
    /** Pushed events, at most 2 sends/s. */
    public final TopicStreams topic;

    StreamTestController(EventHub hub, JobStatusStore store, @Value("${test.events.buffer:64}") int buffer) {
        var source = store.source(StreamTestController::key, StreamTestController::view);
        status = hub.states("job", "status", source, StreamOptions.defaults().withMaxEventsPerSecond(4));
        fast = hub.states("job", "status", source, StreamOptions.defaults().withBuffer(buffer));
        beat = hub.states("job", "status", source, StreamOptions.defaults().withHeartbeat(Duration.ofMillis(200)));
        topic = hub.topics("topic", StreamOptions.defaults().withMaxEventsPerSecond(2));
    }

    @GetMapping(path = "/api/test/v1/status/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    void status(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        status.open(id, request, response);
    }

    @GetMapping(path = "/api/test/v1/fast/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    void fast(@PathVariable String id, @RequestParam(name = "ends_in_ms", required = false) Long endsInMs,
              HttpServletRequest request, HttpServletResponse response) {
        fast.open(id, endsInMs == null ? null : Instant.now().plusMillis(endsInMs), request, response);
    }

    @GetMapping(path = "/api/test/v1/beat/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    void beat(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        beat.open(id, request, response);
    }

    @GetMapping(path = "/api/test/v1/topics/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    void topic(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        topic.open(id, Event.of("ready", Map.of("id", id)), request, response);
    }

    /** Small socket send buffers, so a client that stops reading blocks its writer after a few KB. */
    @Configuration
    @ConditionalOnProperty("test.tomcat.send-buffer")
    static class SmallSendBuffers {
        @Bean
        TomcatConnectorCustomizer smallSendBuffer(@Value("${test.tomcat.send-buffer}") String bytes) {
            return connector -> connector.setProperty("socket.txBufSize", bytes);
        }
    }
}
