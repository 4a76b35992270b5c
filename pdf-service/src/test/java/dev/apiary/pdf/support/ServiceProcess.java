package dev.apiary.pdf.support;

import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** pdf-service as a real child process (its own JVM) on the test Redis, so a test can kill it with SIGKILL. */
public final class ServiceProcess {
    public final String name;
    public final int port;
    public final Process process;
    public final Http http;

    private ServiceProcess(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.http = new Http(port);
    }

    /**
     * Starts an instance and waits until it is healthy. {@code database}: a Redis database of its own, so that the
     * Spring test contexts of the test JVM (same Redis, same stream names) do not consume its queues.
     */
    public static ServiceProcess start(String name, int database, Path data, String... settings) throws IOException {
        int port = freePort();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        RedisTestServer redis = RedisTestServer.shared();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", cp, "dev.apiary.pdf.PdfApplication",
                "--server.port=" + port,
                "--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port(),
                "--spring.data.redis.database=" + database,
                "--apiary.pdf.data-dir=" + data, "--apiary.pdf.warmup=false"));
        for (String s : settings) {
            cmd.add("--" + s);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(new File("target/service-" + name + ".log")).start();
        ServiceProcess sp = new ServiceProcess(name, port, p);
        Await.until(Duration.ofSeconds(90), "instance " + name + " up", () -> {
            assertThat(p.isAlive()).as("instance " + name + " alive (see target/service-" + name + ".log)").isTrue();
            try {
                return sp.http.send(sp.http.req("/actuator/health")).statusCode() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
        return sp;
    }

    /** SIGKILL: no graceful release of anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(137);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
