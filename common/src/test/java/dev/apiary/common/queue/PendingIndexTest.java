package dev.apiary.common.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.common.test.SharedRedisTemplate;

/** The sweep's guarantees against a real Redis: due entries only, each to one instance, a failed one comes again. */
class PendingIndexTest {
    static final Duration GRACE = Duration.ofMinutes(1);

    @RegisterExtension
    static final SharedRedisTemplate REDIS = new SharedRedisTemplate();
    final StringRedisTemplate redis = REDIS.template();
    PendingIndex index;

    @BeforeEach
    void freshIndex() {
        index = new PendingIndex(redis, "apiary:test:{pending-" + UUID.randomUUID() + "}");
    }

    @Test
    void onlyEntriesOlderThanTheGraceAreHandedOutAndThenRemoved() {
        index.markPending("old");
        index.markPending("done");
        index.markDone("done");
        Instant now = Instant.now().plus(GRACE).plusSeconds(1);
        index.markPending("fresh");
        redis.opsForZSet().add(index.key(), "fresh", now.toEpochMilli());

        List<String> handed = new ArrayList<>();
        int finished = index.sweep(now, GRACE, id -> handed.add(id) && id.equals("nothing to do for it"));

        assertThat(handed).containsExactly("old");
        assertThat(finished).as("the handler answered false").isZero();
        assertThat(redis.opsForZSet().range(index.key(), 0, -1)).containsExactly("fresh");
        assertThat(index.sweep(now, GRACE, id -> true)).as("nothing due any more").isZero();
    }

    @Test
    void anEntryIsHandedToOneOfTwoInstancesSweepingAtOnce() {
        PendingIndex other = new PendingIndex(redis, index.key());
        index.markPending("a");
        Instant now = Instant.now().plus(GRACE).plusSeconds(1);
        List<String> handedToOther = new ArrayList<>();

        int finished = index.sweep(now, GRACE, id -> {
            // while this instance handles it, another one sweeps the same index
            other.sweep(now, GRACE, handedToOther::add);
            return true;
        });

        assertThat(finished).isOne();
        assertThat(handedToOther).as("taken by the first instance").isEmpty();
        assertThat(redis.opsForZSet().size(index.key())).isZero();
    }

    @Test
    void anEntryWhoseHandlerThrowsComesDueAgainAGraceLater() {
        index.markPending("a");
        Instant now = Instant.now().plus(GRACE).plusSeconds(1);

        assertThatThrownBy(() -> index.sweep(now, GRACE, id -> {
            throw new IllegalStateException("crashed while finishing " + id);
        })).hasMessageContaining("crashed");

        assertThat(redis.opsForZSet().score(index.key(), "a")).isEqualTo((double) now.toEpochMilli());
        assertThat(index.sweep(now.plus(GRACE).minusMillis(1), GRACE, id -> true)).as("not due yet").isZero();
        assertThat(index.sweep(now.plus(GRACE), GRACE, id -> true)).as("due again").isOne();
        assertThat(redis.opsForZSet().size(index.key())).isZero();
    }
}
