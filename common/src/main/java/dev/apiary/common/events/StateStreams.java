package dev.apiary.common.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.listener.ChannelTopic;

import dev.apiary.common.web.ApiProblem;

/**
 * Streams of a state that lives in Redis (a job's status, an alert's progress): a client gets the current state on
 * connect, then the new state after each change signalled on the id's channel (read once per change for all of
 * this instance's clients of the id, at most {@code maxEventsPerSecond}, unchanged states not repeated), and the
 * stream ends after a final state. Create one per use with {@link EventHub#states}; call {@link #open} from a
 * controller:
 * <pre>{@code
 * @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
 * public void events(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
 *     reports.status(id);                      // 404/403 first, as for any read
 *     progress.open(id, request, response);
 * }
 * }</pre>
 */
public final class StateStreams<V> extends StreamFamily<StateStreams.Watch> {

    private static final Logger log = LoggerFactory.getLogger(StateStreams.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    static final class Watch extends StreamFamily.Stream implements MessageListener, SubscriptionListener {
        final AtomicLong reads = new AtomicLong();
        ChannelTopic channel;
        boolean subscribed;

        Watch(String id) {
            super(id);
        }

        @Override
        public void onMessage(Message message, byte[] pattern) {
            sender.request();
        }

        /** Also after a Redis reconnect: changes made meanwhile were not signalled, so the state is read again. */
        @Override
        public void onChannelSubscribed(byte[] channel, long count) {
            sender.request();
        }
    }

    private final String eventName;
    private final StateSource<V> source;

    StateStreams(EventHub hub, String name, String eventName, StateSource<V> source, StreamOptions options) {
        super(hub, name, options);
        this.eventName = eventName;
        this.source = source;
    }

    /** Streams {@code id}'s state to this request until a final state; a 404 problem when there is no state. */
    public void open(String id, HttpServletRequest request, HttpServletResponse response) {
        open(id, null, request, response);
    }

    /** As {@link #open(String, HttpServletRequest, HttpServletResponse)}, ending at {@code endsAt} at the latest. */
    public void open(String id, Instant endsAt, HttpServletRequest request, HttpServletResponse response) {
        hub.checkRunning();
        Watch w = acquire(id); // subscribed before the first read: a change after it is signalled, never lost
        boolean handedOver = false;
        try {
            long read = w.reads.incrementAndGet();
            Snapshot<V> now = source.read(id).orElseThrow(() -> ApiProblem.notFound(name, id));
            Frame frame = hub.frame(eventName, now.view());
            SseClient c = connect(w, endsAt, frame, request, response);
            handedOver = true;
            synchronized (w) {
                c.seenSeq = read;
                c.lastSent = frame;
                if (now.isFinal()) c.end(null);
            }
            if (!now.isFinal()) {
                register(w, c);
                // a change that landed between the read and the registration is read again (unchanged: not sent)
                w.sender.request();
            }
        } finally {
            if (!handedOver) release(w);
        }
    }

    @Override
    Watch create(String id) {
        Watch w = new Watch(id);
        w.channel = new ChannelTopic(source.channel(id));
        w.sender = hub.coalescer(options.maxEventsPerSecond(), () -> send(w));
        return w;
    }

    @Override
    void started(Watch w) {
        synchronized (w) {
            if (!w.subscribed) {
                hub.listeners().addMessageListener(w, w.channel);
                w.subscribed = true;
            }
        }
    }

    @Override
    void stopped(Watch w) {
        if (!w.subscribed) return;
        try {
            hub.listeners().removeMessageListener(w, w.channel);
        } catch (RuntimeException e) {
            // Redis away: the container drops its subscriptions itself when the connection goes
            log.debug("{} {}: unsubscribe failed: {}", name, w.id, e.toString());
        }
    }

    /** Reads the state once and offers it to every client that has not seen it (or something newer). */
    private void send(Watch w) {
        synchronized (w) {
            if (w.closed) return;
        }
        long read = w.reads.incrementAndGet();
        Optional<Snapshot<V>> now;
        try {
            now = source.read(w.id);
        } catch (RuntimeException e) {
            log.debug("{} {}: state not readable now, trying again: {}", name, w.id, e.toString());
            w.sender.retryAfter(RETRY);
            return;
        }
        Frame frame = now.map(s -> hub.frame(eventName, s.view())).orElse(null);
        Frame gone = frame == null ? goneFrame(w.id) : null;
        boolean isFinal = now.map(Snapshot::isFinal).orElse(true);
        List<SseClient> behind = new ArrayList<>();
        synchronized (w) {
            for (SseClient c : w.clients) {
                if (frame == null) {
                    c.end(gone);
                    continue;
                }
                if (read > c.seenSeq) {
                    if (!frame.sameAs(c.lastSent) && !c.offer(frame)) {
                        behind.add(c);
                        continue;
                    }
                    c.seenSeq = read;
                    c.lastSent = frame;
                }
                if (isFinal) c.end(null);
            }
            behind.forEach(w.clients::remove);
        }
        behind.forEach(hub::drop);
    }

    private Frame goneFrame(String id) {
        if (options.gone() == null) return hub.end("gone");
        Event e = options.gone().apply(id);
        return hub.frame(e.name(), e.data());
    }
}
