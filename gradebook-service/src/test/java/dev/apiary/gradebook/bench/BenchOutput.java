package dev.apiary.gradebook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Where the *Bench classes (run on purpose by bench/gradebook/*.sh, never by a plain `mvn test`) write results. */
final class BenchOutput {
    private BenchOutput() {}

    static void write(String name, String text) {
        String header = "date: " + Instant.now() + "\nmachine: " + Runtime.getRuntime().availableProcessors()
                + " cores, max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB, java "
                + System.getProperty("java.version") + "\n";
        System.out.println(header + text);
        try {
            Path dir = Path.of(System.getProperty("bench.out", "target/bench"));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".txt"), header + text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
