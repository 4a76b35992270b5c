package dev.apiary.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.apiary.alert.support.AlertServiceTestBase;
import tools.jackson.databind.JsonNode;

/** Alerts end to end: real Redis, the real SDKs, sandbox/providers with its signed callbacks. */
class AlertFlowTest extends AlertServiceTestBase {

    @BeforeEach
    void reset() {
        sandbox().reset(Map.of());
    }

    static String recipient(String id, String name, String email, String phone, String lang) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", id);
        m.put("name", name);
        if (email != null) {
            m.put("email", email);
        }
        if (phone != null) {
            m.put("phone", phone);
        }
        if (lang != null) {
            m.put("language", lang);
        }
        return JSON.writeValueAsString(m);
    }

    static String alertJson(String school, List<String> channels, List<String> recipients) {
        return """
                {"school_id": "%s", "subject": "School closed today", "text": "Snow day: school is closed today.",
                 "channels": %s, "recipients": [%s]}
                """.formatted(school, JSON.writeValueAsString(channels), String.join(",", recipients));
    }

    @Test
    void allChannelsReachTheirFinalStatesAndMatchTheProvidersGroundTruth() {
        List<String> rs = new ArrayList<>();
        rs.add(recipient("g1", "Ana Ruiz", "ana@example.org", "(202) 555-0101", "es"));
        rs.add(recipient("g2", "Ben Ruiz", "ben@example.org", "202-555-0101", null)); // same phone as g1
        rs.add(recipient("g3", "Cy Lee", "bounce.cy@example.org", "+1 202 555 9904", null)); // carrier failure
        rs.add(recipient("g4", "Di Ng", "di@example.org", "+12025559901", null)); // 21211 invalid
        rs.add(recipient("g5", "Ed Fox", "not-an-email", "+12025559907", null)); // voice busy
        rs.add(recipient("g6", "Flo Po", null, null, null)); // no address at all
        rs.add(recipient("g7", "Gus Oh", "gus@example.org", "12345", null)); // invalid phone
        rs.add(recipient("g8", "Hal Yu", "hal@example.org", "+12025559908", null)); // voice no answer
        String id = create(alertJson("north", List.of("email", "sms", "voice"), rs), null);

        JsonNode done = awaitFinished(id, Duration.ofSeconds(30));
        JsonNode sms = done.path("channels").path("sms");
        JsonNode voice = done.path("channels").path("voice");
        JsonNode email = done.path("channels").path("email");
        // 5 distinct usable phones (g1/g2 share one) → 5 SMS, 5 calls
        assertThat(sms.path("total").asInt()).isEqualTo(5);
        assertThat(voice.path("total").asInt()).isEqualTo(5);
        assertThat(email.path("total").asInt()).isEqualTo(6);
        assertThat(sms.path("states").path("delivered").asInt()).isEqualTo(3);
        assertThat(sms.path("states").path("undelivered").asInt()).isEqualTo(1);
        assertThat(sms.path("states").path("failed").asInt()).isEqualTo(1);
        assertThat(voice.path("states").path("completed").asInt()).isEqualTo(1);
        assertThat(voice.path("states").path("busy").asInt()).isEqualTo(1);
        assertThat(voice.path("states").path("no_answer").asInt()).isEqualTo(1);
        assertThat(voice.path("states").path("failed").asInt()).isEqualTo(2); // 9904 carrier, 9901 invalid
        assertThat(email.path("states").path("delivered").asInt()).isEqualTo(5);
        assertThat(email.path("states").path("failed").asInt()).isEqualTo(1);
        // rejected up front: g5 email invalid, g6 no email/no phone x2, g7 invalid phone x2
        assertThat(done.path("rejected_count").asInt()).isEqualTo(6);

        // every delivery's final state is what the simulator decided; nothing was sent twice
        JsonNode truthSms = sandbox().truth("sms");
        JsonNode truthVoice = sandbox().truth("voice");
        JsonNode truthEmail = sandbox().truth("email");
        JsonNode page = json(api("GET", "/api/alerts/v1/alerts/" + id + "/deliveries?limit=1000", null));
        assertThat(page.path("deliveries").size()).isEqualTo(16);
        for (JsonNode d : page.path("deliveries")) {
            String ch = d.path("channel").asString();
            JsonNode t = (ch.equals("sms") ? truthSms : ch.equals("voice") ? truthVoice : truthEmail)
                    .path(d.path("address").asString());
            assertThat(t.path("accepted").asInt()).as("sends of %s", d.path("id").asString()).isLessThanOrEqualTo(1);
            String expected = switch (t.path("final").asString()) {
                case "rejected" -> "failed";
                case "no-answer" -> "no_answer";
                default -> t.path("final").asString();
            };
            assertThat(d.path("state").asString()).as("state of %s", d.path("id").asString()).isEqualTo(expected);
        }
        // the per-school sender was used
        assertThat(done.path("school_id").asString()).isEqualTo("north");
    }
}
