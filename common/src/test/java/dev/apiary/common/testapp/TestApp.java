package dev.apiary.common.testapp;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.queue.PermanentFailure;
import dev.apiary.common.queue.QueueSettings;
import dev.apiary.common.queue.WorkQueue;
import dev.apiary.common.queue.WorkQueues;
import dev.apiary.common.web.ApiProblem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A tiny service built only from common, to test what every service inherits. */
@SpringBootApplication
public class TestApp {

    public static final List<String> HANDLED = new CopyOnWriteArrayList<>();
    /** Names the "doomed" queue lets through; every other entry fails for good (dead letters for the admin API). */
    public static final Set<String> HEALED = ConcurrentHashMap.newKeySet();
    public static final List<String> HANDLED_DOOMED = new CopyOnWriteArrayList<>();
    public static final String DOOMED_STREAM = "apiary:test:{doomed}";

    @Bean
    WorkQueue testQueue(WorkQueues queues) {
        return queues.declare(QueueSettings.of("apiary:test:{jobs}", "testapp").withLease(Duration.ofSeconds(2)),
                item -> HANDLED.add(item.field("name")));
    }

    @Bean
    WorkQueue doomedQueue(WorkQueues queues) {
        return queues.declare(QueueSettings.of(DOOMED_STREAM, "testapp").withLease(Duration.ofSeconds(2)), item -> {
            if (!HEALED.contains(item.field("name"))) throw new PermanentFailure("no such recipient");
            HANDLED_DOOMED.add(item.field("name"));
        });
    }

    public record Widget(@NotBlank String name, @NotNull @Min(1) Integer sizeInches) {
    }

    @RestController
    static class Api {
        private static final Logger log = LoggerFactory.getLogger(Api.class);
        private final Map<String, Widget> widgets = new ConcurrentHashMap<>();
        private final JobStatusStore store;
        private final WorkQueue queue;

        Api(JobStatusStore store, @Qualifier("testQueue") WorkQueue testQueue) {
            this.store = store;
            this.queue = testQueue;
        }

        @PostMapping(path = "/api/test/v1/widgets", produces = "application/json")
        Map<String, Object> create(@Valid @RequestBody Widget w) {
            log.info("widget created");
            widgets.put(w.name(), w);
            return Map.of("name", w.name(), "size_inches", w.sizeInches());
        }

        @GetMapping(path = "/api/test/v1/widgets/{name}", produces = "application/json")
        Widget get(@PathVariable String name) {
            Widget w = widgets.get(name);
            if (w == null) throw ApiProblem.notFound("widget", name);
            return w;
        }

        @PostMapping(path = "/api/test/v1/jobs", produces = "application/json")
        Map<String, String> enqueue(@RequestBody Map<String, String> body) {
            return Map.of("id", queue.enqueue(Map.of("name", body.getOrDefault("name", "?"))));
        }

        @GetMapping(path = "/api/test/v1/status/{id}", produces = "application/json")
        Map<String, String> status(@PathVariable String id) {
            Map<String, String> s = store.get("apiary:test:status:" + id);
            if (s.isEmpty()) throw ApiProblem.notFound("job", id);
            return Map.of("state", s.get("state"), "done", s.getOrDefault("done", "0"));
        }

        /** Moves a job's status on (a Lua script: the path a Redis failure in a script takes). */
        @PostMapping(path = "/api/test/v1/status/{id}/advance", produces = "application/json")
        Map<String, Boolean> advance(@PathVariable String id, @RequestBody Map<String, String> body) {
            return Map.of("moved", store.transition("apiary:test:status:" + id, body.getOrDefault("to", "running"), Map.of()));
        }

        @GetMapping(path = "/api/test/v1/open/ping", produces = "application/json")
        Map<String, String> open() {
            return Map.of("pong", "yes");
        }
    }
}
