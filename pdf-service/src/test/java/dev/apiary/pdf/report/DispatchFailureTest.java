package dev.apiary.pdf.report;

import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;
import dev.apiary.pdf.support.Http;
import dev.apiary.pdf.support.PdfText;
import dev.apiary.pdf.support.TestData;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A submission fails after its first part is queued (fault injection, dev mode only): the report exists, its
 * Idempotency-Key already stands for it, the dispatch sweeper queues the parts that were never queued, the client's
 * retry answers the same report, and every part is rendered exactly once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DispatchFailureTest {
    static final int STUDENTS = 50;   // 5 parts of 10, 2 queued at a time

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws IOException {
        RedisTestServer.shared().register(r);
        // a database of its own: the other Spring contexts of this JVM consume the same stream names
        r.add("spring.data.redis.database", () -> "5");
        String data = Files.createTempDirectory("pdf-dispatch-test").toString();
        r.add("apiary.pdf.data-dir", () -> data);
        r.add("apiary.pdf.chunk-size", () -> "10");
        r.add("apiary.pdf.chunks-in-flight", () -> "2");
        r.add("apiary.pdf.workers", () -> "2");
        r.add("apiary.pdf.warmup", () -> "false");
        r.add("apiary.pdf.dispatch-sweep-interval", () -> "300ms");
        r.add("apiary.pdf.dispatch-grace", () -> "1s");
        r.add("apiary.pdf.fault-injection.fail-after-queued-parts", () -> "1");
    }

    @LocalServerPort
    int port;
    @Autowired
    StringRedisTemplate redis;
    @Autowired
    MeterRegistry meters;
    @Autowired
    DispatchSweeper sweeper;

    Set<String> reports() {
        return redis.keys("apiary:pdf:report:\\{*\\}").stream().filter(k -> k.endsWith("}"))
                .map(k -> k.substring(k.indexOf('{') + 1, k.length() - 1)).collect(java.util.stream.Collectors.toSet());
    }

    long partsRendered() {
        var timer = meters.find("apiary.pdf.part.render").timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void aFailureAfterTheFirstPartIsQueuedIsMendedAndTheRetryAnswersTheSameReport() throws Exception {
        Http http = new Http(port);
        byte[] body = TestData.bytes(TestData.request("report_card", STUDENTS));
        long renderedBefore = partsRendered();

        HttpResponse<String> first = http.submit(body, "term-2-cards");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(500);
        assertThat(reports()).as("the report exists: its status was written before the dispatch failed").hasSize(1);
        String id = reports().iterator().next();

        HttpResponse<String> retry = http.submit(body, "term-2-cards");
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        assertThat(Http.json(retry).get("id").asString()).isEqualTo(id);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        Await.until(Duration.ofSeconds(90), "report " + id + " done", () -> "done".equals(http.status(id).get("state").asString()));
        assertThat(reports()).containsExactly(id);
        assertThat(partsRendered() - renderedBefore).as("each of the 5 parts rendered once").isEqualTo(5);
        assertThat(meters.find("apiary.pdf.reports.redispatched").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(redis.opsForZSet().size(ReportKeys.DISPATCH_INDEX)).isZero();
        List<String> pages = PdfText.pages(http.bytes(http.req("/api/pdf/v1/reports/" + id + "/file")).body());
        assertThat(pages).hasSize(STUDENTS);
        for (int i = 0; i < STUDENTS; i++) {
            assertThat(pages.get(i)).contains(TestData.name(i));
        }
        // a replay after the end still answers the same report
        assertThat(Http.json(http.submit(body, "term-2-cards")).get("id").asString()).isEqualTo(id);
    }

    @Test
    void theSweeperDropsIndexEntriesOfReportsThatNeverExistedOrEnded() {
        String never = ReportIds.next();
        redis.opsForZSet().add(ReportKeys.DISPATCH_INDEX, never, Instant.now().minusSeconds(60).toEpochMilli());
        String notDue = ReportIds.next();
        redis.opsForZSet().add(ReportKeys.DISPATCH_INDEX, notDue, Instant.now().plusSeconds(3600).toEpochMilli());
        assertThat(sweeper.sweep(Instant.now())).isZero();
        // the scheduled sweep (every 300 ms) may have taken the entry first and be finishing it right now
        Await.until(Duration.ofSeconds(5), "no report: dropped",
                () -> redis.opsForZSet().score(ReportKeys.DISPATCH_INDEX, never) == null);
        assertThat(redis.opsForZSet().score(ReportKeys.DISPATCH_INDEX, notDue)).as("within the grace: kept").isNotNull();
        redis.opsForZSet().remove(ReportKeys.DISPATCH_INDEX, notDue);
    }
}
