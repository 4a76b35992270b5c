package dev.apiary.pdf.report;

import dev.apiary.common.test.Await;
import dev.apiary.common.test.SharedRedisTemplate;
import dev.apiary.pdf.support.Http;
import dev.apiary.pdf.support.PdfProcess;
import dev.apiary.pdf.support.PdfText;
import dev.apiary.pdf.support.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} between the Idempotency-Key reservation and the creation of the report (instance A stalls there
 * by dev-mode fault injection and is killed): the reservation holds only its short pending time, so the client's
 * retry on instance B creates the report, exactly once, and further retries answer that report.
 */
class IdempotentRetryAfterKillTest {
    static final int DB = 6;
    static final int STUDENTS = 30;
    static final String KEY = "grade-10-cards";

    @TempDir
    Path data;
    @RegisterExtension
    static final SharedRedisTemplate REDIS = new SharedRedisTemplate(DB);
    final StringRedisTemplate redis = REDIS.template();
    final List<PdfProcess> processes = new ArrayList<>();

    @BeforeEach
    void clean() {
        REDIS.flushDb();
    }

    @AfterEach
    void stop() {
        processes.forEach(p -> p.service.process.destroyForcibly());
    }

    PdfProcess start(String name, String... settings) throws IOException {
        PdfProcess p = PdfProcess.start("idempotent-retry-" + name, DB, data, settings);
        processes.add(p);
        return p;
    }

    Set<String> reports() {
        Set<String> keys = redis.keys("apiary:pdf:report:\\{*\\}");
        return keys.stream().filter(k -> k.endsWith("}")).collect(java.util.stream.Collectors.toSet());
    }

    List<String> pendingReservations() {
        return redis.keys("apiary:pdf:idem:*").stream().map(k -> redis.opsForValue().get(k))
                .filter(v -> v != null && v.startsWith("pending ")).toList();
    }

    List<String> jobDirs() {
        Path reports = data.resolve("reports");
        if (!Files.exists(reports)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(reports)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theRetryAfterAKillBetweenReservationAndCreationCreatesTheReportExactlyOnce() throws Exception {
        PdfProcess a = start("A", "apiary.pdf.fault-injection.stall-after-reservation=10m",
                "apiary.pdf.idempotency-pending=20s");
        byte[] body = TestData.bytes(TestData.request("report_card", STUDENTS));
        HttpRequest submit = a.http.req("/api/pdf/v1/reports").header("Content-Type", "application/json")
                .header("Idempotency-Key", KEY).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        CompletableFuture<HttpResponse<String>> stalled = Http.CLIENT.sendAsync(submit, HttpResponse.BodyHandlers.ofString());

        Await.until(Duration.ofSeconds(30), "A reserved the key and stalls", () -> pendingReservations().size() == 1);
        assertThat(reports()).as("no report yet").isEmpty();
        assertThat(jobDirs()).as("A's validated input").hasSize(1);
        String orphan = jobDirs().getFirst();
        // while A holds the reservation, a retry answers 409 naming the header
        HttpResponse<String> busy = a.http.submit(body, KEY);
        assertThat(busy.statusCode()).as(busy.body()).isEqualTo(409);
        assertThat(Http.json(busy).get("field").asString()).isEqualTo("Idempotency-Key");

        a.kill();
        assertThat(stalled.handle((r, e) -> r == null ? -1 : r.statusCode()).get()).as("A never answered").isEqualTo(-1);
        assertThat(reports()).isEmpty();

        PdfProcess b = start("B", "apiary.pdf.idempotency-pending=20s", "apiary.pdf.sweep-interval=1s",
                "apiary.pdf.orphan-grace=5s");
        // the client retries: 409 until the dead instance's reservation has expired, then the report is created
        AtomicReference<HttpResponse<String>> created = new AtomicReference<>();
        Await.until(Duration.ofSeconds(90), "a retry creates the report", () -> {
            HttpResponse<String> r = b.http.submit(body, KEY);
            assertThat(r.statusCode()).as(r.body()).isIn(202, 409);
            created.set(r);
            return r.statusCode() == 202;
        });
        String id = Http.json(created.get()).get("id").asString();
        assertThat(created.get().headers().firstValue("Idempotent-Replayed")).hasValue("false");

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> again = b.http.submit(body, KEY);
            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(Http.json(again).get("id").asString()).isEqualTo(id);
            assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        }
        assertThat(reports()).containsExactly(ReportKeys.status(id));
        assertThat(pendingReservations()).isEmpty();

        Await.until(Duration.ofSeconds(90), "B renders it", () -> "done".equals(b.http.status(id).get("state").asString()));
        List<String> pages = PdfText.pages(b.http.bytes(b.http.req("/api/pdf/v1/reports/" + id + "/file")).body());
        assertThat(pages).hasSize(STUDENTS);
        for (int i = 0; i < STUDENTS; i++) {
            assertThat(pages.get(i)).contains(TestData.name(i));
        }
        assertThat(reports()).containsExactly(ReportKeys.status(id));
        // A's validated input, which no report owns, is swept as an orphan
        Await.until(Duration.ofSeconds(30), "A's orphaned input deleted", () -> !jobDirs().contains(orphan));
        assertThat(jobDirs()).containsExactly(id);
    }
}
