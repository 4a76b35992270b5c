package dev.apiary.alert.core;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * The pacing's segment count against the vectors of Twilio's documented rules that sandbox/providers is
 * checked with too ({@code sandbox/providers/src/test/resources/twilio/sms-segments.json}, a test resource of
 * this module as well): the service and the simulator share the table, not the code.
 */
class SegmentsTest {

    @Test
    void everyVectorGetsItsSegments() throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/twilio/sms-segments.json")) {
            assertThat(in).as("twilio/sms-segments.json on the test class path").isNotNull();
            vectors = JsonMapper.builder().build().readTree(in).get("vectors");
        }
        assertThat(vectors.size()).isGreaterThan(20);
        assertSoftly(soft -> {
            for (JsonNode v : vectors) {
                StringBuilder body = new StringBuilder();
                for (JsonNode part : v.get("body")) {
                    body.append(part.get(0).stringValue().repeat(part.get(1).intValue()));
                }
                soft.assertThat(Segments.count(body.toString())).as(v.get("why").stringValue())
                        .isEqualTo(v.get("segments").intValue());
            }
        });
    }
}
