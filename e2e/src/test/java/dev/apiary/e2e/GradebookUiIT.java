package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The gradebook UI in a real browser (issue 6): e2e/ui/gradebook.test.mjs drives Debian's chromium with playwright-core
 * through nginx against the running suite (two gradebook-service instances, the legacy stand-in, Redis). Each of its
 * tests is reported here as one JUnit test; screenshots and the browser run's log are in e2e/target/ui-artifacts.
 */
@Order(60)
class GradebookUiIT {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static Suite suite;
    static Path uiDir;
    static Path artifacts;

    @BeforeAll
    static void up() throws IOException {
        suite = Suite.get();
        uiDir = Suite.root().resolve("e2e/ui");
        artifacts = Suite.root().resolve("e2e/target/ui-artifacts");
        Files.createDirectories(artifacts);
        assertThat(CHROMIUM).as("chromium (apt-get install chromium; ./apiary test installs it)").isExecutable();
        Suite.Response section = suite.get("/api/gradebook/v1/sections/104", suite.apiKey());
        assertThat(section.status()).as(section.toString()).isEqualTo(200);
        Suite.Response page = suite.get("/gradebook/sections/104", null);
        assertThat(page.status()).as("the UI at /gradebook/sections/{id}: " + page).isEqualTo(200);
    }

    @TestFactory
    Stream<DynamicTest> gradebookInChromium() throws Exception {
        Path log = artifacts.resolve("gradebook-ui-node.log");
        Path report = artifacts.resolve("gradebook-ui-junit.xml");
        Files.deleteIfExists(report);
        Files.writeString(log, "");

        run(log, Duration.ofMinutes(3), Map.of(), "npm", "ci", "--no-audit", "--no-fund");
        int exit = run(log, Duration.ofMinutes(4), Map.of(
                        "APIARY_BASE_URL", suite.baseUrl(),
                        "APIARY_LEGACY_URL", suite.legacyUrl(),
                        "APIARY_API_KEY", suite.apiKey(),
                        "GRADEBOOK_UI_ARTIFACTS", artifacts.toString(),
                        "NO_COLOR", "1",
                        "CHROMIUM", CHROMIUM.toString()),
                "node", "--test", "--test-reporter=spec", "--test-reporter-destination=stdout",
                "--test-reporter=junit", "--test-reporter-destination=" + report, "gradebook.test.mjs");

        String output = Suite.tail(log, 80);
        System.out.println(Files.readString(log));
        if (!Files.exists(report)) {
            return Stream.of(DynamicTest.dynamicTest("browser run", () -> {
                throw new AssertionError("the browser tests produced no report (exit " + exit + "):\n" + output);
            }));
        }
        List<DynamicTest> tests = new ArrayList<>();
        // node writes failure messages verbatim: drop control characters (colour codes) XML does not allow
        String xml = Files.readString(report).replaceAll("\\x1b\\[[0-9;]*m", "").replaceAll("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]", "");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(xml)));
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            String name = c.getAttribute("name");
            NodeList failures = c.getElementsByTagName("failure");
            boolean skipped = c.getElementsByTagName("skipped").getLength() > 0;
            String failure = failures.getLength() > 0 ? failures.item(0).getTextContent() : null;
            tests.add(DynamicTest.dynamicTest(name, () -> {
                if (skipped) throw new AssertionError(name + " was skipped in the browser run (a skip hides a regression)");
                if (failure != null) throw new AssertionError(name + " failed:\n" + failure.strip());
            }));
        }
        int cases0 = cases.getLength();
        tests.add(DynamicTest.dynamicTest("the browser run as a whole", () -> {
            assertThat(cases0).as("browser tests run").isGreaterThanOrEqualTo(5);
            assertThat(exit).as("node --test exit code; log:\n" + output).isZero();
            assertThat(artifacts.resolve("gradebook-section.png")).as("screenshot artifact").isNotEmptyFile();
        }));
        return tests.stream();
    }

    /** Runs a command in e2e/ui, appending its output to log; fails on timeout. */
    static int run(Path log, Duration timeout, Map<String, String> env, String... command) throws IOException, InterruptedException {
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command).directory(uiDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout + ":\n" + Suite.tail(log, 60));
        }
        if (command[0].equals("npm") && p.exitValue() != 0) {
            throw new AssertionError("npm ci in e2e/ui failed:\n" + Suite.tail(log, 40));
        }
        return p.exitValue();
    }
}
