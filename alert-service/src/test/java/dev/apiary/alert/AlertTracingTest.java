package dev.apiary.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.apiary.alert.support.AlertServiceTestBase;
import tools.jackson.databind.JsonNode;

/**
 * One trace from the request that creates an alert (its W3C traceparent, as nginx sends it) through the dispatch
 * queue's workers to the provider calls: every SMS, call and email request the sandbox accepted came with that trace
 * id, from a span of the service (not the caller's).
 */
class AlertTracingTest extends AlertServiceTestBase {

    @BeforeEach
    void reset() {
        sandbox().reset(Map.of());
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void theCreatingRequestsTraceReachesEveryProviderCall() {
        String traceId = hex(16);
        String parent = hex(8);
        List<String> rs = IntStream.range(0, 6).mapToObj(i -> AlertFlowTest.recipient("tr" + i, "Tia " + i,
                "tia" + i + "@example.org", "+1202555" + (4100 + i), null)).toList();
        HttpResponse<String> r = send("POST", "/api/alerts/v1/alerts",
                AlertFlowTest.alertJson("north", List.of("email", "sms", "voice"), rs),
                Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json",
                        "traceparent", "00-" + traceId + "-" + parent + "-01"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        awaitFinished(json(r).path("id").asString(), Duration.ofSeconds(30));

        for (String channel : List.of("sms", "voice", "email")) {
            JsonNode truth = sandbox().truth(channel);
            assertThat(truth.size()).as(channel).isEqualTo(rs.size());
            truth.properties().forEach(e -> {
                String tp = e.getValue().path("traceparent").asString(null);
                assertThat(tp).as("the %s request to %s carries the trace", channel, e.getKey()).isNotNull();
                String[] parts = tp.split("-");
                assertThat(parts).hasSize(4);
                assertThat(parts[1]).as("trace id of the %s request", channel).isEqualTo(traceId);
                assertThat(parts[2]).as("a span of the service, not the caller's").isNotEqualTo(parent);
            });
        }
    }
}
