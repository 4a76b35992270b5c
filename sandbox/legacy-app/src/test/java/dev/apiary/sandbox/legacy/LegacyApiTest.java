package dev.apiary.sandbox.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LegacyApiTest {
    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        r.add("spring.data.redis.host", () -> "127.0.0.1");
        r.add("spring.data.redis.port", () -> RedisServer.shared().port);
    }

    @LocalServerPort
    int port;
    @Autowired
    RedisConnectionFactory redis;
    @Autowired
    ObjectMapper json;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void reset() throws Exception {
        send("POST", "/demo/reset", "");
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json");
        b = switch (method) {
            case "PUT" -> b.PUT(HttpRequest.BodyPublishers.ofString(body));
            case "POST" -> b.POST(HttpRequest.BodyPublishers.ofString(body));
            default -> b.GET();
        };
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode gradebook(int id) throws Exception {
        return json.readTree(send("GET", "/api/v1/sections/" + id + "/gradebook", null).body());
    }

    @Test
    void gradebookInTheDesignFormat() throws Exception {
        JsonNode g = gradebook(101);
        assertThat(g.get("section").get("id").asInt()).isEqualTo(101);
        assertThat(g.get("section").get("name").asString()).isEqualTo("Grade 7 Science A");
        assertThat(g.get("section").get("school_id").asString()).isEqualTo("lakeview");
        assertThat(gradebook(701).get("section").get("school_id").asString()).isEqualTo("hillcrest");
        assertThat(g.get("weighting").asString()).isEqualTo("percent");
        assertThat(g.get("grading_standard").get(0).get(0).asString()).isEqualTo("A");
        assertThat(g.get("grading_standard").get(0).get(1).asDouble()).isEqualTo(0.94);
        assertThat(g.get("late_policy").has("missing_submission_deduction_enabled")).isTrue();
        JsonNode group = g.get("groups").get(0);
        assertThat(group.get("rules").get("drop_lowest").asInt()).isEqualTo(1);
        assertThat(group.get("rules").get("never_drop").get(0).asInt()).isEqualTo(g.get("assignments").get(0).get("id").asInt());
        JsonNode a = g.get("assignments").get(0);
        assertThat(a.has("group_id") && a.has("points_possible") && a.has("omit_from_final_grade")).isTrue();
        JsonNode s = g.get("scores").get(0);
        assertThat(s.has("student_id") && s.has("assignment_id") && s.has("score") && s.has("excused") && s.has("missing")).isTrue();
        assertThat(gradebook(102).get("weighting").asString()).isEqualTo("points");
        assertThat(send("GET", "/api/v1/sections/999/gradebook", null).statusCode()).isEqualTo(404);
    }

    @Test
    void scoreWriteIsStoredAndPublishedAsAChangeEvent() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        RedisMessageListenerContainer c = new RedisMessageListenerContainer();
        c.setConnectionFactory(redis);
        CountDownLatch subscribed = new CountDownLatch(1);
        class Listener implements MessageListener, SubscriptionListener {
            public void onMessage(Message m, byte[] pattern) {
                events.add(new String(m.getBody(), StandardCharsets.UTF_8));
            }

            public void onChannelSubscribed(byte[] channel, long count) {
                subscribed.countDown();
            }
        }
        c.addMessageListener(new Listener(), new ChannelTopic("apiary:gradebook:changes"));
        c.afterPropertiesSet();
        c.start();
        try {
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).as("subscribed to the change channel").isTrue();
            JsonNode g = gradebook(101);
            int student = g.get("students").get(2).get("id").asInt();
            int assignment = g.get("assignments").get(3).get("id").asInt();
            HttpResponse<String> r = send("PUT", "/api/v1/sections/101/scores",
                    "{\"student_id\":" + student + ",\"assignment_id\":" + assignment + ",\"score\":7.5,\"excused\":false}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String event = events.poll(5, TimeUnit.SECONDS);
            assertThat(event).isNotNull();
            JsonNode e = json.readTree(event);
            assertThat(e.get("section_id").asInt()).isEqualTo(101);
            assertThat(e.get("kind").asString()).isEqualTo("score");
            assertThat(e.get("student_id").asInt()).isEqualTo(student);
            assertThat(e.get("assignment_id").asInt()).isEqualTo(assignment);
            assertThat(e.get("score").asDouble()).isEqualTo(7.5);
            assertThat(e.get("excused").asBoolean()).isFalse();
            assertThat(score(gradebook(101), student, assignment).get("score").asDouble()).isEqualTo(7.5);
        } finally {
            c.stop();
            c.destroy();
        }
    }

    static JsonNode score(JsonNode g, int student, int assignment) {
        for (JsonNode s : g.get("scores")) {
            if (s.get("student_id").asInt() == student && s.get("assignment_id").asInt() == assignment) return s;
        }
        return null;
    }

    @Test
    void badScoresAreRejectedNamingTheFieldAndNothingChanges() throws Exception {
        JsonNode g = gradebook(101);
        int student = g.get("students").get(0).get("id").asInt();
        int assignment = g.get("assignments").get(0).get("id").asInt();
        JsonNode before = score(g, student, assignment);
        for (var c : List.of(
                List.of("{\"student_id\":1,\"assignment_id\":" + assignment + ",\"score\":1}", "student_id"),
                List.of("{\"student_id\":" + student + ",\"assignment_id\":1,\"score\":1}", "assignment_id"),
                List.of("{\"student_id\":" + student + ",\"assignment_id\":" + assignment + ",\"score\":-1}", "score"),
                List.of("{\"assignment_id\":" + assignment + ",\"score\":1}", "student_id"),
                List.of("{\"student_id\":" + student + ",\"assignment_id\":" + assignment + ",\"score\":\"abc\"}", "score"),
                List.of("{\"student_id\":" + student + ",\"assignment_id\":" + assignment + ",\"score\":1,\"actor\":\""
                        + "u".repeat(129) + "\"}", "actor"),
                List.of("{not json", "body"))) {
            HttpResponse<String> r = send("PUT", "/api/v1/sections/101/scores", c.get(0));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(json.readTree(r.body()).get("errors").get(0).get("field").asString()).isEqualTo(c.get(1));
        }
        assertThat(score(gradebook(101), student, assignment)).isEqualTo(before);
        assertThat(send("PUT", "/api/v1/sections/999/scores", "{\"student_id\":1,\"assignment_id\":1,\"score\":1}")
                .statusCode()).isEqualTo(404);
    }

    @Test
    void theSystemOfRecordKeepsWhoChangedAScore() throws Exception {
        JsonNode g = gradebook(102);
        int student = g.get("students").get(1).get("id").asInt();
        int assignment = g.get("assignments").get(2).get("id").asInt();
        assertThat(json.readTree(send("GET", "/api/v1/sections/102/score-changes", null).body())).isEmpty();
        HttpResponse<String> r = send("PUT", "/api/v1/sections/102/scores", "{\"student_id\":" + student
                + ",\"assignment_id\":" + assignment + ",\"score\":6,\"actor\":\"teacher-102\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json.readTree(r.body()).get("actor").asString()).isEqualTo("teacher-102");
        send("PUT", "/api/v1/sections/102/scores", "{\"student_id\":" + student + ",\"assignment_id\":" + assignment
                + ",\"score\":7}");
        JsonNode changes = json.readTree(send("GET", "/api/v1/sections/102/score-changes", null).body());
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).get("actor").asString()).isEqualTo("teacher-102");
        assertThat(changes.get(0).get("score").asDouble()).isEqualTo(6);
        assertThat(changes.get(0).get("student_id").asInt()).isEqualTo(student);
        assertThat(changes.get(0).get("changed_at").asString()).isNotBlank();
        assertThat(changes.get(1).get("actor").isNull()).as("a write naming nobody").isTrue();
        assertThat(send("GET", "/api/v1/sections/999/score-changes", null).statusCode()).isEqualTo(404);
        send("POST", "/demo/reset", "");
        assertThat(json.readTree(send("GET", "/api/v1/sections/102/score-changes", null).body())).isEmpty();
    }

    @Test
    void sectionsNameTheirSchool() throws Exception {
        JsonNode all = json.readTree(send("GET", "/api/v1/sections", null).body());
        assertThat(all).hasSize(17);
        JsonNode hill = json.readTree(send("GET", "/api/v1/sections?school_id=hillcrest", null).body());
        assertThat(hill).hasSize(3);
        assertThat(hill.get(0).get("id").asInt()).isEqualTo(701);
        assertThat(hill.get(0).get("school").asString()).isEqualTo("Hillcrest Middle School");
        JsonNode guardians = json.readTree(send("GET", "/api/v1/guardians?school_id=hillcrest&section_id=101", null).body());
        assertThat(guardians).as("section 101 is not Hillcrest's").isEmpty();
    }

    JWTClaimsSet token(String query) throws Exception {
        HttpResponse<String> r = send("GET", "/demo/token?" + query, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        SignedJWT jwt = SignedJWT.parse(json.readTree(r.body()).get("token").asString());
        assertThat(jwt.verify(new MACVerifier("apiary-dev-jwt-secret-please-change-0123456789"))).isTrue();
        return jwt.getJWTClaimsSet();
    }

    @Test
    void mintsAVerifiableHs256Token() throws Exception {
        long before = System.currentTimeMillis();
        JWTClaimsSet c = token("sub=t-9&role=teacher&sections=101,102&ttl_seconds=60");
        long after = System.currentTimeMillis();
        assertThat(c.getSubject()).isEqualTo("t-9");
        assertThat(c.getStringClaim("role")).isEqualTo("teacher");
        assertThat(c.getStringClaim("school_id")).isEqualTo("lakeview");
        assertThat(c.getListClaim("sections")).hasSize(2);
        assertThat(c.getIssuer()).isEqualTo("apiary-legacy-app");
        assertThat(c.getAudience()).containsExactly("apiary-gradebook");
        assertThat(c.getIssueTime().getTime()).isBetween(before - 1_000, after);   // whole seconds
        assertThat(c.getExpirationTime().getTime() - c.getIssueTime().getTime()).isEqualTo(60_000);
        assertThat(send("GET", "/demo/token?role=root", null).statusCode()).isEqualTo(400);
    }

    @Test
    void aTokensSchoolIsItsSectionsSchoolOrTheOneAskedFor() throws Exception {
        assertThat(token("sections=701,702").getStringClaim("school_id")).isEqualTo("hillcrest");
        assertThat(token("sections=101,701").getStringClaim("school_id")).as("mixed: the default school").isEqualTo("lakeview");
        assertThat(token("sections=701&school_id=lakeview").getStringClaim("school_id")).isEqualTo("lakeview");
        JWTClaimsSet admin = token("role=admin&school_id=hillcrest");
        assertThat(admin.getStringClaim("school_id")).isEqualTo("hillcrest");
        assertThat(admin.getListClaim("sections")).map(o -> ((Number) o).intValue()).containsExactly(701, 702, 703);
        HttpResponse<String> link = send("GET", "/sections/702/open-gradebook", null);
        String handedOver = link.headers().firstValue("Location").orElseThrow().replaceFirst(".*#token=", "");
        JWTClaimsSet teacher = SignedJWT.parse(handedOver).getJWTClaimsSet();
        assertThat(teacher.getStringClaim("school_id")).isEqualTo("hillcrest");
        assertThat(teacher.getListClaim("sections")).map(o -> ((Number) o).intValue()).containsExactly(702);
    }

    @Test
    void pagesAreServed() throws Exception {
        for (String p : List.of("/", "/report-cards", "/urgent-alert")) {
            HttpResponse<String> r = send("GET", p, null);
            assertThat(r.statusCode()).as(p).isEqualTo(200);
            assertThat(r.body()).contains("Beehively");
        }
        HttpResponse<String> link = send("GET", "/sections/103/open-gradebook", null);
        assertThat(link.statusCode()).isEqualTo(302);
        assertThat(link.headers().firstValue("Location").orElse("")).startsWith("/gradebook/sections/103#token=");
    }
}
