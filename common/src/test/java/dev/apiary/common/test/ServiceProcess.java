package dev.apiary.common.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A service as a real child process (its own JVM, the test class path) on the shared test Redis, so a test can kill
 * it with SIGKILL. It uses a Redis database of its own, so the Spring test contexts of the test JVM (same Redis, same
 * stream names) do not consume its queues. Its output goes to {@code target/<name>.log}.
 */
public final class ServiceProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final String name;
    public final int port;
    public final Process process;

    private ServiceProcess(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts {@code mainClass} on a free port and waits until {@code /actuator/health} answers 200.
     *
     * @param upWithin how long the start may take (a Spring Boot start on a loaded 2-core machine has taken minutes)
     * @param args     the service's own arguments, given its port ({@code --name=value})
     * @param settings more settings, {@code name=value} each
     */
    public static ServiceProcess start(String name, String mainClass, int database, Duration upWithin,
                                       IntFunction<List<String>> args, String... settings) throws IOException {
        int port = RedisProcess.freePort();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        RedisTestServer redis = RedisTestServer.shared();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", cp, mainClass,
                "--server.port=" + port,
                "--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port(),
                "--spring.data.redis.database=" + database));
        cmd.addAll(args.apply(port));
        for (String s : settings) {
            cmd.add("--" + s);
        }
        String log = "target/" + name + ".log";
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File(log)).start();
        ServiceProcess sp = new ServiceProcess(name, port, p);
        try {
            Await.until(upWithin, "instance " + name + " up", () -> {
                assertThat(p.isAlive()).as("instance " + name + " alive (see " + log + ")").isTrue();
                return sp.healthy();
            });
        } catch (RuntimeException | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
        return sp;
    }

    private boolean healthy() {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            return HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: no graceful release of anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(137);
    }
}
