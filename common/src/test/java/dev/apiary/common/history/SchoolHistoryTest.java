package dev.apiary.common.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.common.history.SchoolHistory.Page;
import dev.apiary.common.history.SchoolHistory.Query;
import dev.apiary.common.test.SharedRedisTemplate;
import dev.apiary.common.web.ApiProblem;

/** A school's history against a real Redis: order, pages, filters, schools apart, gone resources dropped. */
class SchoolHistoryTest {

    @RegisterExtension
    static final SharedRedisTemplate REDIS = new SharedRedisTemplate();
    final StringRedisTemplate redis = REDIS.template();

    record Item(String id, String state) {
    }

    final String prefix = "apiary:test:history:" + UUID.randomUUID();
    final SchoolHistory history = new SchoolHistory(redis, prefix, Duration.ofDays(30));
    final Map<String, Item> items = new HashMap<>();
    final Instant t0 = Instant.now().minusSeconds(3600);

    private void add(String school, String id, String state, Instant at) {
        items.put(id, new Item(id, state));
        history.record(school, id, at);
    }

    private List<String> all(String school, Instant since, String state, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 100; pages++) {
            Page<Item> p = history.page(new Query(school, since, cursor, limit),
                    id -> Optional.ofNullable(items.get(id)), i -> state == null || i.state().equals(state));
            assertThat(p.items()).hasSizeLessThanOrEqualTo(limit);
            p.items().forEach(i -> ids.add(i.id()));
            if (p.nextCursor() == null) return ids;
            cursor = p.nextCursor();
        }
        throw new AssertionError("more than 100 pages");
    }

    @Test
    void newestFirstAcrossPagesWithTiesInOneMillisecond() {
        for (int i = 0; i < 25; i++) {
            // pairs share a millisecond: the cursor must neither repeat nor skip either of them
            add("lincoln", "r" + (char) ('a' + i), "done", t0.plusMillis(i / 2));
        }
        List<String> ids = all("lincoln", null, null, 4);
        assertThat(ids).hasSize(25).doesNotHaveDuplicates();
        List<String> expected = new ArrayList<>(items.keySet());
        expected.sort((a, b) -> {
            int byTime = Integer.compare((b.charAt(1) - 'a') / 2, (a.charAt(1) - 'a') / 2);
            return byTime != 0 ? byTime : b.compareTo(a);
        });
        assertThat(ids).isEqualTo(expected);
    }

    @Test
    void schoolsNeverMixAndFiltersApply() {
        add("lincoln", "l1", "done", t0);
        add("lincoln", "l2", "failed", t0.plusSeconds(10));
        add("lincoln", "l3", "done", t0.plusSeconds(20));
        add("hillcrest", "h1", "done", t0.plusSeconds(5));
        assertThat(all("lincoln", null, null, 10)).containsExactly("l3", "l2", "l1");
        assertThat(all("hillcrest", null, null, 10)).containsExactly("h1");
        assertThat(all("lincoln", null, "done", 10)).containsExactly("l3", "l1");
        assertThat(all("lincoln", t0.plusSeconds(10), null, 10)).containsExactly("l3", "l2");
        assertThat(all("nobody", null, null, 10)).isEmpty();
    }

    @Test
    void aFilterThatMatchesLittleStillPagesThroughEverything() {
        for (int i = 0; i < 120; i++) {
            add("lincoln", "x" + i, i % 40 == 0 ? "failed" : "done", t0.plusSeconds(i));
        }
        assertThat(all("lincoln", null, "failed", 2)).containsExactly("x80", "x40", "x0");
    }

    @Test
    void goneResourcesAreDroppedFromTheIndex() {
        add("lincoln", "g1", "done", t0);
        add("lincoln", "g2", "done", t0.plusSeconds(1));
        items.remove("g1");
        assertThat(all("lincoln", null, null, 10)).containsExactly("g2");
        assertThat(redis.opsForZSet().size(prefix + ":{lincoln}")).isEqualTo(1);
    }

    @Test
    void entriesPastTheRetentionAreTrimmedOnWrite() {
        add("lincoln", "old", "done", Instant.now().minus(Duration.ofDays(31)));
        add("lincoln", "new", "done", Instant.now());
        assertThat(redis.opsForZSet().range(prefix + ":{lincoln}", 0, -1)).containsExactly("new");
    }

    @Test
    void badCursorsAndLimitsNameTheirField() {
        assertThatThrownBy(() -> new Query("lincoln", null, "nonsense", 10))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.getBody().getProperties()).containsEntry("field", "cursor"));
        assertThatThrownBy(() -> new Query("lincoln", null, null, 0))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.getBody().getProperties()).containsEntry("field", "limit"));
    }
}
