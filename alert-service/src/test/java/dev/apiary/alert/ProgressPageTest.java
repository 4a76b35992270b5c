package dev.apiary.alert;

import static dev.apiary.alert.AlertFlowTest.alertJson;
import static dev.apiary.alert.AlertFlowTest.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.apiary.alert.support.AlertServiceTestBase;
import tools.jackson.databind.JsonNode;

/**
 * The live progress page, fed by the SSE stream, in Debian's chromium driven by playwright-core — the browser tool
 * of the e2e tests ({@code e2e/ui/alert-progress.mjs}): it waits until the page says the alert is complete and
 * reports what the page shows.
 */
class ProgressPageTest extends AlertServiceTestBase {
    private static final Path UI = Path.of("..", "e2e", "ui").toAbsolutePath().normalize();
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @BeforeEach
    void reset() {
        sandbox().reset(Map.of("latency_ms", 40));
    }

    @Test
    void pageShowsBarsCountsAndWhoWasNotReached() throws Exception {
        assertThat(CHROMIUM).as("chromium is installed (apt-get install chromium)").isExecutable();
        List<String> rs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rs.add(recipient("ok" + i, "Guardian " + i, "ok" + i + "@example.org", "+1202557" + String.format("%04d", i), null));
        }
        rs.add(recipient("bad1", "Zoë <b>Bold</b>", "bounce.z@example.org", "+12025559904", null));
        rs.add(recipient("bad2", "Yann", null, "+12025559901", "es-MX"));
        String body = alertJson("east", List.of("email", "sms"), rs).trim();
        body = body.substring(0, body.length() - 1) + """
                , "translations": {"es": {"subject": "Escuela cerrada", "text": "Hoy no hay clases."}}}""";
        JsonNode created = json(api("POST", "/api/alerts/v1/alerts", body));
        String id = created.path("id").asString();
        String pageUrl = base() + created.path("page_url").asString();

        JsonNode page = JSON.readTree(browse(pageUrl));
        JsonNode sms = page.path("sms");
        assertThat(sms.path("total").asString()).isEqualTo("42");
        assertThat(sms.path("finished").asString()).isEqualTo("42");
        assertThat(sms.path("reached").asString()).isEqualTo("40");
        assertThat(sms.path("width").asString()).isEqualTo("95.2%");
        assertThat(sms.path("counts").asString()).contains("delivered: 40").contains("undelivered: 1").contains("failed: 1");
        assertThat(page.path("email").path("reached").asString()).isEqualTo("40");
        List<String> lines = new ArrayList<>();
        page.path("unreached").forEach(r -> lines.add(r.asString()));
        assertThat(lines).containsExactlyInAnyOrder(
                "bad1|Zoë <b>Bold</b>|email|en|mailgun bounce 550",
                "bad1|Zoë <b>Bold</b>|sms|en|twilio 30003 undelivered",
                "bad2|Yann|sms|es|twilio 21211 invalid_number",
                "bad2|Yann|email||no_email");
        assertThat(sms.path("languages").asString()).isEqualTo("Languages: en: 41, es: 1");
        assertThat(page.path("unreachedCount").asString()).isEqualTo("4");
        assertThat(page.path("state").asString()).isEqualTo("done");
        // the name was shown as text, never parsed as HTML
        assertThat(page.path("boldInTable").asInt()).isZero();

        // without a valid view token the page and its stream are refused
        assertThat(send("GET", "/alerts/" + id + "?t=forged", null, Map.of()).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/alerts/" + id + "/events?t=forged", null, Map.of()).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/alerts/" + id + "/not-reached", null, Map.of()).statusCode()).isEqualTo(403);
    }

    /** Runs e2e/ui/alert-progress.mjs on the page (after {@code npm ci} there): its one line of JSON. */
    private static String browse(String pageUrl) throws IOException, InterruptedException {
        Path log = Files.createTempFile("progress-page", ".log");
        try {
            run(log, 240, Map.of(), "npm", "ci", "--no-audit", "--no-fund");
            Path out = Files.createTempFile("progress-page", ".json");
            try {
                int exit = run(out, 120, Map.of("PAGE_URL", pageUrl, "CHROMIUM", CHROMIUM.toString(), "NO_COLOR", "1"),
                        "node", "alert-progress.mjs");
                String text = Files.readString(out);
                assertThat(exit).as("node alert-progress.mjs:\n" + text).isZero();
                return text.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(
                        () -> new AssertionError("no JSON from the browser run:\n" + text));
            } finally {
                Files.deleteIfExists(out);
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static int run(Path output, int seconds, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(UI.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s:\n"
                    + Files.readString(output));
        }
        if (command[0].equals("npm")) {
            assertThat(p.exitValue()).as("npm ci in e2e/ui:\n" + Files.readString(output)).isZero();
        }
        return p.exitValue();
    }
}
