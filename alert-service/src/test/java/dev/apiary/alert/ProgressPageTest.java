package dev.apiary.alert;

import static dev.apiary.alert.AlertFlowTest.alertJson;
import static dev.apiary.alert.AlertFlowTest.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.apiary.alert.support.AlertServiceTestBase;
import dev.apiary.alert.support.Chromium;
import tools.jackson.databind.JsonNode;

/** The live progress page in real headless Chromium, fed by the SSE stream. */
class ProgressPageTest extends AlertServiceTestBase {

    @BeforeEach
    void reset() {
        sandbox().reset(Map.of("latency_ms", 40));
    }

    @Test
    void pageShowsBarsCountsAndWhoWasNotReached() throws Exception {
        assertThat(Chromium.binary()).as("chromium is installed").isNotNull();
        List<String> rs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rs.add(recipient("ok" + i, "Guardian " + i, "ok" + i + "@example.org", "+1202557" + String.format("%04d", i), null));
        }
        rs.add(recipient("bad1", "Zoë <b>Bold</b>", "bounce.z@example.org", "+12025559904", null));
        rs.add(recipient("bad2", "Yann", null, "+12025559901", null));
        JsonNode created = json(api("POST", "/api/alerts/v1/alerts",
                alertJson("east", List.of("email", "sms"), rs)));
        String id = created.path("id").asString();
        String pageUrl = base() + created.path("page_url").asString();

        try (Chromium browser = new Chromium()) {
            browser.navigate(pageUrl);
            browser.waitFor("document.body.dataset.complete === 'true'", Duration.ofSeconds(40));
            JsonNode sms = browser.eval("""
                    (() => { const b = document.querySelector('[data-channel="sms"]');
                      return {total: b.dataset.total, finished: b.dataset.finished, reached: b.dataset.reached,
                              width: b.querySelector('.reached').style.width,
                              counts: b.querySelector('.counts').textContent}; })()""");
            assertThat(sms.path("total").asString()).isEqualTo("42");
            assertThat(sms.path("finished").asString()).isEqualTo("42");
            assertThat(sms.path("reached").asString()).isEqualTo("40");
            assertThat(sms.path("width").asString()).isEqualTo("95.2%");
            assertThat(sms.path("counts").asString()).contains("delivered: 40").contains("undelivered: 1").contains("failed: 1");
            JsonNode email = browser.eval("document.querySelector('[data-channel=\"email\"]').dataset.reached");
            assertThat(email.asString()).isEqualTo("40");
            JsonNode rows = browser.eval("""
                    Array.from(document.querySelectorAll('#unreached tbody tr')).map(tr =>
                      Array.from(tr.children).map(td => td.textContent).join('|'))""");
            List<String> lines = new ArrayList<>();
            rows.forEach(r -> lines.add(r.asString()));
            assertThat(lines).containsExactlyInAnyOrder(
                    "bad1|Zoë <b>Bold</b>|email|mailgun bounce 550",
                    "bad1|Zoë <b>Bold</b>|sms|twilio 30003 undelivered",
                    "bad2|Yann|sms|twilio 21211 invalid_number",
                    "bad2|Yann|email|no_email");
            assertThat(browser.eval("document.getElementById('unreached-count').textContent").asString()).isEqualTo("4");
            assertThat(browser.eval("document.getElementById('state').dataset.state").asString()).isEqualTo("done");
            // the name was shown as text, never parsed as HTML
            assertThat(browser.eval("document.querySelectorAll('#unreached b').length").asInt()).isZero();
        }

        // without a valid view token the page and its stream are refused
        assertThat(send("GET", "/alerts/" + id + "?t=forged", null, Map.of()).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/alerts/" + id + "/events?t=forged", null, Map.of()).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/alerts/" + id + "/not-reached", null, Map.of()).statusCode()).isEqualTo(403);
    }
}
