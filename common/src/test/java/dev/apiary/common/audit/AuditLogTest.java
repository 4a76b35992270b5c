package dev.apiary.common.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.common.test.SharedRedisTemplate;
import dev.apiary.common.web.ApiProblem;

/** The audit log against a real Redis: newest first, pages, schools apart, capped. */
class AuditLogTest {

    @RegisterExtension
    static final SharedRedisTemplate REDIS = new SharedRedisTemplate();
    final StringRedisTemplate redis = REDIS.template();

    final String prefix = "apiary:test:audit:" + UUID.randomUUID();

    @Test
    void entriesComeBackNewestFirstInPagesPerSchool() {
        AuditLog log = new AuditLog(redis, prefix, 1000);
        for (int i = 0; i < 5; i++) {
            log.record("north", "legacy", i % 2 == 0 ? "u-" + i : null, "opt_out.removed", "+1202555010" + i);
        }
        log.record("south", "south-app", "u-9", "opt_out.removed", "x@example.org");
        List<AuditLog.Entry> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            AuditLog.Page p = log.page("north", cursor, 2);
            all.addAll(p.entries());
            cursor = p.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(all).extracting(AuditLog.Entry::target).containsExactly("+12025550104", "+12025550103",
                "+12025550102", "+12025550101", "+12025550100");
        assertThat(all.getFirst().actor()).isEqualTo("u-4");
        assertThat(all.get(1).actor()).isNull();
        assertThat(all).allSatisfy(e -> {
            assertThat(e.client()).isEqualTo("legacy");
            assertThat(e.schoolId()).isEqualTo("north");
            assertThat(e.action()).isEqualTo("opt_out.removed");
        });
        assertThat(log.page("south", null, 50).entries()).singleElement()
                .satisfies(e -> assertThat(e.client()).isEqualTo("south-app"));
        assertThat(log.page("east", null, 50).entries()).isEmpty();
    }

    @Test
    void theLogIsCappedAndBadParametersAreNamed() {
        AuditLog log = new AuditLog(redis, prefix, 10);
        for (int i = 0; i < 300; i++) {
            log.record("north", "legacy", null, "a", "t" + i);
        }
        assertThat(redis.opsForStream().size(prefix + ":{north}")).isLessThan(300);
        assertThat(log.page("north", null, 1).entries().getFirst().target()).isEqualTo("t299");
        assertThatThrownBy(() -> log.page("north", null, 0)).isInstanceOfSatisfying(ApiProblem.class,
                e -> assertThat(e.getBody().getProperties()).containsEntry("field", "limit"));
        assertThatThrownBy(() -> log.page("north", "nope", 5)).isInstanceOfSatisfying(ApiProblem.class,
                e -> assertThat(e.getBody().getProperties()).containsEntry("field", "cursor"));
    }
}
