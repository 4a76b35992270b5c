package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Read a gradebook through nginx with the legacy-minted JWT, write a score, see the grade change — also on the second
 * gradebook-service instance (both share Redis change events) and when "another teacher" changes a score in the legacy app.
 */
@Order(30)
class GradebookIT {
    static final int SECTION = 104;
    static Suite suite;
    static String token;

    @BeforeAll
    static void up() {
        suite = Suite.get();
        token = suite.token("teacher-e2e-gb", SECTION);
    }

    @AfterAll
    static void reset() {
        if (suite != null) suite.post("/demo/reset", null, "");
    }

    static JsonNode section(String base) {
        Suite.Response r = suite.get(base + "/api/gradebook/v1/sections/" + SECTION, token);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    static JsonNode student(JsonNode section, int studentId) {
        for (JsonNode s : Suite.list(section.get("students"))) {
            if (s.get("id").asInt() == studentId) return s;
        }
        throw new AssertionError("student " + studentId + " not in " + section);
    }

    static double currentPercent(String base, int studentId) {
        return student(section(base), studentId).get("current").get("percent").asDouble();
    }

    static int assignmentId(JsonNode source, String name) {
        for (JsonNode a : Suite.list(source.get("assignments"))) {
            if (a.get("name").asString().equals(name)) return a.get("id").asInt();
        }
        throw new AssertionError(name);
    }

    static Double legacyScore(int studentId, int assignmentId) {
        JsonNode src = suite.get("/api/v1/sections/" + SECTION + "/gradebook", null).json();
        for (JsonNode sc : Suite.list(src.get("scores"))) {
            if (sc.get("student_id").asInt() == studentId && sc.get("assignment_id").asInt() == assignmentId) {
                return sc.get("score").isNull() ? null : sc.get("score").asDouble();
            }
        }
        return null;
    }

    @Test
    void writeAScoreAndSeeTheGradeChangeOnBothInstances() {
        String one = suite.instanceUrl("gradebook", 1);
        String two = suite.instanceUrl("gradebook", 2);
        JsonNode source = suite.get("/api/v1/sections/" + SECTION + "/gradebook", null).json();
        int studentId = source.get("students").get(3).get("id").asInt();
        int test1 = assignmentId(source, "Test 1");
        int test2 = assignmentId(source, "Test 2");

        double before = currentPercent("", studentId);
        // warm both instances' caches, so the change must come from events, not a fresh fetch
        assertThat(currentPercent(one, studentId)).isEqualTo(before);
        assertThat(currentPercent(two, studentId)).isEqualTo(before);

        Double old = legacyScore(studentId, test1);
        double newScore = old != null && old >= 50 ? 5 : 100;
        Suite.Response put = suite.put("/api/gradebook/v1/sections/" + SECTION + "/scores", token,
                Map.of("student_id", studentId, "assignment_id", test1, "score", newScore, "excused", false));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(legacyScore(studentId, test1)).as("written through to the legacy app").isEqualTo(newScore);
        JsonNode lastChange = Suite.list(suite.get("/api/v1/sections/" + SECTION + "/score-changes", null).json()).getLast();
        assertThat(lastChange.get("assignment_id").asInt()).isEqualTo(test1);
        assertThat(lastChange.get("actor").asString()).as("the legacy app knows who changed the grade")
                .isEqualTo("teacher-e2e-gb");

        double after = currentPercent("", studentId);
        assertThat(after).isNotEqualTo(before);
        Suite.await(Duration.ofSeconds(5), "instance 1 shows the new grade", () -> currentPercent(one, studentId) == after);
        Suite.await(Duration.ofSeconds(5), "instance 2 shows the new grade", () -> currentPercent(two, studentId) == after);

        // "another teacher" changes a score in the legacy app: its change event reaches both instances
        double viaNginxBefore = currentPercent("", studentId);
        Double old2 = legacyScore(studentId, test2);
        double other = old2 != null && old2 >= 50 ? 0 : 100;
        Suite.Response legacyWrite = suite.post("/demo/sections/" + SECTION + "/scores", null,
                Map.of("student_id", studentId, "assignment_id", test2, "score", other, "excused", false));
        assertThat(legacyWrite.status()).isEqualTo(200);
        Suite.await(Duration.ofSeconds(3), "instance 1 sees the other teacher's change",
                () -> currentPercent(one, studentId) != viaNginxBefore);
        Suite.await(Duration.ofSeconds(3), "instance 2 sees the other teacher's change",
                () -> currentPercent(two, studentId) != viaNginxBefore);
        assertThat(currentPercent(one, studentId)).isEqualTo(currentPercent(two, studentId));

        // the patched caches agree with a fresh stateless calculation of the legacy app's current data
        JsonNode fresh = suite.post("/api/gradebook/v1/calculate", suite.apiKey(),
                suite.get("/api/v1/sections/" + SECTION + "/gradebook", null).body()).json();
        JsonNode cached = section(two);
        for (JsonNode s : Suite.list(fresh.get("students"))) {
            JsonNode c = student(cached, s.get("id").asInt());
            assertThat(c.get("current")).as("student " + s.get("id")).isEqualTo(s.get("current"));
            assertThat(c.get("final")).as("student " + s.get("id")).isEqualTo(s.get("final"));
        }
    }

    @Test
    void anotherSchoolsSectionIsNotFoundThroughNginx() {
        Suite.Response minted = suite.get(suite.baseUrl() + "/demo/token?sub=admin-e2e&role=admin&school_id=hillcrest", null);
        assertThat(minted.status()).as(minted.toString()).isEqualTo(200);
        String hillcrestAdmin = minted.json().get("token").asString();
        assertThat(suite.get("/api/gradebook/v1/sections/701", hillcrestAdmin).status()).isEqualTo(200);
        Suite.Response hidden = suite.get("/api/gradebook/v1/sections/" + SECTION, hillcrestAdmin);
        Suite.Response unknown = suite.get("/api/gradebook/v1/sections/999", hillcrestAdmin);
        assertThat(hidden.status()).as(hidden.toString()).isEqualTo(404);
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(hidden.json().get("detail").asString().replace(Integer.toString(SECTION), "ID"))
                .isEqualTo(unknown.json().get("detail").asString().replace("999", "ID"));
        assertThat(suite.put("/api/gradebook/v1/sections/" + SECTION + "/scores", hillcrestAdmin,
                Map.of("student_id", 1, "assignment_id", 1, "score", 1)).status()).isEqualTo(404);
    }

    @Test
    void badScoreIsRejectedAndNothingChanges() {
        JsonNode source = suite.get("/api/v1/sections/" + SECTION + "/gradebook", null).json();
        int studentId = source.get("students").get(5).get("id").asInt();
        int test1 = assignmentId(source, "Test 1");
        Double old = legacyScore(studentId, test1);
        double before = currentPercent("", studentId);
        Suite.Response r = suite.put("/api/gradebook/v1/sections/" + SECTION + "/scores", token,
                Map.of("student_id", studentId, "assignment_id", test1, "score", -3, "excused", false));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.body()).contains("score");
        assertThat(legacyScore(studentId, test1)).isEqualTo(old);
        assertThat(currentPercent("", studentId)).isEqualTo(before);
    }

    @Test
    void aTeacherSeesOnlyItsSectionsAndAnExpiredTokenIsRefused() {
        section("");
        Suite.Response other = suite.get("/api/gradebook/v1/sections/105", token);
        assertThat(other.status()).as(other.toString()).isEqualTo(403);
        String expired = suite.token("teacher-e2e-gb", "teacher", Duration.ofSeconds(-60), SECTION);
        Suite.Response r = suite.get("/api/gradebook/v1/sections/" + SECTION, expired);
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
    }
}
