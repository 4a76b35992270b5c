package dev.apiary.alert.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class CoreTest {

    @Test
    void phonesBecomeE164WithTheDefaultRegionAndEmailsAreChecked() {
        Addresses us = new Addresses("US");
        assertThat(us.phone("(202) 555-0101")).contains("+12025550101");
        assertThat(us.phone("+44 20 7946 0958")).contains("+442079460958");
        assertThat(us.phone("12345")).isEmpty();
        assertThat(us.phone("not a phone")).isEmpty();
        assertThat(new Addresses("GB").phone("020 7946 0958")).contains("+442079460958");
        assertThat(us.email(" Ana@Example.ORG ")).contains("ana@example.org");
        assertThat(us.email("ana@example")).isEmpty();
        assertThat(us.email("ana@@example.org")).isEmpty();
        assertThat(us.email("a b@example.org")).isEmpty();
        assertThat(us.email("ana..x@example.org")).isEmpty();
    }

    @Test
    void planDedupesSharedAddressesAndReportsUnusableOnes() {
        var plan = AlertPlan.build(List.of(Channel.SMS, Channel.EMAIL, Channel.VOICE), List.of(
                new AlertPlan.Recipient("1", "A", "same@example.org", "202-555-0101", "es"),
                new AlertPlan.Recipient("2", "B", "SAME@example.org", "(202) 555 0101", null),
                new AlertPlan.Recipient("3", "C", null, "bogus", null)), new Addresses("US"), "en");
        assertThat(plan.of(Channel.SMS)).singleElement().satisfies(d -> {
            assertThat(d.address()).isEqualTo("+12025550101");
            assertThat(d.recipientIds()).containsExactly("1", "2");
            assertThat(d.language()).isEqualTo("es");
        });
        assertThat(plan.of(Channel.VOICE)).hasSize(1);
        assertThat(plan.of(Channel.EMAIL)).singleElement().satisfies(d -> assertThat(d.recipientIds()).containsExactly("1", "2"));
        assertThat(plan.deliveries().getFirst().channel()).isEqualTo(Channel.EMAIL);
        assertThat(plan.rejected()).containsExactlyInAnyOrder(
                new AlertPlan.Rejection("3", "sms", "invalid_phone"),
                new AlertPlan.Rejection("3", "voice", "invalid_phone"),
                new AlertPlan.Rejection("3", "email", "no_email"));
    }

    @Test
    void statesOnlyMoveForward() {
        assertThat(DeliveryStates.canMove("queued", "sending")).isTrue();
        assertThat(DeliveryStates.canMove("sent", "delivered")).isTrue();
        assertThat(DeliveryStates.canMove("delivered", "sent")).isFalse();
        assertThat(DeliveryStates.canMove("delivered", "undelivered")).isFalse();
        assertThat(DeliveryStates.canMove("sent", "sent")).isFalse();
        assertThat(DeliveryStates.fromTwilioMessage("queued")).isEqualTo("sent");
        assertThat(DeliveryStates.fromTwilioMessage("undelivered")).isEqualTo("undelivered");
        assertThat(DeliveryStates.fromTwilioCall("no-answer")).isEqualTo("no_answer");
        assertThat(DeliveryStates.fromTwilioCall("ringing")).isEqualTo("sent");
        assertThat(DeliveryStates.fromMailgun("failed", "temporary")).isNull();
        assertThat(DeliveryStates.fromMailgun("failed", "permanent")).isEqualTo("failed");
        assertThat(DeliveryStates.fromMailgun("opened", null)).isNull();
    }

    @Test
    void viewTokensAreBoundToOneAlertAndExpire() {
        ViewToken t = new ViewToken("secret");
        Instant now = Instant.parse("2026-11-26T07:00:00Z");
        String token = t.mint("al1", now.plusSeconds(60));
        assertThat(t.valid(token, "al1", now)).isTrue();
        assertThat(t.valid(token, "al2", now)).isFalse();
        assertThat(t.valid(token, "al1", now.plusSeconds(61))).isFalse();
        assertThat(new ViewToken("other").valid(token, "al1", now)).isFalse();
        assertThat(t.valid(token.substring(0, token.length() - 2) + "xx", "al1", now)).isFalse();
        assertThat(t.valid("garbage", "al1", now)).isFalse();
        assertThat(t.valid(null, "al1", now)).isFalse();
    }

    @Test
    void twimlSaysTheTextInTheRecipientsLanguageEscaped() {
        assertThat(Twiml.say("Closed <today> & \"tomorrow\"", "es"))
                .contains("<Say language=\"es-MX\">Closed &lt;today&gt; &amp; \"tomorrow\"</Say>");
        assertThat(Twiml.sayLanguage(null)).isEqualTo("en-US");
        assertThat(Twiml.sayLanguage("fr-CA")).isEqualTo("fr-CA");
        assertThat(Twiml.sayLanguage("FR-ca")).isEqualTo("fr-CA");
        assertThat(Twiml.sayLanguage("xx")).isEqualTo("en-US");
    }

    @Test
    void aLanguageCannotAddTwimlElements() throws Exception {
        String hostile = "en-US\"><Dial>+15005550006</Dial><Say language=\"en-US";
        assertThat(Voices.supported(hostile)).isFalse();
        for (String text : List.of("Closed today", hostile)) {
            String xml = Twiml.say(text, hostile);
            var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            var root = doc.getDocumentElement();
            assertThat(root.getTagName()).isEqualTo("Response");
            List<String> children = new java.util.ArrayList<>();
            for (int i = 0; i < root.getChildNodes().getLength(); i++) {
                if (root.getChildNodes().item(i) instanceof org.w3c.dom.Element e) {
                    children.add(e.getTagName() + "[" + e.getAttribute("language") + "]");
                }
            }
            assertThat(children).as(xml).containsExactly("Say[en-US]", "Pause[]", "Say[en-US]");
            assertThat(doc.getElementsByTagName("Dial").getLength()).isZero();
            assertThat(root.getElementsByTagName("Say").item(0).getTextContent()).isEqualTo(text);
        }
    }

    @Test
    void languagesAreBcp47TagsWithAVoice() {
        assertThat(List.of("en", "en-US", "es", "es-MX", "es-us", "fr-CA", "ar", "arb", "zh", "cmn-CN", "ja-JP"))
                .allSatisfy(t -> assertThat(Voices.supported(t)).as(t).isTrue());
        assertThat(Arrays.asList("xx", "en-XX", "en_US", "english", "", " ", null, "en-US-x-<Dial>", "tlh"))
                .allSatisfy(t -> assertThat(Voices.supported(t)).as(String.valueOf(t)).isFalse());
    }

    @Test
    void backoffHonoursRetryAfterAndGrowsWithJitter() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        for (int i = 0; i < 50; i++) {
            assertThat(b.delay(1, Duration.ofSeconds(2)).toMillis()).isBetween(2000L, 2100L);
            assertThat(b.delay(1, null).toMillis()).isBetween(50L, 100L);
            assertThat(b.delay(4, null).toMillis()).isBetween(400L, 800L);
            assertThat(b.delay(30, null).toMillis()).isBetween(2500L, 5000L);
        }
    }
}
