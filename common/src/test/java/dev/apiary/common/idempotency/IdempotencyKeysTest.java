package dev.apiary.common.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.common.idempotency.IdempotencyKeys.Fresh;
import dev.apiary.common.idempotency.IdempotencyKeys.Replay;
import dev.apiary.common.test.Await;
import dev.apiary.common.test.SharedRedisTemplate;
import dev.apiary.common.web.ApiProblem;

/** The reserve-then-commit lifecycle against a real Redis. */
class IdempotencyKeysTest {

    @RegisterExtension
    static final SharedRedisTemplate REDIS = new SharedRedisTemplate();
    final StringRedisTemplate redis = REDIS.template();

    private static String key() {
        return UUID.randomUUID().toString();
    }

    private IdempotencyKeys keys(Duration pending) {
        return new IdempotencyKeys(redis, "apiary:test", pending);
    }

    private static int status(Runnable r) {
        try {
            r.run();
            return 0;
        } catch (ApiProblem p) {
            return p.getStatusCode().value();
        }
    }

    @Test
    void aCommittedKeyReplaysTheSameResourceAndIsNeverReleased() {
        IdempotencyKeys keys = keys(Duration.ofSeconds(30));
        String k = key();
        var claim = keys.claim("legacy", "lakeview", k, "h1");
        assertThat(claim).isInstanceOf(Fresh.class);
        Fresh fresh = (Fresh) claim;
        assertThat(fresh.reservation().commit("res-1", Duration.ofDays(30))).isTrue();
        fresh.reservation().release();   // too late: committed keys stay
        assertThat(keys.claim("legacy", "lakeview", k, "h1")).isEqualTo(new Replay("res-1"));
        assertThat(keys.find("legacy", "lakeview", k, "h1")).isEqualTo(new Replay("res-1"));
        assertThat(redis.getExpire(keys.redisKey("legacy", "lakeview", k))).isGreaterThan(Duration.ofDays(29).toSeconds());
    }

    @Test
    void theSameKeyWithAnotherRequestIs422AndWhileInFlight409() {
        IdempotencyKeys keys = keys(Duration.ofSeconds(30));
        String k = key();
        Fresh fresh = (Fresh) keys.claim("legacy", "lakeview", k, "h1");
        assertThat(status(() -> keys.claim("legacy", "lakeview", k, "h1"))).isEqualTo(409);
        assertThat(status(() -> keys.claim("legacy", "lakeview", k, "h2"))).isEqualTo(422);
        fresh.reservation().commit("res-2", Duration.ofMinutes(5));
        assertThat(status(() -> keys.claim("legacy", "lakeview", k, "h2"))).isEqualTo(422);
    }

    @Test
    void keysAreScopedByClientAndSchool() {
        IdempotencyKeys keys = keys(Duration.ofSeconds(30));
        String k = key();
        ((Fresh) keys.claim("legacy", "lakeview", k, "h")).reservation().commit("a", Duration.ofMinutes(5));
        assertThat(keys.claim("legacy", "hillcrest", k, "h")).isInstanceOf(Fresh.class);
        assertThat(keys.claim("district", "lakeview", k, "h")).isInstanceOf(Fresh.class);
    }

    @Test
    void aReleasedReservationFreesTheKey() {
        IdempotencyKeys keys = keys(Duration.ofSeconds(30));
        String k = key();
        ((Fresh) keys.claim("legacy", "lakeview", k, "h")).reservation().release();
        assertThat(keys.find("legacy", "lakeview", k, "h")).isNull();
        assertThat(keys.claim("legacy", "lakeview", k, "h")).isInstanceOf(Fresh.class);
    }

    @Test
    void aReservationLeftByACrashedRequestExpiresByItself() {
        IdempotencyKeys keys = keys(Duration.ofMillis(300));
        String k = key();
        Fresh abandoned = (Fresh) keys.claim("legacy", "lakeview", k, "h");
        assertThat(status(() -> keys.claim("legacy", "lakeview", k, "h"))).isEqualTo(409);
        Await.until(Duration.ofSeconds(10), "the pending reservation to expire",
                () -> keys.find("legacy", "lakeview", k, "h") == null);
        Fresh retry = (Fresh) keys.claim("legacy", "lakeview", k, "h");
        assertThat(abandoned.reservation().commit("stale", Duration.ofMinutes(5))).isFalse();
        assertThat(retry.reservation().commit("res-3", Duration.ofMinutes(5))).isTrue();
        assertThat(keys.claim("legacy", "lakeview", k, "h")).isEqualTo(new Replay("res-3"));
    }

    @Test
    void aMalformedKeyIs400NamingTheHeaderAndAPendingTtlOverTwoMinutesIsRefused() {
        assertThat(IdempotencyKeys.validate(null)).isNull();
        assertThat(IdempotencyKeys.validate("abc-123")).isEqualTo("abc-123");
        assertThatThrownBy(() -> IdempotencyKeys.validate("has space"))
                .isInstanceOfSatisfying(ApiProblem.class,
                        p -> assertThat(p.getBody().getProperties()).containsEntry("field", "Idempotency-Key"));
        assertThatThrownBy(() -> IdempotencyKeys.validate("x".repeat(256))).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> keys(Duration.ofMinutes(3))).isInstanceOf(IllegalArgumentException.class);
    }
}
