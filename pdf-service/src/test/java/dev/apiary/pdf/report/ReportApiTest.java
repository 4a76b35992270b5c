package dev.apiary.pdf.report;

import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.queue.WorkItem;
import dev.apiary.common.test.Await;
import dev.apiary.pdf.callback.CallbackSigner;
import dev.apiary.pdf.support.CallbackReceivers;
import dev.apiary.pdf.support.Http;
import dev.apiary.pdf.support.PdfText;
import dev.apiary.pdf.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The API end to end against a real Redis: submit, progress (SSE), file, cancel/delete, callbacks, bad input, fairness. */
class ReportApiTest extends ApiTestContext {
    @Autowired
    RenderWorker worker;
    @Autowired
    RetentionSweeper sweeper;
    @Autowired
    JobStatusStore store;

    static String id(HttpResponse<String> r) {
        return Http.json(r).get("id").asString();
    }

    JsonNode awaitState(String id, String state, Duration timeout) {
        Await.until(timeout, "report " + id + " " + state, () -> state.equals(http.status(id).get("state").asString()));
        return http.status(id);
    }

    /** Reads an SSE stream to its end; answers the JSON of each status event. */
    CompletableFuture<List<JsonNode>> events(String id) {
        HttpRequest req = http.req("/api/pdf/v1/reports/" + id + "/events").header("Accept", "text/event-stream").build();
        return Http.CLIENT.sendAsync(req, HttpResponse.BodyHandlers.ofLines()).thenApply(res -> {
            assertThat(res.statusCode()).isEqualTo(200);
            List<JsonNode> out = new ArrayList<>();
            res.body().filter(l -> l.startsWith("data:")).forEach(l -> out.add(TestData.JSON.readTree(l.substring(5))));
            return out;
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void submitWatchDownloadCallbackReplayAndDelete() throws Exception {
        String hook = "/hook-main";
        RECEIVERS.answer(hook, 503);   // the first delivery fails: the sender must retry
        Map<String, Object> body = TestData.request("report_card", 60);
        ((Map<String, Object>) body.get("school")).put("logo", TestData.pngBase64());
        body.put("page_size", "LETTER");
        body.put("callback_url", RECEIVERS.url(CallbackReceivers.ALLOWED_IP, hook));
        byte[] bytes = TestData.bytes(body);
        HttpResponse<String> r = http.submit(bytes, "key-1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode accepted = Http.json(r);
        String id = accepted.get("id").asString();
        assertThat(accepted.get("students_total").asInt()).isEqualTo(60);
        assertThat(accepted.get("state").asString()).isIn("queued", "rendering");
        assertThat(r.headers().firstValue("Location")).hasValue("/api/pdf/v1/reports/" + id);

        List<JsonNode> events = events(id).get(60, TimeUnit.SECONDS);
        assertThat(events.getLast().get("state").asString()).isEqualTo("done");
        long last = -1;
        for (JsonNode e : events) {
            assertThat(e.get("students_done").asLong()).isGreaterThanOrEqualTo(last);
            last = e.get("students_done").asLong();
        }
        JsonNode st = http.status(id);
        assertThat(st.get("students_done").asInt()).isEqualTo(60);
        assertThat(st.get("pages").asInt()).isEqualTo(60);
        assertThat(st.get("bytes").asLong()).isPositive();
        assertThat(st.get("warnings")).isEmpty();
        assertThat(Instant.parse(st.get("finished_at").asString())).isAfterOrEqualTo(Instant.parse(st.get("started_at").asString()));

        HttpResponse<byte[]> file = http.bytes(http.req("/api/pdf/v1/reports/" + id + "/file"));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(file.headers().firstValue("Content-Disposition").orElse(""))
                .contains("report-cards-lakeview-" + id + ".pdf");
        List<String> pages = PdfText.pages(file.body());
        assertThat(pages).hasSize(60);
        for (int i = 0; i < 60; i++) {
            String compact = pages.get(i).replaceAll("\\s+", "");
            assertThat(pages.get(i)).contains(TestData.name(i));
            for (int c = 0; c < 8; c++) {
                assertThat(compact).contains(TestData.courseCells(i, c));
            }
        }

        // behind nginx: X-Accel-Redirect to the internal location, no body
        HttpResponse<String> accel = http.send(http.req("/api/pdf/v1/reports/" + id + "/file").header("X-Apiary-Accel", "1"));
        assertThat(accel.statusCode()).isEqualTo(200);
        String redirect = accel.headers().firstValue("X-Accel-Redirect").orElseThrow();
        assertThat(redirect).isEqualTo("/_files/pdf/reports/" + id + "/report.pdf");
        assertThat(accel.body()).isEmpty();
        assertThat(Files.size(DATA.resolve(redirect.substring("/_files/pdf/".length())))).isEqualTo(file.body().length);
        // inputs and parts (personal data) are gone once the file is done
        try (Stream<Path> left = Files.list(DATA.resolve("reports").resolve(id))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("report.pdf");
        }

        // callback: retried after a 503, signed with HMAC-SHA256 over "<timestamp>.<body>"
        Await.until(Duration.ofSeconds(20), "callback delivered twice", () -> RECEIVERS.allowed(hook).size() >= 2);
        CallbackReceivers.Received cb = RECEIVERS.allowed(hook).get(1);
        long ts = Long.parseLong(cb.headers().get("x-apiary-timestamp"));
        String sig = cb.headers().get("x-apiary-signature");
        assertThat(new CallbackSigner("test-secret").verify(ts, cb.body(), sig)).isTrue();
        assertThat(new CallbackSigner("other").verify(ts, cb.body(), sig)).isFalse();
        assertThat(cb.headers().get("x-apiary-event")).isEqualTo("report.done");
        assertThat(TestData.JSON.readTree(cb.body()).get("state").asString()).isEqualTo("done");
        assertThat(TestData.JSON.readTree(cb.body()).get("requested_by").get("client").asString()).isEqualTo("legacy");

        // Idempotency-Key: same body -> same report; different body -> 422
        HttpResponse<String> again = http.submit(bytes, "key-1");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(id(again)).isEqualTo(id);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        HttpResponse<String> other = http.submit(TestData.bytes(TestData.request("report_card", 3)), "key-1");
        assertThat(other.statusCode()).isEqualTo(422);

        // DELETE a finished report: 204, then 410 for it and its file
        assertThat(http.send(http.req("/api/pdf/v1/reports/" + id).DELETE()).statusCode()).isEqualTo(204);
        assertThat(http.send(http.req("/api/pdf/v1/reports/" + id)).statusCode()).isEqualTo(410);
        assertThat(http.send(http.req("/api/pdf/v1/reports/" + id + "/file")).statusCode()).isEqualTo(410);
        assertThat(Files.exists(DATA.resolve("reports").resolve(id))).isFalse();
    }

    @Test
    void classSummaryTemplate() throws Exception {
        HttpResponse<String> r = http.submit(TestData.bytes(TestData.request("class_summary", 40)), null);
        assertThat(r.statusCode()).isEqualTo(202);
        String id = id(r);
        JsonNode st = awaitState(id, "done", Duration.ofSeconds(60));
        assertThat(st.get("students_done").asInt()).isEqualTo(40);
        HttpResponse<byte[]> file = http.bytes(http.req("/api/pdf/v1/reports/" + id + "/file"));
        String all = String.join("\n", PdfText.pages(file.body()));
        for (int i = 0; i < 40; i++) {
            assertThat(all).contains(TestData.name(i));
        }
        assertThat(all).contains("Class average");
    }

    @Test
    @SuppressWarnings("unchecked")
    void badInputIsAProblemNamingTheFieldAndQueuesNothing() throws Exception {
        Footprint before = footprint();
        record Case(Map<String, Object> body, int status, String field) {
        }
        List<Case> cases = new ArrayList<>();
        Map<String, Object> unknown = TestData.request("report_card", 2);
        unknown.put("template", "transcript");
        cases.add(new Case(unknown, 400, "template"));
        cases.add(new Case(TestData.request("report_card", 0), 400, "students"));
        Map<String, Object> logo = TestData.request("report_card", 2);
        ((Map<String, Object>) logo.get("school")).put("logo", "aGVsbG8gd29ybGQsIG5vdCBhbiBpbWFnZQ==");
        cases.add(new Case(logo, 400, "school.logo"));
        Map<String, Object> grade = TestData.request("report_card", 3);
        ((List<Map<String, Object>>) ((List<Map<String, Object>>) grade.get("students")).get(2).get("courses")).get(1).remove("final");
        cases.add(new Case(grade, 400, "students[2].courses[1].final"));
        // callbacks: the cloud metadata address, plain loopback, a port not on the list, a host not on the list
        for (String url : List.of("http://169.254.169.254/latest/meta-data",
                RECEIVERS.url(CallbackReceivers.VICTIM_IP, "/hook"), "http://127.0.0.2:8080/hook",
                "https://intranet.example.org/hook")) {
            Map<String, Object> hook = TestData.request("report_card", 2);
            hook.put("callback_url", url);
            cases.add(new Case(hook, 400, "callback_url"));
        }
        // lists refused while they stream in, and a logo whose header declares too many pixels
        Map<String, Object> address = TestData.request("report_card", 2);
        ((Map<String, Object>) address.get("school")).put("address", List.of("1", "2", "3", "4", "5"));
        cases.add(new Case(address, 400, "school.address"));
        Map<String, Object> marks = TestData.request("report_card", 3);
        ((List<Map<String, Object>>) ((List<Map<String, Object>>) marks.get("students")).get(1).get("courses")).get(2)
                .put("marks", List.of(1, 2, 3, 4, 5));
        cases.add(new Case(marks, 400, "students[1].courses[2].marks"));
        Map<String, Object> bomb = TestData.request("report_card", 2);
        ((Map<String, Object>) bomb.get("school")).put("logo", TestData.pngDeclaring(60_000, 60_000));
        cases.add(new Case(bomb, 400, "school.logo"));
        Map<String, Object> wide = TestData.request("report_card", 2);
        ((Map<String, Object>) wide.get("school")).put("logo", TestData.pngDeclaring(4097, 1));
        cases.add(new Case(wide, 400, "school.logo"));
        Map<String, Object> longName = TestData.request("report_card", 2);
        ((Map<String, Object>) longName.get("school")).put("name", "N".repeat(2_000_000));
        cases.add(new Case(longName, 413, "school.name"));
        Map<String, Object> many = TestData.request("report_card", 0);
        List<Map<String, Object>> tiny = new ArrayList<>();
        for (int i = 0; i <= 5000; i++) {
            tiny.add(Map.of("id", "t" + i, "name", "n"));
        }
        many.put("students", tiny);
        cases.add(new Case(many, 413, "students"));
        for (Case c : cases) {
            HttpResponse<String> r = http.submit(TestData.bytes(c.body()), null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(c.status());
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(Http.json(r).get("field").asString()).as(r.body()).isEqualTo(c.field());
        }
        HttpResponse<String> malformed = http.send(http.req("/api/pdf/v1/reports").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"template\": ")));
        assertThat(malformed.statusCode()).isEqualTo(400);
        HttpResponse<String> text = http.send(http.req("/api/pdf/v1/reports").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));
        assertThat(text.statusCode()).isEqualTo(415);
        HttpResponse<String> noKey = http.send(HttpRequest.newBuilder(http.req("/api/pdf/v1/reports").build().uri())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(footprint()).isEqualTo(before);
    }

    @Test
    void openApiDocumentIsServedWithoutTheApiKey() {
        var r = Http.CLIENT.sendAsync(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/v3/api-docs")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).join();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        assertThat(Http.json(r).get("openapi").asString()).startsWith("3.");
        assertThat(Http.json(r).get("paths").has("/api/pdf/v1/reports/{id}/events")).isTrue();
    }

    @Test
    void unknownExpiredAndSweptReports() {
        assertThat(http.send(http.req("/api/pdf/v1/reports/nope")).statusCode()).isEqualTo(404);
        String fresh = ReportIds.next();
        assertThat(http.send(http.req("/api/pdf/v1/reports/" + fresh)).statusCode()).isEqualTo(404);
        assertThat(http.send(http.req("/api/pdf/v1/reports/" + fresh + "/file")).statusCode()).isEqualTo(404);
        // an id from 8 days ago: past the 7-day retention
        String old = String.format("%011x", Instant.now().minus(Duration.ofDays(8)).toEpochMilli()) + "0123456789ab";
        assertThat(http.send(http.req("/api/pdf/v1/reports/" + old)).statusCode()).isEqualTo(410);
        // the sweeper deletes expired job directories and keeps current ones
        try {
            Files.createDirectories(DATA.resolve("reports").resolve(old));
            Files.writeString(DATA.resolve("reports").resolve(old).resolve("report.pdf"), "x");
            Files.createDirectories(DATA.resolve("reports").resolve(fresh));
            // orphans: two hours old (past the 1 h orphan grace) without a report, and one with a report
            String twoHours = String.format("%011x", Instant.now().minus(Duration.ofHours(2)).toEpochMilli());
            String orphan = twoHours + "00000000000a";
            String owned = twoHours + "00000000000b";
            Files.createDirectories(ReportKeys.inputDir(DATA, orphan));
            Files.createDirectories(ReportKeys.inputDir(DATA, owned));
            store.create(ReportKeys.status(owned), ReportStates.MODEL, Map.of("school_id", "lakeview"), Duration.ofMinutes(1));
            assertThat(sweeper.sweep(Instant.now())).isEqualTo(2);
            assertThat(Files.exists(DATA.resolve("reports").resolve(old))).isFalse();
            assertThat(Files.exists(DATA.resolve("reports").resolve(orphan))).isFalse();
            assertThat(Files.exists(DATA.resolve("reports").resolve(owned))).isTrue();
            assertThat(Files.exists(DATA.resolve("reports").resolve(fresh))).isTrue();
            Files.delete(DATA.resolve("reports").resolve(fresh));
            store.delete(ReportKeys.status(owned));
            JobFiles.deleteTree(ReportKeys.jobDir(DATA, owned));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aSmallJobFinishesWhileABigOneRendersAndCancelStopsTheBigOne() throws Exception {
        HttpResponse<String> big = http.submit(TestData.bytes(TestData.request("report_card", 5000)), null);
        assertThat(big.statusCode()).as(big.body()).isEqualTo(202);
        String bigId = id(big);
        Await.until(Duration.ofSeconds(60), "big job rendering", () -> http.status(bigId).get("students_done").asInt() > 0);
        HttpResponse<String> small = http.submit(TestData.bytes(TestData.request("report_card", 30)), null);
        String smallId = id(small);
        awaitState(smallId, "done", Duration.ofSeconds(60));
        JsonNode bigNow = http.status(bigId);
        assertThat(bigNow.get("state").asString()).isEqualTo("rendering");
        assertThat(bigNow.get("students_done").asInt()).isLessThan(5000);
        // the file of an unfinished report: 409
        HttpResponse<String> early = http.send(http.req("/api/pdf/v1/reports/" + bigId + "/file"));
        assertThat(early.statusCode()).isEqualTo(409);
        // cancel: the workers stop within a second
        HttpResponse<String> cancel = http.send(http.req("/api/pdf/v1/reports/" + bigId).DELETE());
        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(Http.json(cancel).get("state").asString()).isEqualTo("canceled");
        long t0 = System.nanoTime();
        Await.until(Duration.ofSeconds(1), "render workers idle after cancel", () -> worker.activeRenders() == 0);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(http.status(bigId).get("state").asString()).isEqualTo("canceled");
        Await.until(Duration.ofSeconds(5), "job dir of the canceled report removed",
                () -> !Files.exists(DATA.resolve("reports").resolve(bigId)));
    }

    /** The queue gives up on a part its instances kept dying on (common's WorkQueueTest): the report fails. */
    @Test
    void aPartTheQueueGivesUpOnFailsItsReport() throws IOException {
        String id = ReportIds.next();
        store.create(ReportKeys.status(id), ReportStates.MODEL, Map.of("school_id", "lakeview",
                "template", "report_card", "students_total", "50", "units", "2"), Duration.ofMinutes(5));
        Files.createDirectories(ReportKeys.inputDir(DATA, id));
        redis.opsForValue().set(ReportKeys.partOwner(id, 1), "token-a", Duration.ofMinutes(5));
        String reason = "abandoned: the consumer handling it died 3 times (crash or kill)";

        worker.abandoned(new WorkItem("1-1", Map.of("report", id, "part", "1", "token", "token-b"), 1), reason);
        assertThat(http.status(id).get("state").asString()).as("a duplicate entry of the part settles nothing")
                .isEqualTo("queued");

        worker.abandoned(new WorkItem("1-2", Map.of("report", id, "part", "1", "token", "token-a"), 1), reason);
        JsonNode st = http.status(id);
        assertThat(st.get("state").asString()).isEqualTo("failed");
        assertThat(st.get("error").asString()).isEqualTo("part 1 " + reason);
        assertThat(st.get("finished_at").isNull()).isFalse();
        assertThat(ReportKeys.jobDir(DATA, id)).doesNotExist();
    }
}
