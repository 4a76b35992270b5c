package dev.apiary.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command in the repository root; output and exit code for assertions. */
record Shell(int exit, String output) {
    static Shell run(List<String> cmd, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(Suite.root().toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Shell(-1, "timeout: " + new String(out, StandardCharsets.UTF_8));
            }
            return new Shell(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Shell(-2, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Shell(-3, e.toString());
        }
    }

    static boolean available(String command) {
        return run(List.of("sh", "-c", "command -v " + command), Map.of()).exit() == 0;
    }

    static Path root() {
        return Suite.root();
    }
}
