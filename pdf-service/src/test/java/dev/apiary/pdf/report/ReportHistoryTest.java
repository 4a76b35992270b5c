package dev.apiary.pdf.report;

import dev.apiary.common.test.Await;
import dev.apiary.pdf.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static dev.apiary.pdf.report.ReportTenancyTest.request;
import static dev.apiary.pdf.report.ReportTenancyTest.submit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The legacy app's history: a school's reports newest first, paginated and filtered, never another school's; queue
 * entries name their school, so the dead-letter admin API can show each school only its own.
 */
class ReportHistoryTest extends ApiTestContext {

    private List<String> ids(Http as, String query) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 50; pages++) {
            HttpResponse<String> r = as.send(as.req("/api/pdf/v1/reports?" + query
                    + (cursor == null ? "" : "&cursor=" + cursor)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = Http.json(r);
            page.get("items").forEach(i -> ids.add(i.get("id").asString()));
            if (page.get("next_cursor").isNull()) return ids;
            cursor = page.get("next_cursor").asString();
        }
        throw new AssertionError("more than 50 pages");
    }

    private String create(Http as, String school) {
        HttpResponse<String> r = submit(as, request(school, 2), null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Http.json(r).get("id").asString();
    }

    @Test
    void aSchoolListsItsOwnReportsNewestFirstAcrossPages() {
        String since = Instant.now().minusMillis(5).toString();
        Http lakeview = http.as(LAKEVIEW_KEY);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(create(i % 2 == 0 ? lakeview : http.as(DISTRICT_KEY), "lakeview"));
        }
        String theirs = create(http.as(HILLCREST_KEY), "hillcrest");

        // newest first; reports created in one millisecond come in descending id order
        List<String> newestFirst = new ArrayList<>(created);
        newestFirst.sort(Comparator.comparing(ReportIds::createdAt).thenComparing(Comparator.naturalOrder()));
        newestFirst = newestFirst.reversed();
        assertThat(ids(lakeview, "school_id=lakeview&since=" + since + "&limit=2")).isEqualTo(newestFirst);
        assertThat(ids(http, "school_id=lakeview&since=" + since)).isEqualTo(newestFirst);
        assertThat(ids(http, "school_id=hillcrest&since=" + since)).containsExactly(theirs);

        // a finished one filtered by state; a deleted one leaves the list
        String first = newestFirst.getLast();
        Await.until(Duration.ofSeconds(60), "report done", () -> "done".equals(lakeview.status(first).get("state").asString()));
        assertThat(ids(lakeview, "school_id=lakeview&since=" + since + "&state=done")).contains(first);
        assertThat(ids(lakeview, "school_id=lakeview&since=" + since + "&state=failed")).isEmpty();
        assertThat(lakeview.send(lakeview.req("/api/pdf/v1/reports/" + first).DELETE()).statusCode()).isEqualTo(204);
        assertThat(ids(lakeview, "school_id=lakeview&since=" + since)).isEqualTo(newestFirst.subList(0, 4));
    }

    @Test
    void anotherSchoolsHistoryIs403AndBadParametersAreNamed() {
        HttpResponse<String> other = http.as(HILLCREST_KEY).send(http.as(HILLCREST_KEY).req("/api/pdf/v1/reports?school_id=lakeview"));
        assertThat(other.statusCode()).as(other.body()).isEqualTo(403);
        assertThat(Http.json(other).get("field").asString()).isEqualTo("school_id");
        for (String[] bad : List.of(new String[]{"", "school_id"}, new String[]{"school_id=lakeview&state=lost", "state"},
                new String[]{"school_id=lakeview&since=yesterday", "since"},
                new String[]{"school_id=lakeview&limit=0", "limit"}, new String[]{"school_id=lakeview&cursor=x", "cursor"})) {
            HttpResponse<String> r = http.send(http.req("/api/pdf/v1/reports?" + bad[0]));
            assertThat(r.statusCode()).as(bad[0] + ": " + r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(Http.json(r).get("field").asString()).isEqualTo(bad[1]);
        }
    }

    @Test
    void queueEntriesNameTheirSchoolAndDeadLettersNeedAnAdmin() {
        String id = create(http.as(LAKEVIEW_KEY), "lakeview");
        List<MapRecord<String, Object, Object>> entries = redis.opsForStream().range(ReportKeys.RENDER_STREAM,
                org.springframework.data.domain.Range.unbounded());
        assertThat(entries).filteredOn(e -> id.equals(e.getValue().get("report")))
                .isNotEmpty().allSatisfy(e -> assertThat(e.getValue()).containsEntry("school_id", "lakeview"));

        HttpResponse<String> notAdmin = http.send(http.req("/api/pdf/v1/admin/dead-letters"));
        assertThat(notAdmin.statusCode()).as(notAdmin.body()).isEqualTo(403);
        HttpResponse<String> admin = http.as("dev-ops-key").send(http.as("dev-ops-key").req("/api/pdf/v1/admin/dead-letters"));
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
        assertThat(Http.json(admin).get("items").isArray()).isTrue();
    }
}
