package dev.apiary.sandbox.providers;

import dev.apiary.sandbox.providers.sim.SmsSegments;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * The simulator's segment count against the shared vectors of Twilio's documented rules
 * ({@code twilio/sms-segments.json}; alert-service checks its own counter against the same file).
 */
class SmsSegmentsTest {

    @Test
    void everyVectorGetsItsEncodingAndSegments() throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/twilio/sms-segments.json")) {
            vectors = JsonMapper.builder().build().readTree(in).get("vectors");
        }
        assertThat(vectors.size()).isGreaterThan(20);
        assertSoftly(soft -> {
            for (JsonNode v : vectors) {
                StringBuilder body = new StringBuilder();
                for (JsonNode part : v.get("body")) {
                    body.append(part.get(0).stringValue().repeat(part.get(1).intValue()));
                }
                SmsSegments.Count c = SmsSegments.measure(body.toString());
                soft.assertThat(c.segments()).as(v.get("why").stringValue()).isEqualTo(v.get("segments").intValue());
                soft.assertThat(c.encoding().name().replace('_', '-')).as(v.get("why").stringValue())
                        .isEqualTo(v.get("encoding").stringValue());
            }
        });
    }
}
