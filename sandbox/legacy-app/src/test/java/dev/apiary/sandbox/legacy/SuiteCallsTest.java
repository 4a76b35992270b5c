package dev.apiary.sandbox.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.apiary.sandbox.legacy.school.Model.Guardian;
import dev.apiary.sandbox.legacy.school.SchoolData;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What the legacy app sends the services when its pages ask (a real HTTP server stands in for nginx and the
 * services): the API key, the office user as X-Apiary-Actor, and the school the work is for.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "apiary.legacy.office-user=office-7")
class SuiteCallsTest {

    record Call(String method, String path, String auth, String actor, String idempotencyKey, String body) {}

    static final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    static final HttpServer suite = start();

    static HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/", ex -> {
                try (ex) {
                    var h = ex.getRequestHeaders();
                    calls.add(new Call(ex.getRequestMethod(), ex.getRequestURI().getPath(), h.getFirst("Authorization"),
                            h.getFirst("X-Apiary-Actor"), h.getFirst("Idempotency-Key"),
                            new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                    byte[] b = "{\"id\":\"x1\"}".getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    ex.sendResponseHeaders(202, b.length);
                    ex.getResponseBody().write(b);
                }
            });
            s.start();
            return s;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("spring.data.redis.host", () -> "127.0.0.1");
        r.add("spring.data.redis.port", () -> RedisServer.shared().port);
        r.add("apiary.legacy.suite-url", () -> "http://127.0.0.1:" + suite.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        suite.stop(0);
    }

    @LocalServerPort
    int port;
    @Autowired
    ObjectMapper json;
    @Autowired
    SchoolData school;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void clear() {
        calls.clear();
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    Call next() throws InterruptedException {
        Call c = calls.poll(10, TimeUnit.SECONDS);
        assertThat(c).as("a call to the suite").isNotNull();
        return c;
    }

    @Test
    void reportCardsNameTheOfficeUserAndTheSchool() throws Exception {
        assertThat(post("/report-cards?grade=7&limit=2", "").statusCode()).isEqualTo(202);
        Call c = next();
        assertThat(c.method()).isEqualTo("POST");
        assertThat(c.path()).isEqualTo("/api/pdf/v1/reports");
        assertThat(c.auth()).isEqualTo("Bearer dev-key");
        assertThat(c.actor()).isEqualTo("office-7");
        assertThat(c.idempotencyKey()).isNotBlank();
        JsonNode body = json.readTree(c.body());
        assertThat(body.get("school_id").asString()).isEqualTo("lakeview");
        assertThat(body.get("students")).hasSize(2);

        assertThat(post("/report-cards?school_id=hillcrest&grade=7&limit=3", "").statusCode()).isEqualTo(202);
        JsonNode hill = json.readTree(next().body());
        assertThat(hill.get("school_id").asString()).isEqualTo("hillcrest");
        assertThat(hill.get("school").get("name").asString()).isEqualTo("Hillcrest Middle School");
        int firstHillcrest = school.studentsOfGrade("hillcrest", 7).getFirst().id();
        assertThat(hill.get("students").get(0).get("id").asString()).isEqualTo("LIS-" + firstHillcrest);

        assertThat(post("/report-cards?school_id=nowhere", "").statusCode()).isEqualTo(400);
        assertThat(calls.poll(300, TimeUnit.MILLISECONDS)).as("nothing sent for an unknown school").isNull();
    }

    @Test
    void anAlertForASectionIsForThatSectionsSchool() throws Exception {
        var r = post("/urgent-alert", "{\"subject\":\"s\",\"text\":\"t\",\"channels\":[\"sms\"],\"section_id\":701}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        Call c = next();
        assertThat(c.path()).isEqualTo("/api/alerts/v1/alerts");
        assertThat(c.actor()).isEqualTo("office-7");
        JsonNode body = json.readTree(c.body());
        assertThat(body.get("school_id").asString()).isEqualTo("hillcrest");
        List<String> expected = school.guardians("hillcrest", null, 701).stream().map(Guardian::id)
                .map(id -> "guardian-" + id).toList();
        assertThat(body.get("recipients").valueStream().map(g -> g.get("id").asString()).toList())
                .containsExactlyElementsOf(expected);

        post("/urgent-alert", "{\"subject\":\"s\",\"text\":\"t\",\"channels\":[\"sms\"],\"grade\":7,\"limit\":5}");
        assertThat(json.readTree(next().body()).get("school_id").asString()).isEqualTo("lakeview");
    }
}
