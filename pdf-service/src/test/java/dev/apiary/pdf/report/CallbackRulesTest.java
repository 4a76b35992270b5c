package dev.apiary.pdf.report;

import dev.apiary.common.test.Await;
import dev.apiary.pdf.callback.CallbackSender;
import dev.apiary.pdf.support.CallbackReceivers;
import dev.apiary.pdf.support.Http;
import dev.apiary.pdf.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Callback URLs through the whole service: checked at submit, checked again when sent (DNS rebinding). */
class CallbackRulesTest extends ApiTestContext {

    @Test
    void aHostThatResolvesToLoopbackWhenTheCallbackIsSentIsRefusedAndNothingReachesIt() {
        String hook = "/hook-rebind";
        // the check at submit sees the allow-listed address; by the time the report is done the name says 127.0.0.1
        DNS.answer("late-rebind.test", CallbackReceivers.ALLOWED_IP, CallbackReceivers.VICTIM_IP);
        Map<String, Object> body = TestData.request("report_card", 2);
        body.put("callback_url", RECEIVERS.url("late-rebind.test", hook));
        HttpResponse<String> r = http.submit(TestData.bytes(body), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Http.json(r).get("id").asString();

        Await.until(Duration.ofSeconds(60), "callback of " + id + " dead-lettered", () -> deadLetter(id) != null);
        assertThat(String.valueOf(deadLetter(id).get("_error"))).contains("refused").contains("127.0.0.1").contains("loopback");
        assertThat(http.status(id).get("state").asString()).isEqualTo("done");
        assertThat(DNS.lookups("late-rebind.test")).isEqualTo(2);
        assertThat(RECEIVERS.victim(hook)).isEmpty();
        assertThat(RECEIVERS.allowed(hook)).isEmpty();
    }

    @Test
    void aHostThatResolvesToAPrivateAddressAtSubmitIs400NamingCallbackUrl() {
        Footprint before = footprint();
        DNS.answer("metadata.test", "169.254.169.254");
        DNS.answer("intranet.test", "10.20.30.40");
        DNS.answer("ula.test", "fd00::1");
        DNS.answer("mapped.test", "::ffff:127.0.0.1");
        for (String host : List.of("metadata.test", "intranet.test", "ula.test", "mapped.test")) {
            Map<String, Object> body = TestData.request("report_card", 2);
            body.put("callback_url", "https://" + host + "/hook");
            HttpResponse<String> r = http.submit(TestData.bytes(body), null);
            assertThat(r.statusCode()).as(host + ": " + r.body()).isEqualTo(400);
            assertThat(Http.json(r).get("field").asString()).isEqualTo("callback_url");
            assertThat(Http.json(r).get("detail").asString()).contains(host);
        }
        assertThat(footprint()).isEqualTo(before);
    }

    private Map<Object, Object> deadLetter(String reportId) {
        List<MapRecord<String, Object, Object>> dead = redis.opsForStream().range(CallbackSender.STREAM + ":dead",
                Range.unbounded());
        if (dead == null) {
            return null;
        }
        return dead.stream().map(MapRecord::getValue).filter(v -> reportId.equals(v.get("report"))).findFirst().orElse(null);
    }
}
