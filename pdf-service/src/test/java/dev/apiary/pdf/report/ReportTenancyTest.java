package dev.apiary.pdf.report;

import dev.apiary.common.test.Await;
import dev.apiary.pdf.support.Http;
import dev.apiary.pdf.support.TestData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each school sees only its own reports: clients bound to schools create only for them (403 naming school_id,
 * nothing written), another school's report is 404 exactly like an unknown id on every path, the owner (client and
 * actor) is recorded and shown, and idempotency keys are scoped by client and school.
 */
class ReportTenancyTest extends ApiTestContext {

    Http lakeview() {
        return http.as(LAKEVIEW_KEY);
    }

    Http hillcrest() {
        return http.as(HILLCREST_KEY);
    }

    static Map<String, Object> request(String school, int students) {
        Map<String, Object> r = TestData.request("report_card", students);
        r.put("school_id", school);
        return r;
    }

    static HttpResponse<String> submit(Http as, Map<String, Object> body, String key, String actor) {
        HttpRequest.Builder b = as.req("/api/pdf/v1/reports").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestData.bytes(body)));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        if (actor != null) {
            b.header("X-Apiary-Actor", actor);
        }
        return as.send(b);
    }

    String awaitDone(Http as, String id) {
        Await.until(Duration.ofSeconds(60), "report " + id + " done", () -> "done".equals(as.status(id).get("state").asString()));
        return id;
    }

    @Test
    void theOwnerIsRecordedAndShownAsRequestedBy() {
        HttpResponse<String> r = submit(lakeview(), request("lakeview", 3), null, "teacher-7");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Http.json(r).get("id").asString();
        JsonNode st = lakeview().status(id);
        assertThat(st.get("school_id").asString()).isEqualTo("lakeview");
        assertThat(st.get("requested_by").get("client").asString()).isEqualTo("lakeview-app");
        assertThat(st.get("requested_by").get("actor").asString()).isEqualTo("teacher-7");
        Map<String, String> stored = redis.<String, String>opsForHash().entries(ReportKeys.status(id));
        assertThat(stored).containsEntry("school_id", "lakeview").containsEntry("client", "lakeview-app")
                .containsEntry("actor", "teacher-7");
        // the legacy key (every school) sees it too
        assertThat(http.status(id).get("requested_by").get("client").asString()).isEqualTo("lakeview-app");
    }

    @Test
    void creatingForAnotherSchoolIs403NamingSchoolIdAndWritesNothing() {
        Footprint before = footprint();
        HttpResponse<String> r = submit(hillcrest(), request("lakeview", 30), "try-1", "someone");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(Http.json(r).get("field").asString()).isEqualTo("school_id");
        assertThat(footprint()).isEqualTo(before);
    }

    @Test
    void anotherSchoolsReportIsNotFoundExactlyLikeAnUnknownIdOnEveryPath() {
        String id = awaitDone(lakeview(), Http.json(submit(lakeview(), request("lakeview", 2), null, null)).get("id").asString());
        String unknown = ReportIds.next();
        Http other = hillcrest();
        for (String suffix : List.of("", "/events", "/file")) {
            HttpResponse<String> hidden = other.send(other.req("/api/pdf/v1/reports/" + id + suffix));
            HttpResponse<String> none = other.send(other.req("/api/pdf/v1/reports/" + unknown + suffix));
            assertSameAsUnknown(hidden, none, id, unknown);
        }
        HttpResponse<String> cancel = other.send(other.req("/api/pdf/v1/reports/" + id).DELETE());
        assertSameAsUnknown(cancel, other.send(other.req("/api/pdf/v1/reports/" + unknown).DELETE()), id, unknown);
        // nothing happened to it
        assertThat(lakeview().status(id).get("state").asString()).isEqualTo("done");
        assertThat(lakeview().send(lakeview().req("/api/pdf/v1/reports/" + id + "/file")).statusCode()).isEqualTo(200);

        // deleted by its owner: 410 for those who may see it, still 404 for the other school
        assertThat(lakeview().send(lakeview().req("/api/pdf/v1/reports/" + id).DELETE()).statusCode()).isEqualTo(204);
        assertThat(lakeview().send(lakeview().req("/api/pdf/v1/reports/" + id)).statusCode()).isEqualTo(410);
        assertSameAsUnknown(other.send(other.req("/api/pdf/v1/reports/" + id)),
                other.send(other.req("/api/pdf/v1/reports/" + unknown)), id, unknown);
    }

    static void assertSameAsUnknown(HttpResponse<String> hidden, HttpResponse<String> unknown, String id, String unknownId) {
        assertThat(hidden.statusCode()).as(hidden.body()).isEqualTo(404);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(hidden.headers().firstValue("Content-Type")).isEqualTo(unknown.headers().firstValue("Content-Type"));
        JsonNode a = Http.json(hidden);
        JsonNode b = Http.json(unknown);
        assertThat(a.get("title")).isEqualTo(b.get("title"));
        assertThat(a.get("detail").asString().replace(id, "ID")).isEqualTo(b.get("detail").asString().replace(unknownId, "ID"));
        assertThat(a.propertyNames()).containsExactlyInAnyOrderElementsOf(b.propertyNames());
    }

    @Test
    void idempotencyKeysAreScopedByClientAndSchool() {
        Map<String, Object> lake = request("lakeview", 2);
        String key = "grade-9-2025";
        String byLakeview = Http.json(submit(lakeview(), lake, key, null)).get("id").asString();
        // the same key and body again from the same client: the same report
        HttpResponse<String> replay = submit(lakeview(), lake, key, null);
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(Http.json(replay).get("id").asString()).isEqualTo(byLakeview);
        // another client, same school, key and body: its own report
        String byDistrict = Http.json(submit(http.as(DISTRICT_KEY), lake, key, null)).get("id").asString();
        assertThat(byDistrict).isNotEqualTo(byLakeview);
        // the same client for another school with the same key: its own report
        String forHillcrest = Http.json(submit(http.as(DISTRICT_KEY), request("hillcrest", 2), key, null)).get("id").asString();
        assertThat(forHillcrest).isNotIn(byLakeview, byDistrict);
        // and the other school's client with that key cannot reach any of them
        String byHillcrest = Http.json(submit(hillcrest(), request("hillcrest", 2), key, null)).get("id").asString();
        assertThat(byHillcrest).isNotIn(byLakeview, byDistrict, forHillcrest);
    }
}
