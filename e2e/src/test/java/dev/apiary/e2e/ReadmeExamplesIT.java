package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every {@code bash suite} example of the READMEs against the running suite, as a reader would after
 * {@code ./apiary up}: each block in bash with {@code set -euo pipefail}, curl failing on HTTP errors (and showing
 * the body), in an empty directory. A block passes when it exits 0 and printed something.
 */
@Order(70)
class ReadmeExamplesIT {
    static Suite suite;

    @TempDir
    static Path work;

    @BeforeAll
    static void up() {
        suite = Suite.get();
    }

    @AfterAll
    static void resetTheDemoData() {
        if (suite != null) suite.post("/demo/reset", null, "");   // the examples write scores
    }

    /**
     * What the examples may use: the suite's address and key, as the README defines them for `./apiary up`. Keep in
     * step with the README's "S=... KEY=..." line when the way to call the suite changes.
     */
    static Map<String, String> exampleVariables() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("S", suite.baseUrl());
        env.put("KEY", suite.apiKey());
        return env;
    }

    static final String PRELUDE = """
            set -euo pipefail
            curl() { command curl --fail-with-body --show-error --max-time 120 "$@"; }
            """;

    @TestFactory
    Stream<DynamicTest> everyMarkedExampleRuns() throws IOException {
        List<ReadmeExamples.Block> examples = ReadmeExamples.all().stream()
                .filter(ReadmeExamples.Block::runsAgainstTheSuite).toList();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
        return examples.stream().map(b -> DynamicTest.dynamicTest(b.where(), () -> run(b)));
    }

    static void run(ReadmeExamples.Block b) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(work, "example");
        Path script = dir.resolve("example.sh");
        Files.writeString(script, PRELUDE + b.code());
        Path log = dir.resolve("output.txt");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(exampleVariables());
        Process p = pb.start();
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("== " + b.where() + "\n" + output);
        assertThat(ended).as(b.where() + " did not finish in 180 s:\n" + output).isTrue();
        assertThat(p.exitValue()).as(b.where() + " exit code; output:\n" + output).isZero();
        assertThat(output).as(b.where() + " printed nothing").isNotBlank();
    }
}
