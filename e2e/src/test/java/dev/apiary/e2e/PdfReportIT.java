package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Report cards for Grade 7 (300 students) submitted by the legacy app through nginx; followed over SSE to done;
 * downloaded through nginx (X-Accel-Redirect); page count and every student's name checked in the PDF.
 */
@Order(10)
class PdfReportIT {
    static Suite suite;

    @BeforeAll
    static void up() {
        suite = Suite.get();
    }

    static Set<String> grade7Names() {
        Set<String> names = new LinkedHashSet<>();
        for (int id = 101; id <= 108; id++) {
            for (JsonNode s : Suite.list(suite.get("/api/v1/sections/" + id + "/gradebook", null).json().get("students"))) {
                names.add(s.get("name").asString());
            }
        }
        return names;
    }

    static JsonNode submitGrade7(int copies) {
        Suite.Response r = suite.post("/report-cards?grade=7&copies=" + copies, null, "",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        JsonNode job = r.json();
        assertThat(job.get("id").asString()).isNotBlank();
        assertThat(job.get("students_total").asInt()).isEqualTo(300 * copies);
        return job;
    }

    static Path download(String id, Path to) throws Exception {
        HttpResponse<java.io.InputStream> file = suite.stream("/api/pdf/v1/reports/" + id + "/file", suite.apiKey());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
        try (var in = file.body()) {
            Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return to;
    }

    @Test
    void grade7ReportCardsEndToEnd() throws Exception {
        Set<String> names = grade7Names();
        assertThat(names).hasSizeGreaterThan(250);
        JsonNode job = submitGrade7(1);
        String id = job.get("id").asString();

        JsonNode done;
        try (Sse sse = Sse.open(suite, "/api/pdf/v1/reports/" + id + "/events", suite.apiKey())) {
            assertThat(sse.contentType()).startsWith("text/event-stream");
            done = sse.await(Duration.ofMinutes(3), "report " + id + " done",
                    e -> List.of("done", "failed", "canceled").contains(e.path("state").asString())).json();
            assertThat(sse.awaitEnd(Duration.ofSeconds(10))).as("stream closes on a final state").isTrue();
        }
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("done");
        assertThat(done.get("students_done").asInt()).isEqualTo(300);

        JsonNode status = suite.get("/api/pdf/v1/reports/" + id, suite.apiKey()).json();
        assertThat(status.get("state").asString()).isEqualTo("done");
        int pages = status.get("pages").asInt();
        assertThat(pages).isGreaterThanOrEqualTo(300);

        // through nginx the file is streamed by nginx itself (X-Accel-Redirect to its internal /_files/pdf/): nginx's
        // static file handler answers with its ETag ("<mtime hex>-<size hex>") and Last-Modified, the service does not
        Suite.Response head = suite.get("/api/pdf/v1/reports/" + id + "/file", suite.apiKey(), "Range", "bytes=0-7");
        assertThat(head.status()).as("ranged download").isEqualTo(206);
        assertThat(head.body()).startsWith("%PDF-");
        assertThat(head.header("ETag")).as("served by nginx from the data dir")
                .matches("\"[0-9a-f]+-" + Long.toHexString(status.get("bytes").asLong()) + "\"");
        assertThat(head.header("Last-Modified")).isNotNull();
        assertThat(head.header("Content-Disposition")).contains("attachment").contains(".pdf");
        assertThat(head.header("X-Accel-Redirect")).as("internal header not leaked").isNull();
        // the internal location cannot be reached from outside
        assertThat(suite.get("/_files/pdf/", null).status()).isEqualTo(404);

        Path pdf = download(id, Files.createTempFile("grade7-", ".pdf"));
        assertThat(Files.size(pdf)).isEqualTo(status.get("bytes").asLong());
        assertThat(Pdf.pages(pdf)).isEqualTo(pages);
        String text = Pdf.text(pdf);
        List<String> missing = names.stream().filter(n -> !text.contains(n)).toList();
        assertThat(missing).as("student names missing from the PDF").isEmpty();

        // the legacy page's download path (legacy app -> nginx -> pdf-service) gives the same file
        HttpResponse<byte[]> viaLegacy = suite.http().send(
                suite.builder("/report-cards/" + id + "/file", null).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(viaLegacy.statusCode()).isEqualTo(200);
        assertThat(viaLegacy.body()).isEqualTo(Files.readAllBytes(pdf));
        Files.deleteIfExists(pdf);
    }

    @Test
    void progressArrivesUnbufferedThroughNginxAndTheLegacyPage() throws Exception {
        // On a quiet machine 3,000 students render in about a second, and a job that is over before the streams
        // connect proves nothing: then the job is made larger and the check runs again.
        for (int copies : new int[] {10, 30, 60}) {
            JsonNode job = submitGrade7(copies);
            String id = job.get("id").asString();
            try (Sse page = Sse.open(suite, "/report-cards/" + id + "/events", null);
                 Sse direct = Sse.open(suite, "/api/pdf/v1/reports/" + id + "/events", suite.apiKey())) {
                direct.await(Duration.ofMinutes(4), "done", e -> "done".equals(e.path("state").asString()));
                page.await(Duration.ofMinutes(1), "done via the page", e -> "done".equals(e.path("state").asString()));
                if (isDone(direct.events().getFirst()) || isDone(page.events().getFirst())) continue;
                // same machine, same clock: a buffering proxy would deliver the first event only when the stream
                // ends, after the job finished; unbuffered, it arrives while the job is still running
                java.time.Instant finished = java.time.Instant.parse(
                        suite.get("/api/pdf/v1/reports/" + id, suite.apiKey()).json().get("finished_at").asString());
                assertThat(direct.events().getFirst().at()).as("first event via nginx arrived before the job finished")
                        .isBefore(finished);
                assertThat(page.events().getFirst().at()).as("first event via the legacy page arrived before the job finished")
                        .isBefore(finished);
                // at least a mid-job event and the final one (pushes coalesce when rendering outpaces the stream)
                assertThat(direct.events().size()).as("progress events").isGreaterThanOrEqualTo(2);
                return;
            }
        }
        throw new AssertionError("every job finished before its event streams connected; cannot judge buffering");
    }

    private static boolean isDone(Sse.Event e) {
        return "done".equals(e.json().path("state").asString());
    }
}
