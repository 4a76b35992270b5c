package dev.apiary.pdf.report;

import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;
import dev.apiary.pdf.support.Http;
import dev.apiary.pdf.support.PdfText;
import dev.apiary.pdf.support.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash recovery with real processes: instance A (the service in its own JVM) is killed with SIGKILL in the middle
 * of a job; instance B, started afterwards on the same Redis and data directory, reclaims the unfinished part
 * after the lease and completes the job, with exact progress and every student in the file.
 */
class KillRecoveryTest {
    static final int STUDENTS = 400;

    @TempDir
    Path data;
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    Process start(String name, int port) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        RedisTestServer redis = RedisTestServer.shared();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", cp, "dev.apiary.pdf.PdfApplication",
                "--server.port=" + port,
                "--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port(),
                // a database of their own: a Spring test context of another test class in this JVM (same Redis,
                // same stream names) must not consume their queue
                "--spring.data.redis.database=7",
                "--apiary.pdf.data-dir=" + data,
                "--apiary.pdf.lease=2s", "--apiary.pdf.chunk-size=40", "--apiary.pdf.workers=1",
                "--apiary.pdf.chunks-in-flight=1", "--apiary.pdf.warmup=false");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(new File("target/kill-recovery-" + name + ".log")).start();
        processes.add(p);
        Http http = new Http(port);
        Await.until(Duration.ofSeconds(90), "instance " + name + " up", () -> {
            assertThat(p.isAlive()).as("instance " + name + " alive").isTrue();
            return http.send(http.req("/actuator/health")).statusCode() == 200;
        });
        return p;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aJobOfAKilledInstanceIsCompletedByAnother() throws Exception {
        int portA = freePort();
        Process a = start("A", portA);
        Http httpA = new Http(portA);
        HttpResponse<String> r = httpA.submit(TestData.bytes(TestData.request("report_card", STUDENTS)), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Http.json(r).get("id").asString();
        Await.until(Duration.ofSeconds(60), "A rendering", () -> httpA.status(id).get("students_done").asInt() >= 10);

        a.destroyForcibly();   // SIGKILL: no graceful release of its queue entry
        assertThat(a.waitFor(Duration.ofSeconds(10))).isTrue();
        assertThat(a.exitValue()).isEqualTo(137);

        int portB = freePort();
        start("B", portB);
        Http httpB = new Http(portB);
        assertThat(httpB.status(id).get("state").asString()).isEqualTo("rendering");
        Await.until(Duration.ofSeconds(90), "B completes the job", () -> "done".equals(httpB.status(id).get("state").asString()));
        JsonNode st = httpB.status(id);
        assertThat(st.get("students_done").asInt()).isEqualTo(STUDENTS);
        assertThat(st.get("pages").asInt()).isEqualTo(STUDENTS);
        HttpResponse<byte[]> file = httpB.bytes(httpB.req("/api/pdf/v1/reports/" + id + "/file"));
        assertThat(file.statusCode()).isEqualTo(200);
        List<String> pages = PdfText.pages(file.body());
        assertThat(pages).hasSize(STUDENTS);
        for (int i = 0; i < STUDENTS; i++) {
            assertThat(pages.get(i)).contains(TestData.name(i));
        }
    }
}
