package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** nginx's limits: alert creation is rate limited (429), request bodies are capped per route (413). */
@Order(80)
class LimitsIT {
    static Suite suite;

    @BeforeAll
    static void up() {
        suite = Suite.get();
    }

    @Test
    void aBurstOfAlertCreationsIsRateLimited() throws Exception {
        // invalid bodies: the service answers 400 and creates nothing; nginx answers 429 past rate + burst
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 40; i++) {
                calls.add(CompletableFuture.supplyAsync(
                        () -> suite.post("/api/alerts/v1/alerts", suite.apiKey(), "{\"channels\": []}").status(), pool));
            }
        }
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).toList();
        assertThat(statuses).as(statuses.toString()).contains(429).contains(400).doesNotContain(202, 500);
        // reading alerts is not limited
        for (int i = 0; i < 30; i++) {
            assertThat(suite.get("/api/alerts/v1/alerts/unknown-id", suite.apiKey()).status()).isNotEqualTo(429);
        }
    }

    @Test
    void bodiesAreCappedPerRoute() {
        byte[] threeMb = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(threeMb, (byte) ' ');
        // 3 MB: over the legacy routes' 1 MB, under pdf-service's 256 MB (there it is only bad JSON)
        assertThat(post("/report-cards", threeMb)).isEqualTo(413);
        assertThat(post("/api/pdf/v1/reports", threeMb)).isNotEqualTo(413);
        byte[] twentyOneMb = new byte[21 * 1024 * 1024];
        java.util.Arrays.fill(twentyOneMb, (byte) ' ');
        assertThat(post("/api/alerts/v1/alerts", twentyOneMb)).isEqualTo(413);
    }

    int post(String path, byte[] body) {
        return suite.send(suite.builder(path, suite.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()).status();
    }
}
