package dev.apiary.sandbox.providers.sim;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live simulator settings. Start values come from {@code sandbox.*} properties (kebab or snake case,
 * e.g. {@code sandbox.sms-segments-per-second=100}); {@code POST /_admin/config} merges changes in.
 */
public final class SimSettings {
    private final AtomicReference<SimConfig> current;

    public SimSettings(Map<String, String> startValues) {
        Map<String, Object> changes = new java.util.HashMap<>();
        startValues.forEach((k, v) -> changes.put(k.replace('-', '_'), v));
        current = new AtomicReference<>(SimConfig.defaults().merge(changes));
    }

    public SimConfig get() {
        return current.get();
    }

    public SimConfig merge(Map<String, ?> changes) {
        return current.updateAndGet(c -> c.merge(changes));
    }

    public void reset() {
        current.set(SimConfig.defaults());
    }
}
