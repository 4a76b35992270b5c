package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

/**
 * deploy/observability/: promtool accepts the alert rules and their unit tests pass (each rule fires when it should
 * and not before), the example scrape config is valid, and the dashboard is a Grafana dashboard whose panels all
 * query Prometheus. ObservabilityIT checks the metric names against real scrapes.
 */
class ObservabilityFilesTest {

    @TempDir
    Path tmp;

    private static Shell promtool(String... args) {
        assertThat(Shell.available("promtool")).as("promtool (Debian package prometheus; ./apiary test installs it)")
                .isTrue();
        List<String> cmd = new java.util.ArrayList<>(List.of("promtool"));
        cmd.addAll(List.of(args));
        return Shell.run(cmd, Map.of());
    }

    @Test
    void theRulesAreValidAndTheirUnitTestsPass() {
        Shell check = promtool("check", "rules", ObservabilityFiles.RULES.toString());
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 6 rules found");
        Shell test = promtool("test", "rules", ObservabilityFiles.RULES_TEST.toString());
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
        // every rule has a unit test of its own
        String tests = ObservabilityFiles.read(ObservabilityFiles.RULES_TEST);
        for (String alert : List.of("ApiaryDeadLetters", "ApiaryQueueStuck", "ApiaryAlertNotFinished", "ApiaryRedisDown",
                "ApiaryServiceDown", "ApiaryHigh5xxRate")) {
            assertThat(tests).contains("alertname: " + alert);
        }
    }

    @Test
    void theExampleScrapeConfigIsValid() throws Exception {
        // the credentials file it names is the deployment's: a stand-in here
        Path key = Files.writeString(tmp.resolve("apiary-admin-key"), "an-admin-key");
        Files.copy(ObservabilityFiles.RULES, tmp.resolve("apiary-rules.yml"));
        String conf = ObservabilityFiles.read(ObservabilityFiles.PROMETHEUS);
        assertThat(conf).contains("metrics_path: /actuator/prometheus").contains("credentials_file:");
        Path copy = Files.writeString(tmp.resolve("prometheus.yml"),
                conf.replace("/etc/prometheus/apiary-admin-key", key.toString()));
        Shell check = promtool("check", "config", copy.toString());
        assertThat(check.exit()).as(check.output()).isZero();
    }

    @Test
    void theDashboardQueriesPrometheusInEveryPanel() {
        JsonNode dash = Suite.JSON.readTree(ObservabilityFiles.read(ObservabilityFiles.DASHBOARD));
        assertThat(dash.get("uid").asString()).isEqualTo("apiary-overview");
        int panels = 0;
        for (JsonNode p : dash.get("panels")) {
            if (p.get("type").asString().equals("row")) continue;
            panels++;
            assertThat(p.get("datasource").get("type").asString()).isEqualTo("prometheus");
            assertThat(p.get("targets")).as(p.get("title").asString()).isNotEmpty();
        }
        assertThat(panels).isGreaterThanOrEqualTo(20);
        assertThat(ObservabilityFiles.dashboardExpressions()).hasSize(dash.findValues("expr").size());
    }

    @Test
    void theMetricNamesAreFoundInTheFiles() {
        // the extraction the IT relies on: names, never label values, functions or keywords
        assertThat(ObservabilityFiles.metricNames()).contains("apiary_queue_dead_letters", "apiary_queue_lease_seconds",
                "apiary_alert_oldest_active_age_seconds", "apiary_redis_up", "up", "http_server_requests_seconds_count",
                "cache_gets_total", "apiary_gradebook_event_apply_lag_seconds_max")
                .allSatisfy(n -> assertThat(n).matches("[a-z_]+[a-z0-9_]*").isNotIn("by", "rate", "sum", "max", "and"));
        assertThat(ObservabilityFiles.ruleExpressions()).hasSize(6);
    }
}
