package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What the abuse probes count as a change of the suite's state. */
class SuiteStateTest {
    static SuiteState state(Map<String, String> redis) {
        return new SuiteState(new TreeMap<>(redis), new TreeMap<>(), Map.of(), 0);
    }

    @Test
    void theReconcilerRetiringFinishedAlertsIsNotBlamedOnAProbe() {
        SuiteState before = state(Map.of("apiary:alert:active", "zset 3", "apiary:alert:a1", "hash 4"));
        assertThat(state(Map.of("apiary:alert:active", "zset 1", "apiary:alert:a1", "hash 4")).changesSince(before))
                .isEmpty();
        assertThat(state(Map.of("apiary:alert:a1", "hash 4")).changesSince(before)).isEmpty();
    }

    @Test
    void aProbeThatAddsToTheActiveIndexOrTouchesAnyOtherKeyIsSeen() {
        SuiteState before = state(Map.of("apiary:alert:active", "zset 3", "apiary:alert:a1", "hash 4"));
        assertThat(state(Map.of("apiary:alert:active", "zset 4", "apiary:alert:a1", "hash 4")).changesSince(before))
                .containsExactly("redis changed: apiary:alert:active zset 3 -> zset 4");
        assertThat(state(Map.of("apiary:alert:active", "zset 3")).changesSince(before))
                .containsExactly("redis removed: apiary:alert:a1 (hash 4)");
        SortedMap<String, String> fresh = new TreeMap<>(Map.of("apiary:alert:active", "zset 1"));
        assertThat(state(fresh).changesSince(state(Map.of()))).containsExactly("redis added: apiary:alert:active (zset 1)");
    }
}
