package dev.apiary.common.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The settings each service names by its prefix and units, and the refusal outside dev mode. */
class FaultInjectionTest {
    static final String PREFIX = "apiary.test.fault-injection";

    static StandardEnvironment env(Map<String, Object> props) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", props));
        return env;
    }

    @Test
    void unsetMeansNoFaultsEvenOutsideDevMode() {
        FaultInjection f = FaultInjection.from(env(Map.of()), PREFIX, "parts");
        assertThat(f).isEqualTo(FaultInjection.none("parts"));
        f.afterReservation("r1");
        f.afterQueued("r1", 1);   // never throws
    }

    @Test
    void bindsThePrefixAndTheUnitsNamedSettingInDevMode() {
        FaultInjection f = FaultInjection.from(env(Map.of("apiary.dev-mode", "true",
                PREFIX + ".stall-after-reservation", "5ms", PREFIX + ".fail-after-queued-batches", "2")), PREFIX,
                "batches");
        assertThat(f.stallAfterReservation()).isEqualTo(Duration.ofMillis(5));
        assertThat(f.failAfterQueued()).isEqualTo(2);
        f.afterQueued("a1", 1);
        assertThatThrownBy(() -> f.afterQueued("a1", 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a1").hasMessageContaining("2 queued batches");
    }

    @Test
    void anotherServicesUnitsAreNotBound() {
        FaultInjection f = FaultInjection.from(env(Map.of("apiary.dev-mode", "true",
                PREFIX + ".fail-after-queued-batches", "2")), PREFIX, "parts");
        assertThat(f).isEqualTo(FaultInjection.none("parts"));
    }

    @Test
    void anySettingWithoutDevModeStopsTheStart() {
        assertThatThrownBy(() -> FaultInjection.from(env(Map.of(PREFIX + ".fail-after-queued-parts", "1")), PREFIX,
                "parts")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(PREFIX).hasMessageContaining("apiary.dev-mode=true");
    }
}
