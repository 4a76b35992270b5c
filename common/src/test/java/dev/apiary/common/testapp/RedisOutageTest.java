package dev.apiary.common.testapp;

import static dev.apiary.common.testapp.TestHttp.request;
import static dev.apiary.common.testapp.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;

/**
 * Redis goes away mid-run (or hangs) and comes back: every path that touches it (a read, a write, a Lua script)
 * answers 503 problem+json with Retry-After, fast; readiness DOWN, workers pause, then all resumes.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "apiary.security.api-keys=test-key-1")
class RedisOutageTest {

    static final RedisTestServer REDIS = RedisTestServer.startPrivate();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        REDIS.register(r);
    }

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @LocalServerPort
    int port;

    private static void assertUnavailable(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(TestHttp.json(r).get("status").asInt()).isEqualTo(503);
    }

    /** A Lua script (JobStatusStore.transition). */
    private HttpResponse<String> advance(String id) {
        return send(request(port, "/api/test/v1/status/" + id + "/advance").header("Authorization", "Bearer test-key-1")
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"to\":\"running\"}")));
    }

    private int enqueue(String name) {
        return send(request(port, "/api/test/v1/jobs").header("Authorization", "Bearer test-key-1")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))).statusCode();
    }

    @Test
    void outageAnswers503QuicklyThenEverythingResumesByItself() {
        assertThat(enqueue("before")).isEqualTo(200);
        Await.until(Duration.ofSeconds(10), "handled before the outage", () -> TestApp.HANDLED.contains("before"));

        REDIS.stop();
        long t0 = System.nanoTime();
        var during = send(request(port, "/api/test/v1/status/x").header("Authorization", "Bearer test-key-1"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertUnavailable(during);
        assertThat(ms).isLessThan(2500);
        assertUnavailable(send(request(port, "/api/test/v1/jobs").header("Authorization", "Bearer test-key-1")
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"name\":\"lost\"}"))));
        assertUnavailable(advance("x"));
        Await.until(Duration.ofSeconds(10), "readiness DOWN",
                () -> send(request(port, "/actuator/health/readiness")).statusCode() == 503);
        assertThat(send(request(port, "/actuator/health/liveness")).statusCode()).isEqualTo(200);
        // the scrape stays fast: once a gauge finds Redis down, the others skip it (not a command timeout each)
        long s0 = System.nanoTime();
        Await.until(Duration.ofSeconds(20), "the scrape says Redis is down", () -> redisUp().equals("0.0"));
        assertThat(Duration.ofNanos(System.nanoTime() - s0)).isLessThan(Duration.ofSeconds(6));

        REDIS.start();
        Await.until(Duration.ofSeconds(15), "readiness UP again",
                () -> send(request(port, "/actuator/health/readiness")).statusCode() == 200);
        Await.until(Duration.ofSeconds(15), "accepting work again", () -> enqueue("after") == 200);
        Await.until(Duration.ofSeconds(15), "the worker resumed and handled new work",
                () -> TestApp.HANDLED.contains("after"));
        assertThat(TestApp.HANDLED).doesNotContain("lost");
        Await.until(Duration.ofSeconds(20), "the scrape says Redis is up", () -> redisUp().equals("1.0"));
    }

    /** The value of apiary_redis_up in a scrape (as an admin). */
    private String redisUp() {
        HttpResponse<String> r = send(request(port, "/actuator/prometheus").header("Authorization", "Bearer dev-ops-key"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body().lines().filter(l -> l.startsWith("apiary_redis_up ")).map(l -> l.substring(l.indexOf(' ') + 1))
                .findFirst().orElse("missing");
    }

    @Test
    void aHungRedisTimesOutInto503AndServesAgainOnceItWakes() {
        Await.until(Duration.ofSeconds(15), "serving", () -> advance("hung").statusCode() == 200);
        REDIS.pause();
        try {
            long t0 = System.nanoTime();
            assertUnavailable(advance("hung"));
            assertThat((System.nanoTime() - t0) / 1_000_000).as("the 2 s command timeout, not a hang").isLessThan(5000);
        } finally {
            REDIS.resume();
        }
        Await.until(Duration.ofSeconds(15), "serving again", () -> advance("hung").statusCode() == 200);
    }
}
