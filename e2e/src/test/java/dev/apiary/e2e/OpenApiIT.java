package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each service's OpenAPI description is reachable through nginx under its own path, without the API key. */
@Order(5)
class OpenApiIT {
    static Suite suite;

    @BeforeAll
    static void up() {
        suite = Suite.get();
    }

    @ParameterizedTest
    @CsvSource({"pdf,/api/pdf/v1/reports", "alerts,/api/alerts/v1/alerts", "gradebook,/api/gradebook/v1/sections/{id}"})
    void apiDocsThroughNginx(String service, String expectedPath) {
        Suite.Response r = suite.get("/api/" + service + "/v3/api-docs", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("openapi").asString()).startsWith("3.");
        assertThat(r.json().get("paths").toString()).contains(expectedPath);
    }
}
