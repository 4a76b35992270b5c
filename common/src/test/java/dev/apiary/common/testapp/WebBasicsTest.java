package dev.apiary.common.testapp;

import static dev.apiary.common.testapp.TestHttp.json;
import static dev.apiary.common.testapp.TestHttp.request;
import static dev.apiary.common.testapp.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.test.RedisTestServer;
import tools.jackson.databind.JsonNode;

@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apiary.security.api-keys=test-key-1,test-key-2",
        "apiary.security.public-paths=/api/test/v1/open/**",
        "apiary.web.max-body-size=2KB"})
@ExtendWith(OutputCaptureExtension.class)
class WebBasicsTest {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
    }

    @LocalServerPort
    int port;

    private HttpResponse<String> post(String path, String body, String key) {
        var b = request(port, path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return send(b);
    }

    private static void assertProblem(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode p = json(r);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asString()).isNotBlank();
    }

    @Test
    void aValidRequestWithAKeyWorks() {
        var r = post("/api/test/v1/widgets", "{\"name\":\"hive\",\"size_inches\":3}", "test-key-2");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("size_inches").asInt()).isEqualTo(3);
    }

    @Test
    void malformedJsonIsA400Problem() {
        var r = post("/api/test/v1/widgets", "{\"name\": ", "test-key-1");
        assertProblem(r, 400);
        assertThat(json(r).get("title").asString()).isEqualTo("Malformed request body");
    }

    @Test
    void validationErrorsListEachFieldInSnakeCase() {
        var r = post("/api/test/v1/widgets", "{\"name\":\"\",\"size_inches\":0}", "test-key-1");
        assertProblem(r, 400);
        List<String> fields = StreamSupport.stream(json(r).get("errors").spliterator(), false)
                .map(e -> e.get("field").asString()).sorted().toList();
        assertThat(fields).containsExactly("name", "size_inches");
    }

    @Test
    void anOversizedBodyIsA413ProblemAndNeverReachesTheHandler(CapturedOutput out) {
        String big = "{\"name\":\"" + "x".repeat(5000) + "\",\"size_inches\":1}";
        var r = post("/api/test/v1/widgets", big, "test-key-1");
        assertProblem(r, 413);
        assertThat(out.getOut()).doesNotContain("widget created");
    }

    @Test
    void anUnknownIdIsA404Problem() {
        var r = send(request(port, "/api/test/v1/widgets/nope").header("Authorization", "Bearer test-key-1"));
        assertProblem(r, 404);
        assertThat(json(r).get("detail").asString()).contains("nope");
    }

    @Test
    void aWrongMethodIsA405Problem() {
        var r = send(request(port, "/api/test/v1/widgets/x").header("Authorization", "Bearer test-key-1")
                .DELETE());
        assertProblem(r, 405);
    }

    @Test
    void apiPathsNeedAValidKey() {
        assertProblem(post("/api/test/v1/widgets", "{\"name\":\"a\",\"size_inches\":1}", null), 401);
        assertProblem(post("/api/test/v1/widgets", "{\"name\":\"a\",\"size_inches\":1}", "test-key-3"), 401);
        assertProblem(post("/api/test/v1/widgets", "{\"name\":\"a\",\"size_inches\":1}", "test-key-1x"), 401);
        var noKey = post("/api/test/v1/widgets", "{}", null);
        assertThat(noKey.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void healthAndPublicPathsAreOpen() {
        assertThat(send(request(port, "/actuator/health/liveness")).statusCode()).isEqualTo(200);
        assertThat(send(request(port, "/actuator/health/readiness")).statusCode()).isEqualTo(200);
        assertThat(send(request(port, "/api/test/v1/open/ping")).statusCode()).isEqualTo(200);
    }

    @Test
    void requestIdIsEchoedGeneratedAndLogged(CapturedOutput out) {
        var given = send(request(port, "/api/test/v1/widgets/none").header("X-Request-Id", "req-abc-123")
                .header("Authorization", "Bearer test-key-1"));
        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("req-abc-123");

        var made = post("/api/test/v1/widgets", "{\"name\":\"w\",\"size_inches\":2}", "test-key-1");
        String id = made.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(out.getOut()).containsPattern("\\[" + id + " trace=[0-9a-f]{32}\\] .*widget created");
    }

    @Test
    void aCallersTraceparentIsJoinedAndItsTraceIdLogged(CapturedOutput out) {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var made = send(request(port, "/api/test/v1/widgets").header("Authorization", "Bearer test-key-1")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"traced\",\"size_inches\":2}")));
        assertThat(made.statusCode()).isEqualTo(200);
        String id = made.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(out.getOut()).containsPattern("\\[" + id + " trace=" + traceId + "\\] .*widget created");
    }
}
