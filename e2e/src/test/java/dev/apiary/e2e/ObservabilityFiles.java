package dev.apiary.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/** What deploy/observability/ (the alert rules and the Grafana dashboard) ask of the services' metrics. */
final class ObservabilityFiles {
    static final Path DIR = Suite.root().resolve("deploy/observability");
    static final Path RULES = DIR.resolve("apiary-rules.yml");
    static final Path RULES_TEST = DIR.resolve("apiary-rules.test.yml");
    static final Path DASHBOARD = DIR.resolve("apiary-dashboard.json");
    static final Path PROMETHEUS = DIR.resolve("prometheus.yml");
    /** Series Prometheus makes itself (not in any scrape). */
    static final Set<String> PROMETHEUS_OWN = Set.of("up");

    /** A metric name: every one the files use has one of these prefixes (label values never have "_" after them). */
    private static final Pattern METRIC = Pattern.compile(
            "(?<![A-Za-z0-9_.:{\"])((?:apiary|http_server|cache|gradebook|jvm|process)_[a-z0-9_]+|up)(?![A-Za-z0-9_(])");
    private static final Pattern RULE_EXPR = Pattern.compile("(?ms)^\\s+expr: (?:>-\\s*\\n)?(.*?)(?=^\\s+for:)");

    private ObservabilityFiles() {
    }

    /** The PromQL of every panel target of the dashboard. */
    static List<String> dashboardExpressions() {
        JsonNode dash = Suite.JSON.readTree(read(DASHBOARD));
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dash.get("panels")) {
            JsonNode targets = panel.get("targets");
            if (targets == null) continue;
            for (JsonNode t : targets) out.add(t.get("expr").asString());
        }
        return out;
    }

    /** The PromQL of every alert rule. */
    static List<String> ruleExpressions() {
        List<String> out = new ArrayList<>();
        Matcher m = RULE_EXPR.matcher(read(RULES));
        while (m.find()) out.add(m.group(1).trim());
        return out;
    }

    /** Every metric name the rules and the dashboard use. */
    static Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        List<String> all = new ArrayList<>(ruleExpressions());
        all.addAll(dashboardExpressions());
        for (String expr : all) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) names.add(m.group(1));
        }
        return names;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
