package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two pdf-service instances behind nginx; kill -9 the busy one in the middle of a job: the job still completes
 * (the other instance reclaims the dead one's work after its lease) and the file is whole. Runs last: it leaves
 * one pdf-service instance dead.
 */
@Order(Integer.MAX_VALUE)   // after every class, @Order or not (the default order is MAX_VALUE / 2)
class PdfFailoverIT {
    static Suite suite;

    @BeforeAll
    static void up() {
        suite = Suite.get();
    }

    /** CPU ticks (user + system) a process has used, from /proc. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void killNineMidJobAndTheJobCompletes() throws Exception {
        assertThat(suite.alive("pdf-1") && suite.alive("pdf-2")).as("two pdf-service instances running").isTrue();
        JsonNode job = PdfReportIT.submitGrade7(10);
        String id = job.get("id").asString();
        int total = job.get("students_total").asInt();

        // wait until rendering has visibly started, then find the instance doing the work (CPU over 400 ms)
        Suite.await(Duration.ofMinutes(2), "job " + id + " rendering", () -> {
            JsonNode s = suite.get("/api/pdf/v1/reports/" + id, suite.apiKey()).json();
            return "rendering".equals(s.path("state").asString()) && s.path("students_done").asInt() > 0;
        });
        long a0 = cpuTicks(suite.pid("pdf-1")), b0 = cpuTicks(suite.pid("pdf-2"));
        Thread.sleep(400);
        long a = cpuTicks(suite.pid("pdf-1")) - a0, b = cpuTicks(suite.pid("pdf-2")) - b0;
        String victim = a >= b ? "pdf-1" : "pdf-2";
        JsonNode before = suite.get("/api/pdf/v1/reports/" + id, suite.apiKey()).json();
        assertThat(before.get("state").asString()).as("still running when killed: " + before).isEqualTo("rendering");
        suite.kill9(victim);

        JsonNode done = Suite.awaitValue(Duration.ofMinutes(4), "job " + id + " done after kill -9 of " + victim, () -> {
            JsonNode s = suite.get("/api/pdf/v1/reports/" + id, suite.apiKey()).json();
            return List.of("done", "failed", "canceled").contains(s.path("state").asString()) ? s : null;
        });
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("done");
        assertThat(done.get("students_done").asInt()).isEqualTo(total);

        Path pdf = PdfReportIT.download(id, Files.createTempFile("failover-", ".pdf"));
        assertThat(Pdf.pages(pdf)).isEqualTo(done.get("pages").asInt()).isGreaterThanOrEqualTo(total);
        String text = Pdf.text(pdf);
        String firstName = suite.get("/api/v1/sections/101/gradebook", null).json().get("students").get(0).get("name").asString();
        // every copy of the grade is in the file once: the name occurs `copies` times at least
        int count = text.split(java.util.regex.Pattern.quote(firstName), -1).length - 1;
        assertThat(count).as("occurrences of " + firstName).isGreaterThanOrEqualTo(10);
        Files.deleteIfExists(pdf);
    }
}
