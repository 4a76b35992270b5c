package dev.apiary.pdf.report;

import dev.apiary.common.test.Await;
import dev.apiary.pdf.support.Http;
import dev.apiary.pdf.support.PdfText;
import dev.apiary.pdf.support.PdfProcess;
import dev.apiary.pdf.support.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

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
    static final String[] SETTINGS = {"apiary.pdf.lease=2s", "apiary.pdf.chunk-size=40", "apiary.pdf.workers=1",
            "apiary.pdf.chunks-in-flight=1"};

    @TempDir
    Path data;
    final List<PdfProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(p -> p.service.process.destroyForcibly());
    }

    PdfProcess start(String name) throws Exception {
        PdfProcess p = PdfProcess.start("kill-recovery-" + name, 7, data, SETTINGS);
        processes.add(p);
        return p;
    }

    @Test
    void aJobOfAKilledInstanceIsCompletedByAnother() throws Exception {
        PdfProcess a = start("A");
        Http httpA = a.http;
        HttpResponse<String> r = httpA.submit(TestData.bytes(TestData.request("report_card", STUDENTS)), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Http.json(r).get("id").asString();
        Await.until(Duration.ofSeconds(60), "A rendering", () -> httpA.status(id).get("students_done").asInt() >= 10);

        a.kill();

        Http httpB = start("B").http;
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
