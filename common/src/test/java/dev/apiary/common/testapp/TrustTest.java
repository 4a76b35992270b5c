package dev.apiary.common.testapp;

import static dev.apiary.common.testapp.TestHttp.json;
import static dev.apiary.common.testapp.TestHttp.request;
import static dev.apiary.common.testapp.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.test.RedisTestServer;

/** Clients bound to schools, owners on resources, the actor header, admin-only actuator, the nginx auth check. */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apiary.security.api-keys=legacy-key-for-every-school",
        "apiary.security.clients.lakeview.key=lakeview-key",
        "apiary.security.clients.lakeview.schools=lakeview",
        "apiary.security.clients.district.key=district-key",
        "apiary.security.clients.district.schools=lakeview,hillcrest",
        "apiary.security.clients.ops.key=ops-key",
        "apiary.security.clients.ops.schools=*",
        "apiary.security.clients.ops.scopes=admin",
        "apiary.web.path-limits.[/api/test/v1/small/**]=100B"})
@ExtendWith(OutputCaptureExtension.class)
class TrustTest {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
    }

    @LocalServerPort
    int port;

    private HttpResponse<String> create(String school, String key, String actor) {
        var b = request(port, "/api/test/v1/notes").header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(BodyPublishers.ofString("{\"school_id\":\"" + school + "\",\"text\":\"hi\"}"));
        if (actor != null) b.header("X-Apiary-Actor", actor);
        return send(b);
    }

    private HttpResponse<String> get(String path, String key) {
        var b = request(port, path);
        if (key != null) b.header("Authorization", "Bearer " + key);
        return send(b);
    }

    @Test
    void aClientCreatesOnlyForItsSchoolsAndTheOwnerIsRecorded() {
        var ok = create("lakeview", "lakeview-key", "user-42");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).get("client").asString()).isEqualTo("lakeview");
        assertThat(json(ok).get("actor").asString()).isEqualTo("user-42");

        var refused = create("hillcrest", "lakeview-key", null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(json(refused).get("field").asString()).isEqualTo("school_id");

        var legacy = create("hillcrest", "legacy-key-for-every-school", null);
        assertThat(legacy.statusCode()).isEqualTo(200);
        assertThat(json(legacy).get("client").asString()).isEqualTo("legacy");
    }

    @Test
    void anotherSchoolsResourceIsNotFoundAsIfItDidNotExist() {
        String hillcrest = json(create("hillcrest", "district-key", null)).get("id").asString();
        assertThat(get("/api/test/v1/notes/" + hillcrest, "district-key").statusCode()).isEqualTo(200);
        var hidden = get("/api/test/v1/notes/" + hillcrest, "lakeview-key");
        var unknown = get("/api/test/v1/notes/n999999", "lakeview-key");
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(hidden).get("title").asString()).isEqualTo(json(unknown).get("title").asString());
    }

    @Test
    void aMalformedActorIsRefusedBeforeAnythingIsCreated(CapturedOutput out) {
        var r = create("lakeview", "lakeview-key", "has space<script>");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("field").asString()).isEqualTo("X-Apiary-Actor");
        var next = create("lakeview", "lakeview-key", "user-7");
        assertThat(json(next).get("actor").asString()).isEqualTo("user-7");
    }

    @Test
    void actuatorBeyondHealthNeedsAnAdminClient() {
        assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", "legacy-key-for-every-school").statusCode()).isEqualTo(403);
        assertThat(get("/actuator/prometheus", "lakeview-key").statusCode()).isEqualTo(403);
        var scrape = get("/actuator/prometheus", "ops-key");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void theAuthCheckAnswers204ForAnyValidKeyAnd401Otherwise() {
        assertThat(get("/api/_auth", "lakeview-key").statusCode()).isEqualTo(204);
        assertThat(get("/api/_auth", "legacy-key-for-every-school").statusCode()).isEqualTo(204);
        var none = get("/api/_auth", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(get("/api/_auth", "lakeview-keyX").statusCode()).isEqualTo(401);
    }

    @Test
    void aPathLimitIsSmallerThanTheGlobalOne() {
        var r = send(request(port, "/api/test/v1/small/thing").header("Content-Type", "application/json")
                .header("Authorization", "Bearer lakeview-key").POST(BodyPublishers.ofString("x".repeat(101))));
        assertThat(r.statusCode()).isEqualTo(413);
        var fits = send(request(port, "/api/test/v1/notes").header("Content-Type", "application/json")
                .header("Authorization", "Bearer lakeview-key")
                .POST(BodyPublishers.ofString("{\"school_id\":\"lakeview\",\"text\":\"" + "y".repeat(200) + "\"}")));
        assertThat(fits.statusCode()).isEqualTo(200);
    }
}
