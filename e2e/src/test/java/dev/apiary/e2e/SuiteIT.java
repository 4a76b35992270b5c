package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The suite is up the way `./apiary up` starts it, and nginx routes, ids, headers and compression work. */
@Order(1)
class SuiteIT {
    static Suite suite;

    @BeforeAll
    static void up() {
        suite = Suite.get();
    }

    @Test
    void statusReportsEveryPartUp() throws Exception {
        Path out = suite.stateDir().resolve("status.txt");
        ProcessBuilder pb = new ProcessBuilder(Suite.root().resolve("apiary").toString(), "status")
                .directory(Suite.root().toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("APIARY_STATE_DIR", suite.stateDir().toString());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String status = Files.readString(out);
        assertThat(p.exitValue()).as(status).isZero();
        for (String part : new String[] {"redis", "providers", "legacy", "pdf-1", "pdf-2", "alert-1", "gradebook-1",
            "gradebook-2", "nginx"}) {
            assertThat(status).as(status).containsPattern("(?m)^" + part + "\\s+\\S+\\s+UP");
        }
    }

    @Test
    void everythingElseGoesToTheLegacyApp() {
        Suite.Response home = suite.get("/", null);
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains("Report cards for Grade 7").contains("Urgent alert");
        Suite.Response gradebook = suite.get("/api/v1/sections/101/gradebook", null);
        assertThat(gradebook.status()).isEqualTo(200);
        assertThat(gradebook.json().get("students").size()).isBetween(25, 40);
    }

    @Test
    void requestIdIsGeneratedOrPropagatedAndForwardedHeadersAreSet() {
        Suite.Response generated = suite.get("/demo/echo-headers", null);
        String rid = generated.header("X-Request-Id");
        assertThat(rid).matches("[0-9a-f]{32}");
        JsonNode seen = generated.json();
        assertThat(seen.get("x-request-id").asString()).isEqualTo(rid);
        assertThat(seen.get("x-forwarded-proto").asString()).isEqualTo("http");
        assertThat(seen.get("x-forwarded-host").asString()).isEqualTo(suite.baseUrl().substring("http://".length()));
        assertThat(seen.get("x-forwarded-for").asString()).isEqualTo("127.0.0.1");

        Suite.Response propagated = suite.get("/demo/echo-headers", null, "X-Request-Id", "e2e-req-42");
        assertThat(propagated.header("X-Request-Id")).isEqualTo("e2e-req-42");
        assertThat(propagated.json().get("x-request-id").asString()).isEqualTo("e2e-req-42");
    }

    @Test
    void securityHeadersAndGzip() {
        Suite.Response r = suite.get("/api/v1/sections/101/gradebook", null, "Accept-Encoding", "gzip");
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("X-Frame-Options")).isEqualTo("SAMEORIGIN");
        assertThat(r.header("Referrer-Policy")).isNotBlank();
        assertThat(r.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(r.header("Server")).isEqualTo("nginx");
    }

    @Test
    void tokenFromTheLegacyAppAndTheGradebookHandOver() {
        String token = suite.token("teacher-e2e", 101, 102);
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode claims = Suite.JSON.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.get("sub").asString()).isEqualTo("teacher-e2e");
        assertThat(claims.get("role").asString()).isEqualTo("teacher");
        assertThat(Suite.list(claims.get("sections")).stream().map(JsonNode::asInt)).containsExactly(101, 102);
        assertThat(claims.get("exp").asLong()).isGreaterThan(System.currentTimeMillis() / 1000);

        Suite.Response link = suite.get("/sections/101/open-gradebook", null);
        assertThat(link.status()).isEqualTo(302);
        assertThat(link.header("Location")).startsWith("/gradebook/sections/101#token=ey");
    }
}
