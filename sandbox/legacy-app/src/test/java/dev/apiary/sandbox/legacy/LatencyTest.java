package dev.apiary.sandbox.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** apiary.legacy.latency slows the legacy JSON API (/api/v1/**), as the real app is slow. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "apiary.legacy.latency=300ms")
class LatencyTest {
    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        r.add("spring.data.redis.host", () -> "127.0.0.1");
        r.add("spring.data.redis.port", () -> RedisServer.shared().port);
    }

    @LocalServerPort
    int port;

    long millis(String path) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        http.send(req, HttpResponse.BodyHandlers.discarding()); // warm
        long t0 = System.nanoTime();
        assertThat(http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void theJsonApiIsSlowed() throws Exception {
        assertThat(millis("/api/v1/sections/101/gradebook")).isGreaterThanOrEqualTo(300);
        assertThat(millis("/api/v1/sections")).isGreaterThanOrEqualTo(300);
    }
}
