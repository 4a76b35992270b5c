package dev.apiary.alert;

import static dev.apiary.alert.AlertFlowTest.alertJson;
import static dev.apiary.alert.AlertFlowTest.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.apiary.alert.support.AlertServiceTestBase;
import dev.apiary.common.test.Await;
import dev.apiary.sandbox.providers.sim.Callbacks;
import tools.jackson.databind.JsonNode;

/**
 * Opt-outs both ways through sandbox/providers: STOP / START / HELP texts, Mailgun unsubscribes and complaints,
 * Twilio 21610, the tenant-scoped API with its audit trail; opted-out recipients never reach the provider.
 */
class OptOutTest extends AlertServiceTestBase {
    static final String NORTH_NUMBER = "+15005550777";

    @BeforeEach
    void reset() {
        sandbox().reset(Map.of());
    }

    /** A number no other test uses (the lists live in the shared Redis and outlast a test). */
    static String freshPhone() {
        return "+1202555" + (1000 + ThreadLocalRandom.current().nextInt(8000));
    }

    static String freshEmail(String prefix) {
        return prefix + ThreadLocalRandom.current().nextInt(1_000_000) + "@example.org";
    }

    private JsonNode list(String key, String school, String channel) {
        return json(send("GET", "/api/alerts/v1/opt-outs?school_id=" + school + "&channel=" + channel, null,
                Map.of("Authorization", "Bearer " + key)));
    }

    private boolean listed(String school, String channel, String address) {
        for (JsonNode item : list(KEY, school, channel).path("items")) {
            if (item.path("address").asString().equals(address)) {
                return true;
            }
        }
        return false;
    }

    private HttpResponse<String> remove(String key, String school, String channel, String address, String actor) {
        Map<String, String> h = new HashMap<>(Map.of("Authorization", "Bearer " + key));
        if (actor != null) {
            h.put("X-Apiary-Actor", actor);
        }
        return send("DELETE", "/api/alerts/v1/opt-outs?school_id=" + school + "&channel=" + channel + "&address="
                + URLEncoder.encode(address, StandardCharsets.UTF_8), null, h);
    }

    private JsonNode states(JsonNode alert, String channel) {
        return alert.path("channels").path(channel).path("states");
    }

    @Test
    void stopOptsANumberOutOfTextsAndCallsAndStartOptsItBackIn() {
        String phone = freshPhone();
        JsonNode stop = sandbox().inboundSms(phone, NORTH_NUMBER, "  Stop\n");
        assertThat(stop.path("status").asInt()).isEqualTo(200);
        assertThat(stop.path("body").asString()).contains("<Response").doesNotContain("<Message");
        assertThat(listed("north", "sms", phone)).isTrue();
        assertThat(listed("south", "sms", phone)).isFalse();   // north has its own number: its own list

        String id = create(alertJson("north", List.of("sms", "voice"),
                List.of(recipient("p1", "P", null, phone, null))), null);
        JsonNode created = awaitFinished(id, Duration.ofSeconds(20));
        assertThat(states(created, "sms").path("opted_out").asInt()).isEqualTo(1);
        assertThat(states(created, "voice").path("opted_out").asInt()).isEqualTo(1);
        assertThat(sandbox().truth("sms").has(phone)).isFalse();
        assertThat(sandbox().truth("voice").has(phone)).isFalse();

        // not a keyword: "yes please" changes nothing; then START (any case) opts back in
        sandbox().inboundSms(phone, NORTH_NUMBER, "yes please");
        assertThat(listed("north", "sms", phone)).isTrue();
        sandbox().inboundSms(phone, NORTH_NUMBER, "start");
        assertThat(listed("north", "sms", phone)).isFalse();
        String again = create(alertJson("north", List.of("sms"), List.of(recipient("p1", "P", null, phone, null))), null);
        JsonNode sent = awaitFinished(again, Duration.ofSeconds(20));
        assertThat(states(sent, "sms").path("delivered").asInt()).isEqualTo(1);
        assertThat(sandbox().truth("sms").path(phone).path("accepted").asInt()).isEqualTo(1);

        JsonNode audit = json(api("GET", "/api/alerts/v1/opt-outs/audit?school_id=north", null));
        assertThat(audit.path("entries").get(0).path("action").asString()).isEqualTo("opt_out.removed");
        assertThat(audit.path("entries").get(0).path("target").asString()).contains(phone).contains("sms_start");
        assertThat(audit.path("entries").get(1).path("action").asString()).isEqualTo("opt_out.added");
    }

    @Test
    void helpGetsTheSchoolsHelpTextAndASharedNumberItsDefault() {
        JsonNode help = sandbox().inboundSms(freshPhone(), NORTH_NUMBER, "HELP");
        assertThat(help.path("content_type").asString()).startsWith("application/xml");
        assertThat(help.path("body").asString()).contains("<Message>North High alerts: call 202-555-0100. Reply STOP to stop.</Message>");
        JsonNode info = sandbox().inboundSms(freshPhone(), "+15005550006", " info ");
        assertThat(info.path("body").asString()).contains("<Message>School alerts. Reply STOP");
    }

    @Test
    void aForgedInboundMessageIsRefusedAndChangesNothing() {
        String phone = freshPhone();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("From", phone);
        params.put("To", NORTH_NUMBER);
        params.put("Body", "STOP");
        String url = base() + "/api/alerts/v1/webhooks/twilio/inbound";
        String body = "From=" + URLEncoder.encode(phone, StandardCharsets.UTF_8) + "&To="
                + URLEncoder.encode(NORTH_NUMBER, StandardCharsets.UTF_8) + "&Body=STOP";
        HttpResponse<String> forged = send("POST", url, body, Map.of("Content-Type",
                "application/x-www-form-urlencoded", "X-Twilio-Signature",
                Callbacks.twilioSignature("not-the-token", url, params)));
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> unsigned = send("POST", url, body, Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(listed("north", "sms", phone)).isFalse();
    }

    @Test
    void mailgunUnsubscribesAndComplaintsSuppressTheAddressForThatSchool() {
        String unsub = freshEmail("unsub");
        String complains = freshEmail("complains");
        String id = create(alertJson("north", List.of("email"), List.of(recipient("e1", "E", unsub, null, null),
                recipient("e2", "F", complains, null, null))), null);
        awaitFinished(id, Duration.ofSeconds(20));
        assertThat(sandbox().mailgunEvent("unsubscribed", unsub).path("status").asInt()).isEqualTo(200);
        assertThat(sandbox().mailgunEvent("complained", complains).path("status").asInt()).isEqualTo(200);
        JsonNode items = list(KEY, "north", "email").path("items");
        Map<String, String> sources = new HashMap<>();
        items.forEach(i -> sources.put(i.path("address").asString(), i.path("source").asString()));
        assertThat(sources).containsEntry(unsub, "mailgun_unsubscribed").containsEntry(complains, "mailgun_complained");
        assertThat(listed("south", "email", unsub)).isFalse();

        String later = create(alertJson("north", List.of("email"), List.of(recipient("e1", "E", unsub, null, null),
                recipient("e3", "G", "Other." + unsub, null, null))), null);
        JsonNode done = awaitFinished(later, Duration.ofSeconds(20));
        assertThat(states(done, "email").path("opted_out").asInt()).isEqualTo(1);
        assertThat(states(done, "email").path("delivered").asInt()).isEqualTo(1);
        assertThat(sandbox().truth("email").path(unsub).path("attempts").asInt()).isEqualTo(1);   // the first alert only
        JsonNode notReached = json(api("GET", "/api/alerts/v1/alerts/" + later + "/not-reached", null));
        assertThat(notReached.path("not_reached").get(0).path("reason").asString()).contains("unsubscribed");
    }

    @Test
    void twilio21610PutsTheNumberOnTheSendersList() {
        String id = create(alertJson("north", List.of("sms"),
                List.of(recipient("s1", "S", null, "+12025559903", null))), null);
        JsonNode done = awaitFinished(id, Duration.ofSeconds(20));
        assertThat(states(done, "sms").path("opted_out").asInt()).isEqualTo(1);
        JsonNode item = null;
        for (JsonNode i : list(KEY, "north", "sms").path("items")) {
            if (i.path("address").asString().equals("+12025559903")) {
                item = i;
            }
        }
        assertThat(item).isNotNull();
        assertThat(item.path("source").asString()).isEqualTo("twilio_21610");
        assertThat(item.path("created_at").asString()).isNotBlank();
    }

    @Test
    void theApiIsTenantScopedRemovalsAreAuditedAndBadInputChangesNothing() {
        String phone = freshPhone();
        sandbox().inboundSms(phone, NORTH_NUMBER, "STOP");
        // a client bound to north sees north's list, not another school's
        assertThat(list(NORTH_KEY, "north", "sms").path("items").toString()).contains(phone);
        assertThat(send("GET", "/api/alerts/v1/opt-outs?school_id=south&channel=sms", null,
                Map.of("Authorization", "Bearer " + NORTH_KEY)).statusCode()).isEqualTo(403);
        HttpResponse<String> foreign = remove(NORTH_KEY, "south", "sms", phone, null);
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(json(foreign).path("field").asString()).isEqualTo("school_id");
        assertThat(send("GET", "/api/alerts/v1/opt-outs/audit?school_id=south", null,
                Map.of("Authorization", "Bearer " + NORTH_KEY)).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/alerts/v1/opt-outs?school_id=north&channel=sms", null, Map.of())
                .statusCode()).isEqualTo(401);

        // bad input: 400 naming the field, the list unchanged
        HttpResponse<String> badChannel = remove(NORTH_KEY, "north", "fax", phone, null);
        assertThat(badChannel.statusCode()).isEqualTo(400);
        assertThat(json(badChannel).path("field").asString()).isEqualTo("channel");
        HttpResponse<String> badAddress = remove(NORTH_KEY, "north", "sms", "not a number", null);
        assertThat(json(badAddress).path("field").asString()).isEqualTo("address");
        HttpResponse<String> badActor = remove(NORTH_KEY, "north", "sms", phone, "no spaces allowed");
        assertThat(badActor.statusCode()).isEqualTo(400);
        assertThat(json(badActor).path("field").asString()).isEqualTo("X-Apiary-Actor");
        assertThat(listed("north", "sms", phone)).isTrue();
        assertThat(remove(NORTH_KEY, "north", "sms", freshPhone(), null).statusCode()).isEqualTo(404);

        // removal in national format (normalized), audited with client and actor
        String national = "(" + phone.substring(2, 5) + ") " + phone.substring(5, 8) + "-" + phone.substring(8);
        assertThat(remove(NORTH_KEY, "north", "sms", national, "office-7").statusCode()).isEqualTo(204);
        assertThat(listed("north", "sms", phone)).isFalse();
        JsonNode entry = json(send("GET", "/api/alerts/v1/opt-outs/audit?school_id=north&limit=1", null,
                Map.of("Authorization", "Bearer " + NORTH_KEY))).path("entries").get(0);
        assertThat(entry.path("action").asString()).isEqualTo("opt_out.removed");
        assertThat(entry.path("client").asString()).isEqualTo("north-app");
        assertThat(entry.path("actor").asString()).isEqualTo("office-7");
        assertThat(entry.path("target").asString()).isEqualTo("sms:" + phone);
        assertThat(remove(NORTH_KEY, "north", "sms", phone, null).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> officeAdds(String key, String body) {
        return send("POST", "/api/alerts/v1/opt-outs", body, Map.of("Authorization", "Bearer " + key,
                "Content-Type", "application/json", "X-Apiary-Actor", "office-3"));
    }

    @Test
    void theOfficeAddsAnAddressOnceAuditedAndBadInputChangesNothing() {
        String phone = freshPhone();
        String national = "(" + phone.substring(2, 5) + ") " + phone.substring(5, 8) + "-" + phone.substring(8);
        // bad input: 400 naming the field, nothing listed, nothing audited
        String auditBefore = json(send("GET", "/api/alerts/v1/opt-outs/audit?school_id=north&limit=1", null,
                Map.of("Authorization", "Bearer " + NORTH_KEY))).path("entries").toString();
        HttpResponse<String> badChannel = officeAdds(NORTH_KEY,
                "{\"school_id\":\"north\",\"channel\":\"fax\",\"address\":\"" + phone + "\"}");
        assertThat(badChannel.statusCode()).isEqualTo(400);
        assertThat(json(badChannel).path("field").asString()).isEqualTo("channel");
        HttpResponse<String> badAddress = officeAdds(NORTH_KEY,
                "{\"school_id\":\"north\",\"channel\":\"sms\",\"address\":\"call me maybe\"}");
        assertThat(json(badAddress).path("field").asString()).isEqualTo("address");
        HttpResponse<String> foreign = officeAdds(NORTH_KEY,
                "{\"school_id\":\"south\",\"channel\":\"sms\",\"address\":\"" + phone + "\"}");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(json(foreign).path("field").asString()).isEqualTo("school_id");
        assertThat(listed("north", "sms", phone)).isFalse();
        assertThat(json(send("GET", "/api/alerts/v1/opt-outs/audit?school_id=north&limit=1", null,
                Map.of("Authorization", "Bearer " + NORTH_KEY))).path("entries").toString()).isEqualTo(auditBefore);

        // added in national format, normalized; a second add changes nothing and answers 200 with the first entry
        HttpResponse<String> added = officeAdds(NORTH_KEY,
                "{\"school_id\":\"north\",\"channel\":\"sms\",\"address\":\"" + national + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(json(added).path("address").asString()).isEqualTo(phone);
        assertThat(json(added).path("source").asString()).isEqualTo("office");
        assertThat(listed("north", "sms", phone)).isTrue();
        JsonNode entry = json(send("GET", "/api/alerts/v1/opt-outs/audit?school_id=north&limit=1", null,
                Map.of("Authorization", "Bearer " + NORTH_KEY))).path("entries").get(0);
        assertThat(entry.path("action").asString()).isEqualTo("opt_out.added");
        assertThat(entry.path("actor").asString()).isEqualTo("office-3");
        assertThat(entry.path("target").asString()).isEqualTo("sms:" + phone);
        HttpResponse<String> again = officeAdds(NORTH_KEY,
                "{\"school_id\":\"north\",\"channel\":\"sms\",\"address\":\"" + phone + "\"}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("created_at").asString()).isEqualTo(json(added).path("created_at").asString());
        JsonNode latest = json(send("GET", "/api/alerts/v1/opt-outs/audit?school_id=north&limit=1", null,
                Map.of("Authorization", "Bearer " + NORTH_KEY))).path("entries").get(0);
        assertThat(latest).as("the second add is not audited: nothing changed").isEqualTo(entry);

        // and an alert to that number sends nothing to it
        String id = create(alertJson("north", List.of("sms"), List.of(recipient("o1", "O", null, phone, null))), null);
        JsonNode done = awaitFinished(id, Duration.ofSeconds(30));
        assertThat(states(done, "sms").path("opted_out").asInt()).isEqualTo(1);
        assertThat(sandbox().truth("sms").has(phone)).isFalse();
    }

    @Test
    void aNumberThatOptsOutAfterCreationIsNotSentTo() {
        String phone = freshPhone();
        String other = freshPhone();
        // every send takes 400 ms at the sandbox and at most 64 are in flight: the first 4 batches of 50 take over a
        // second, so the STOP arrives while the last batch (these two numbers) is still queued
        sandbox().config(Map.of("latency_ms", 400));
        List<String> rs = new java.util.ArrayList<>();
        for (int i = 0; i < 210; i++) {
            rs.add(recipient("q" + i, "Q", null, "+1202556" + (1000 + i), null));
        }
        rs.add(recipient("late", "L", null, phone, null));
        rs.add(recipient("other", "O", null, other, null));
        String id = create(alertJson("north", List.of("sms"), rs), null);
        sandbox().inboundSms(phone, NORTH_NUMBER, "STOP");
        JsonNode done = awaitFinished(id, Duration.ofSeconds(60));
        assertThat(states(done, "sms").path("opted_out").asInt()).isEqualTo(1);
        assertThat(states(done, "sms").path("delivered").asInt()).isEqualTo(211);
        assertThat(sandbox().truth("sms").has(phone)).isFalse();
        assertThat(sandbox().truth("sms").path(other).path("accepted").asInt()).isEqualTo(1);
    }
}
