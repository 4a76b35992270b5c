package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metrics and traces of the running suite: every metric the dashboard and the alert rules name is in a real scrape
 * of the services; HTTP metrics carry route templates, never ids; nginx passes a caller's traceparent or starts a
 * trace, and the service logs its trace id.
 */
class ObservabilityIT {
    static final String ADMIN_KEY = "dev-ops-key";
    private static final Pattern URI_LABEL = Pattern.compile("uri=\"([^\"]*)\"");
    static Suite suite;

    @BeforeAll
    static void up() {
        suite = Suite.get();
    }

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** An alert to one guardian by SMS and email (its deliveries make the delivery counters appear). */
    private Suite.Response sendAlert(String... headers) {
        Map<String, Object> recipient = Suite.obj("id", "obs-" + hex(4), "name", "Obs Guardian",
                "email", "obs.guardian@example.org", "phone", "+15415550123", "language", "en");
        Map<String, Object> body = Suite.obj("school_id", "lakeview", "subject", "Observability check",
                "text", "A test of metrics and traces. (e2e)", "channels", List.of("email", "sms"),
                "recipients", List.of(recipient));
        String[] all = new String[headers.length + 2];
        all[0] = "Idempotency-Key";
        all[1] = UUID.randomUUID().toString();
        System.arraycopy(headers, 0, all, 2, headers.length);
        Suite.Response r = suite.post("/api/alerts/v1/alerts", suite.apiKey(), body, all);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r;
    }

    /** The metric names in a scrape of every instance of the three services. */
    private Set<String> scrapedNames() {
        Set<String> names = new TreeSet<>();
        for (String service : List.of("pdf", "alert", "gradebook")) {
            for (int i = 1; i <= suite.instancePorts(service).size(); i++) {
                Suite.Response r = suite.get(suite.instanceUrl(service, i) + "/actuator/prometheus", ADMIN_KEY);
                assertThat(r.status()).as(service + "-" + i + " scrape").isEqualTo(200);
                r.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                        .map(l -> l.split("[{ ]", 2)[0]).forEach(names::add);
            }
        }
        return names;
    }

    @Test
    void everyMetricTheDashboardAndTheRulesNameIsInARealScrape() {
        Set<String> needed = new TreeSet<>(ObservabilityFiles.metricNames());
        needed.removeAll(ObservabilityFiles.PROMETHEUS_OWN);
        assertThat(needed).hasSizeGreaterThan(25);
        sendAlert();
        Suite.await(Duration.ofSeconds(60), "every metric of deploy/observability in a scrape", () -> {
            Set<String> missing = new TreeSet<>(needed);
            missing.removeAll(scrapedNames());
            if (!missing.isEmpty()) System.out.println("not scraped yet: " + missing);
            return missing.isEmpty();
        });
    }

    @Test
    void httpServerMetricsCarryRouteTemplatesNeverIds() {
        String id = sendAlert().json().get("id").asString();
        assertThat(suite.get("/api/alerts/v1/alerts/" + id, suite.apiKey()).status()).isEqualTo(200);
        assertThat(suite.get("/api/alerts/v1/alerts/" + id + "-unknown", suite.apiKey()).status()).isEqualTo(404);
        Suite.Response r = suite.get(suite.instanceUrl("alert", 1) + "/actuator/prometheus", ADMIN_KEY);
        Set<String> uris = new TreeSet<>();
        r.body().lines().filter(l -> l.startsWith("http_server_requests_seconds_count{")).forEach(l -> {
            Matcher m = URI_LABEL.matcher(l);
            if (m.find()) uris.add(m.group(1));
        });
        assertThat(uris).contains("/api/alerts/v1/alerts", "/api/alerts/v1/alerts/{id}")
                .allSatisfy(u -> assertThat(u).doesNotContain(id));
    }

    @Test
    void nginxPassesTheCallersTraceparentOrStartsOneAndTheServiceLogsItsTraceId() {
        String traceId = hex(16);
        String given = sendAlert("traceparent", "00-" + traceId + "-" + hex(8) + "-01").json().get("id").asString();
        // no traceparent and no X-Request-Id: nginx's $request_id is both the request id and the trace id
        Suite.Response started = sendAlert();
        String startedId = started.json().get("id").asString();
        String requestId = started.header("X-Request-Id");
        assertThat(requestId).matches("[0-9a-f]{32}");
        // a malformed traceparent is replaced, not passed on
        Suite.Response garbage = sendAlert("traceparent", "00-NOT-A-TRACE-01");
        String garbageId = garbage.json().get("id").asString();
        String garbageRequestId = garbage.header("X-Request-Id");
        Suite.await(Duration.ofSeconds(20), "the creations logged", () -> {
            String log = suite.log("alert-1", 400);
            return log.contains("alert " + given + " ") && log.contains("alert " + startedId + " ")
                    && log.contains("alert " + garbageId + " ");
        });
        String log = suite.log("alert-1", 400);
        assertThat(line(log, "alert " + given + " ")).contains("trace=" + traceId);
        assertThat(line(log, "alert " + startedId + " ")).contains("trace=" + requestId);
        assertThat(line(log, "alert " + garbageId + " ")).contains("trace=" + garbageRequestId);
    }

    /** The first log line with {@code containing} (the creation's, logged while the request is handled). */
    private static String line(String log, String containing) {
        return log.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no log line with '" + containing + "'"));
    }
}
