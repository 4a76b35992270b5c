package dev.apiary.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PendingEventsTest {

    @Test
    void theNewestEventOfAKeyReplacesTheWaitingOneAndGoesLast() {
        PendingEvents p = new PendingEvents();
        p.add(Event.of("score", 1).coalescing("s1"));
        p.add(Event.of("score", 2).coalescing("s2"));
        p.add(Event.of("note", "a"));
        p.add(Event.of("note", "a"));
        p.add(Event.of("score", 3).coalescing("s1"));
        assertThat(p.drain()).extracting(Event::data).containsExactly(2, "a", "a", 3);
        assertThat(p.size()).isZero();
        assertThat(p.drain()).isEmpty();
    }
}
