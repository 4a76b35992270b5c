package dev.apiary.alert;

import static dev.apiary.alert.AlertFlowTest.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.alert.support.AlertServiceTestBase;
import tools.jackson.databind.JsonNode;

/** Alerts in each family's language, checked against what sandbox/providers received. */
class TranslationFlowTest extends AlertServiceTestBase {

    @Autowired
    StringRedisTemplate redis;

    @BeforeEach
    void reset() {
        sandbox().reset(Map.of());
    }

    static String body(String translations, List<String> recipients) {
        return """
                {"school_id": "north", "subject": "School closed today", "text": "Snow day: school is closed today.",
                 "voice_text": "Snow day. School is closed today.", "language": "en",
                 "channels": ["email", "sms", "voice"], "recipients": [%s], "translations": %s}
                """.formatted(String.join(",", recipients), translations);
    }

    /** Keys that other work changes meanwhile (pacing, locks, webhook tokens of earlier tests' late callbacks). */
    static boolean background(String key) {
        return key.startsWith("apiary:alert:pace:") || key.startsWith("apiary:alert:lock:")
                || key.startsWith("apiary:alert:mgtoken:");
    }

    static final String TRANSLATIONS = """
            {"es": {"subject": "Escuela cerrada hoy", "text": "Día de nieve: la escuela está cerrada hoy.",
                    "voice_text": "Día de nieve. La escuela está cerrada hoy."},
             "vi": {"subject": "Trường đóng cửa hôm nay", "text": "Ngày tuyết: trường đóng cửa hôm nay."}}""";

    @Test
    void eachRecipientGetsTheVariantOfTheirLanguageOnEveryChannel() {
        List<String> rs = List.of(
                recipient("en1", "Ann", "ann@example.org", "+12025558101", null),
                recipient("es1", "Beto", "beto@example.org", "+12025558102", "es-MX"),
                recipient("vi1", "Chi", "chi@example.org", "+12025558103", "vi"),
                recipient("fr1", "Dom", "dom@example.org", "+12025558104", "fr"));
        HttpResponse<String> r = api("POST", "/api/alerts/v1/alerts", body(TRANSLATIONS, rs));
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode created = json(r);
        assertThat(created.path("languages").path("sms").toString()).isEqualTo("{\"en\":2,\"es\":1,\"vi\":1}");
        assertThat(created.path("languages").path("email").path("es").asInt()).isEqualTo(1);
        String id = created.path("id").asString();
        JsonNode done = awaitFinished(id, Duration.ofSeconds(30));
        assertThat(done.path("languages").path("voice").toString()).isEqualTo("{\"en\":2,\"es\":1,\"vi\":1}");

        JsonNode sms = sandbox().truth("sms");
        assertThat(sms.path("+12025558101").path("content").asString()).isEqualTo("Snow day: school is closed today.");
        assertThat(sms.path("+12025558102").path("content").asString()).isEqualTo("Día de nieve: la escuela está cerrada hoy.");
        assertThat(sms.path("+12025558103").path("content").asString()).isEqualTo("Ngày tuyết: trường đóng cửa hôm nay.");
        assertThat(sms.path("+12025558104").path("content").asString()).isEqualTo("Snow day: school is closed today.");

        JsonNode voice = sandbox().truth("voice");
        assertThat(voice.path("+12025558102").path("content").asString())
                .contains("language=\"es-MX\"").contains("Día de nieve. La escuela está cerrada hoy.");
        // no voice_text in Vietnamese: its text is read, by a Vietnamese voice
        assertThat(voice.path("+12025558103").path("content").asString())
                .contains("language=\"vi-VN\"").contains("Ngày tuyết: trường đóng cửa hôm nay.");
        // French has no translation: the English text, read by an English voice (not a French voice reading English)
        assertThat(voice.path("+12025558104").path("content").asString())
                .contains("language=\"en-US\"").contains("Snow day. School is closed today.");

        JsonNode email = sandbox().truth("email");
        assertThat(email.path("beto@example.org").path("content").asString())
                .isEqualTo("Escuela cerrada hoy\nDía de nieve: la escuela está cerrada hoy.");
        assertThat(email.path("dom@example.org").path("content").asString())
                .isEqualTo("School closed today\nSnow day: school is closed today.");
        assertThat(email.path("chi@example.org").path("content").asString()).startsWith("Trường đóng cửa hôm nay\n");

        // every delivery shows its language
        JsonNode deliveries = json(api("GET", "/api/alerts/v1/alerts/" + id + "/deliveries?channel=sms", null));
        Map<String, String> langs = new HashMap<>();
        deliveries.path("deliveries").forEach(d -> langs.put(d.path("address").asString(), d.path("language").asString()));
        assertThat(langs).containsEntry("+12025558101", "en").containsEntry("+12025558102", "es")
                .containsEntry("+12025558103", "vi").containsEntry("+12025558104", "en");
    }

    @Test
    void notReachedShowsTheLanguage() {
        String id = create(body(TRANSLATIONS, List.of(recipient("x", "X", "bounce.x@example.org", "+12025559904", "es"))), null);
        awaitFinished(id, Duration.ofSeconds(30));
        JsonNode rows = json(api("GET", "/api/alerts/v1/alerts/" + id + "/not-reached", null)).path("not_reached");
        assertThat(rows.size()).isEqualTo(3);
        rows.forEach(row -> assertThat(row.path("language").asString()).isEqualTo("es"));
    }

    @Test
    void badTranslationsAre400NamingTheFieldAndNothingIsWritten() {
        List<String> rs = List.of(recipient("a", "A", "a@example.org", "+12025558201", "es"));
        Map<String, String> cases = Map.of(
                "{\"xx\": {\"subject\": \"s\", \"text\": \"t\"}}", "translations.xx",
                "{\"es\": {\"subject\": \"s\"}}", "translations.es.text",
                "{\"es\": {\"text\": \"t\"}}", "translations.es.subject",
                "{\"es\": {\"subject\": \"s\", \"text\": \"" + "x".repeat(1601) + "\"}}", "translations.es.text",
                "{\"es\": {\"subject\": \"s\", \"text\": \"t\", \"voice_text\": \"" + "v".repeat(4001) + "\"}}",
                "translations.es.voice_text",
                "{\"en\": {\"subject\": \"s\", \"text\": \"t\"}}", "translations.en");
        for (var c : cases.entrySet()) {
            Set<String> before = redis.keys("apiary:alert:*");
            HttpResponse<String> r = send("POST", "/api/alerts/v1/alerts", body(c.getKey(), rs),
                    Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json",
                            "Idempotency-Key", "bad-translation-" + c.getValue()));
            assertThat(r.statusCode()).as(c.getValue()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
            JsonNode problem = json(r);
            List<String> fields = new java.util.ArrayList<>();
            problem.path("errors").forEach(e -> fields.add(e.path("field").asString()));
            assertThat(fields).as(c.getValue()).contains(c.getValue());
            Set<String> after = redis.keys("apiary:alert:*");
            after.removeIf(TranslationFlowTest::background);
            before.removeIf(TranslationFlowTest::background);
            assertThat(after).as(c.getValue()).isEqualTo(before);
        }
    }
}
