package dev.apiary.pdf.report;

import dev.apiary.pdf.support.Http;
import dev.apiary.pdf.support.PdfText;
import dev.apiary.pdf.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A report job on one Redis topology (the subclass points the service at it): submitted, its parts rendered through
 * the queue, its progress streamed (SSE, pub/sub) to the final state, the file complete.
 */
@DirtiesContext // its own Redis: closed after the class, not cached beside the standalone context
abstract class ReportOnTopologyContract extends ApiTestContext {

    static final int STUDENTS = 110; // 5 parts of 25 (chunk size) or fewer

    @Test
    void aReportRendersAndItsProgressStreamsToDone() throws Exception {
        HttpResponse<String> r = http.submit(TestData.bytes(TestData.request("report_card", STUDENTS)), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Http.json(r).get("id").asString();

        HttpRequest req = http.req("/api/pdf/v1/reports/" + id + "/events").header("Accept", "text/event-stream").build();
        HttpResponse<java.util.stream.Stream<String>> sse = Http.CLIENT.sendAsync(req, HttpResponse.BodyHandlers.ofLines())
                .get(30, TimeUnit.SECONDS);
        assertThat(sse.statusCode()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        sse.body().filter(l -> l.startsWith("data:")).forEach(l -> events.add(TestData.JSON.readTree(l.substring(5))));

        assertThat(events).isNotEmpty();
        assertThat(events.getLast().get("state").asString()).isEqualTo("done");
        long last = -1;
        for (JsonNode e : events) {
            assertThat(e.get("students_done").asLong()).isGreaterThanOrEqualTo(last);
            last = e.get("students_done").asLong();
        }
        JsonNode st = http.status(id);
        assertThat(st.get("students_done").asInt()).isEqualTo(STUDENTS);
        assertThat(st.get("pages").asInt()).isEqualTo(STUDENTS);

        HttpResponse<byte[]> file = http.bytes(http.req("/api/pdf/v1/reports/" + id + "/file"));
        assertThat(file.statusCode()).isEqualTo(200);
        List<String> pages = PdfText.pages(file.body());
        assertThat(pages).hasSize(STUDENTS);
        for (int i = 0; i < STUDENTS; i++) {
            assertThat(pages.get(i)).contains(TestData.name(i));
        }
    }
}
