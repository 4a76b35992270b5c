package dev.apiary.common.events;

import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Streams of events this instance produces itself (the gradebook's applied changes): a client gets a first event
 * on connect, then every {@link #publish}ed event of its id, at most {@code maxEventsPerSecond} sends per stream
 * (events waiting for a send are coalesced by their key). Create one per use with {@link EventHub#topics}.
 * Several instances: each one publishes what it learns from its own Redis subscription (as the gradebook's
 * change events do) to its own clients.
 */
public final class TopicStreams extends StreamFamily<TopicStreams.Topic> {

    static final class Topic extends StreamFamily.Stream {
        final PendingEvents pending = new PendingEvents();

        Topic(String id) {
            super(id);
        }
    }

    TopicStreams(EventHub hub, String name, StreamOptions options) {
        super(hub, name, options);
    }

    /** Streams {@code id}'s events to this request, starting with {@code first} (null: none). */
    public void open(String id, Event first, HttpServletRequest request, HttpServletResponse response) {
        open(id, first, null, request, response);
    }

    /** As {@link #open(String, Event, HttpServletRequest, HttpServletResponse)}, ending at {@code endsAt} at the latest. */
    public void open(String id, Event first, Instant endsAt, HttpServletRequest request, HttpServletResponse response) {
        hub.checkRunning();
        Topic t = acquire(id);
        boolean handedOver = false;
        try {
            Frame frame = first == null ? null : hub.frame(first.name(), first.data());
            SseClient c = connect(t, endsAt, frame, request, response);
            handedOver = true;
            register(t, c);
        } finally {
            if (!handedOver) release(t);
        }
    }

    /** Sends {@code event} to {@code id}'s clients on this instance (none: nothing happens). */
    public void publish(String id, Event event) {
        Topic t = streams.get(id);
        if (t == null) return;
        t.pending.add(event);
        t.sender.request();
    }

    @Override
    Topic create(String id) {
        Topic t = new Topic(id);
        t.sender = hub.coalescer(options.maxEventsPerSecond(), () -> send(t));
        return t;
    }

    private void send(Topic t) {
        List<Event> events = t.pending.drain();
        if (events.isEmpty()) return;
        offerAll(t, events.stream().map(e -> hub.frame(e.name(), e.data())).toList());
    }
}
