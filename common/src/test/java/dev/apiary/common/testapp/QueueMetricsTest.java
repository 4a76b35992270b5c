package dev.apiary.common.testapp;

import static dev.apiary.common.testapp.TestHttp.request;
import static dev.apiary.common.testapp.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.queue.PermanentFailure;
import dev.apiary.common.queue.QueueSettings;
import dev.apiary.common.queue.WorkQueue;
import dev.apiary.common.queue.WorkQueues;
import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;

/** The queue metrics as Prometheus scrapes them from /actuator/prometheus (an admin client's). */
@AdminTestApp
class QueueMetricsTest {

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
    }

    @LocalServerPort
    int port;
    @Autowired
    WorkQueues queues;

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private List<Sample> scrape(String key) {
        HttpResponse<String> r = send(request(port, "/actuator/prometheus").header("Authorization", "Bearer " + key));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        List<Sample> samples = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            double value = Double.parseDouble(line.substring(space + 1));
            int brace = series.indexOf('{');
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0) {
                Matcher m = LABEL.matcher(series.substring(brace + 1, series.lastIndexOf('}')));
                while (m.find()) labels.put(m.group(1), m.group(2));
            }
            samples.add(new Sample(brace >= 0 ? series.substring(0, brace) : series, labels, value));
        }
        return samples;
    }

    /** The value of {@code name} for {@code stream}, NaN when the scrape has no such series. */
    private static double value(List<Sample> samples, String name, String stream) {
        return samples.stream().filter(s -> s.name().equals(name) && stream.equals(s.labels().get("stream")))
                .mapToDouble(Sample::value).findFirst().orElse(Double.NaN);
    }

    @Test
    void everyQueueNumberIsScrapedPerStreamWithTheStreamAsItsOnlyTag() throws Exception {
        String stream = "apiary:test:{metrics-" + UUID.randomUUID() + "}";
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        WorkQueue q = queues.declare(QueueSettings.of(stream, "metrics").withMaxAttempts(3)
                .withBackoff(Duration.ofHours(1), Duration.ofHours(1)), item -> {
                    switch (item.field("kind")) {
                        case "flaky" -> throw new IllegalStateException("try later");
                        case "dead" -> throw new PermanentFailure("never");
                        case "block" -> {
                            blocking.countDown();
                            release.await();
                        }
                        default -> { }
                    }
                });
        for (String kind : List.of("ok", "flaky", "dead", "block")) q.enqueue(Map.of("kind", kind));
        Await.until(Duration.ofSeconds(10), "the blocking entry is being handled", () -> blocking.getCount() == 0);

        Await.until(Duration.ofSeconds(20), "the scrape shows each number", () -> {
            List<Sample> s = scrape("dev-ops-key");
            return value(s, "apiary_queue_depth", stream) == 1            // the blocked one, still in the stream
                    && value(s, "apiary_queue_pending", stream) == 1
                    && value(s, "apiary_queue_oldest_pending_age_seconds", stream) >= 1.0
                    && value(s, "apiary_queue_retries_scheduled", stream) == 1
                    && value(s, "apiary_queue_retries_total", stream) == 1
                    && value(s, "apiary_queue_dead_letters", stream) == 1
                    && value(s, "apiary_queue_dead_lettered_total", stream) == 1
                    && value(s, "apiary_queue_handler_seconds_count", stream) == 3
                    && value(s, "apiary_queue_lease_seconds", stream) == q.settings().lease().toMillis() / 1000.0;
        });
        assertThat(scrape("dev-ops-key")).as("Redis answers this instance")
                .anySatisfy(x -> assertThat(x.name() + "=" + x.value()).isEqualTo("apiary_redis_up=1.0"));
        List<Sample> ours = scrape("dev-ops-key").stream().filter(s -> s.name().startsWith("apiary_queue_")
                && stream.equals(s.labels().get("stream"))).toList();
        assertThat(ours.stream().map(Sample::name).distinct().toList()).containsExactlyInAnyOrder(
                "apiary_queue_depth", "apiary_queue_pending", "apiary_queue_oldest_pending_age_seconds",
                "apiary_queue_retries_scheduled", "apiary_queue_retries_total", "apiary_queue_dead_letters",
                "apiary_queue_dead_lettered_total", "apiary_queue_handler_seconds_count",
                "apiary_queue_handler_seconds_sum", "apiary_queue_handler_seconds_max", "apiary_queue_lease_seconds");
        assertThat(ours).allSatisfy(s -> assertThat(s.labels().keySet()).as(s.name()).containsExactly("stream"));

        release.countDown();
        Await.until(Duration.ofSeconds(20), "the released entry is gone from depth, pending and age", () -> {
            List<Sample> s = scrape("dev-ops-key");
            return value(s, "apiary_queue_depth", stream) == 0 && value(s, "apiary_queue_pending", stream) == 0
                    && value(s, "apiary_queue_oldest_pending_age_seconds", stream) == 0
                    && value(s, "apiary_queue_handler_seconds_count", stream) == 4;
        });
    }

    @Test
    void theScrapeNeedsAnAdminClient() {
        assertThat(send(request(port, "/actuator/prometheus")).statusCode()).isEqualTo(401);
        assertThat(send(request(port, "/actuator/prometheus").header("Authorization", "Bearer reader-key")).statusCode())
                .isEqualTo(403);
    }
}
