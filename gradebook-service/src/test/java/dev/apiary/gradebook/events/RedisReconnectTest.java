package dev.apiary.gradebook.events;

import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;
import dev.apiary.gradebook.cache.SectionCache;
import dev.apiary.gradebook.support.Http;
import dev.apiary.gradebook.support.LegacyStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After Redis comes back, the instance cannot know which change events it missed: it empties the
 * cache and says so in the log. Reads keep working from the cache during the outage.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class RedisReconnectTest {

    static final RedisTestServer redisServer = RedisTestServer.startPrivate();
    static final LegacyStandIn legacy = new LegacyStandIn();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        redisServer.register(r);
        r.add("apiary.gradebook.legacy-base-url", legacy::baseUrl);
    }

    @AfterAll
    static void stop() {
        legacy.close();
        redisServer.stop();
    }

    @LocalServerPort
    int port;
    @Autowired
    ChangeEvents events;
    @Autowired
    SectionCache cache;
    @Autowired
    StringRedisTemplate redis;

    @Test
    void reconnectEvictsEverythingAndLogsIt(CapturedOutput out) {
        Await.until(Duration.ofSeconds(10), "subscribed", () -> events.subscriptions() == 1);
        Http http = new Http(port);
        legacy.generated(301, 5, 12);
        legacy.generated(302, 5, 12);
        assertThat(http.get("/api/gradebook/v1/sections/301", "dev-key").statusCode()).isEqualTo(200);
        assertThat(http.get("/api/gradebook/v1/sections/302", "dev-key").statusCode()).isEqualTo(200);
        assertThat(cache.peek(301)).isPresent();

        redisServer.stop();
        // during the outage the cached data is still served (with its age)
        assertThat(http.get("/api/gradebook/v1/sections/301", "dev-key").headers().firstValue("X-Cache")).contains("hit");
        redisServer.start();

        Await.until(Duration.ofSeconds(20), "re-subscribed after the outage", () -> events.subscriptions() >= 2);
        Await.until(Duration.ofSeconds(5), "cache emptied", () -> cache.peek(301).isEmpty() && cache.peek(302).isEmpty());
        // the log line follows the eviction: wait for it rather than racing it
        Await.until(Duration.ofSeconds(5), "the eviction logged",
                () -> out.getOut().contains("after a Redis reconnect") && out.getOut().contains("evicted all 2 cached sections"));

        // and events flow again
        assertThat(http.get("/api/gradebook/v1/sections/301", "dev-key").statusCode()).isEqualTo(200);
        long applied = events.applied();
        redis.convertAndSend("apiary:gradebook:changes", "{\"section_id\":301,\"kind\":\"section\"}");
        Await.until(Duration.ofSeconds(5), "event after reconnect applied", () -> events.applied() > applied);
        assertThat(cache.peek(301)).isEmpty();
        assertThat(legacy.reads(301)).isEqualTo(2);
    }
}
