package dev.apiary.common.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events waiting for a topic's next send, in order. An event with a coalescing key replaces the waiting one with
 * that key and takes its place at the end (it is the newest); events without a key are all kept.
 */
final class PendingEvents {

    private final Map<Object, Event> waiting = new LinkedHashMap<>();

    synchronized void add(Event e) {
        Object key = e.coalesceKey() == null ? new Object() : e.coalesceKey();
        waiting.remove(key);
        waiting.put(key, e);
    }

    /** Everything waiting, oldest first; leaves nothing behind. */
    synchronized List<Event> drain() {
        List<Event> out = new ArrayList<>(waiting.values());
        waiting.clear();
        return out;
    }

    synchronized int size() {
        return waiting.size();
    }
}
