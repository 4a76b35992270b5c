package dev.apiary.pdf.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.apiary.common.test.Await;
import dev.apiary.pdf.support.CallbackReceivers;
import dev.apiary.pdf.support.Http;
import dev.apiary.pdf.support.TestData;

/**
 * One trace from the request that creates a report (its W3C traceparent, as nginx sends it) through the render
 * queue's workers and the callback queue to the callback's HTTP call, and in the log lines on the way.
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingTest extends ApiTestContext {

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void theCreatingRequestsTraceReachesTheRenderWorkersTheirLogsAndTheCallbackCall(CapturedOutput output) {
        String traceId = hex(16);
        String parent = hex(8);
        String hook = "/hook-traced-" + hex(4);
        Map<String, Object> body = TestData.request("report_card", 60);   // 3 parts of 25
        body.put("callback_url", RECEIVERS.url(CallbackReceivers.ALLOWED_IP, hook));
        HttpResponse<String> r = http.send(http.req("/api/pdf/v1/reports")
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-" + parent + "-01")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestData.bytes(body))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Http.json(r).get("id").asString();

        Await.until(Duration.ofSeconds(60), "callback of " + id + " received", () -> !RECEIVERS.allowed(hook).isEmpty());
        String traceparent = RECEIVERS.allowed(hook).getFirst().headers().get("traceparent");
        assertThat(traceparent).as("the callback call carries the trace").isNotNull();
        String[] parts = traceparent.split("-");
        assertThat(parts[1]).isEqualTo(traceId);
        assertThat(parts[2]).as("a span of the service, not the caller's").isNotEqualTo(parent);

        Await.until(Duration.ofSeconds(10), "the delivery is logged", () ->
                output.getOut().contains("callback for report " + id + " delivered"));
        List<String> lines = Arrays.stream(output.getOut().split("\n"))
                .filter(l -> l.contains("report " + id + " ") || l.contains("report " + id + ":")).toList();
        assertThat(lines).as("the parts rendered, the merge and the callback are logged")
                .anySatisfy(l -> assertThat(l).contains(" part ").contains(" pages in "))
                .anySatisfy(l -> assertThat(l).contains(" done: "))
                .anySatisfy(l -> assertThat(l).contains("callback for report " + id + " delivered"));
        assertThat(lines).allSatisfy(l -> assertThat(l).contains("trace=" + traceId));
    }

    @Test
    void aRequestWithoutATraceparentStartsItsOwnTrace(CapturedOutput output) {
        String hook = "/hook-untraced-" + hex(4);
        Map<String, Object> body = TestData.request("report_card", 2);
        body.put("callback_url", RECEIVERS.url(CallbackReceivers.ALLOWED_IP, hook));
        HttpResponse<String> r = http.submit(TestData.bytes(body), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Http.json(r).get("id").asString();
        Await.until(Duration.ofSeconds(60), "callback of " + id + " received", () -> !RECEIVERS.allowed(hook).isEmpty());
        String traceparent = RECEIVERS.allowed(hook).getFirst().headers().get("traceparent");
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        String traceId = traceparent.split("-")[1];
        Await.until(Duration.ofSeconds(10), "the delivery is logged", () ->
                output.getOut().contains("callback for report " + id + " delivered"));
        assertThat(Arrays.stream(output.getOut().split("\n")).filter(l -> l.contains("report " + id + " done: ")))
                .singleElement().asString().contains("trace=" + traceId);
    }
}
