package dev.apiary.common.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The streams of one use, keyed by id: a stream exists on this instance while a client (or an opening) holds it,
 * and goes away with its last client.
 */
abstract sealed class StreamFamily<S extends StreamFamily.Stream> permits StateStreams, TopicStreams {

    /** One id's stream; its fields are guarded by the stream itself. */
    static class Stream {
        final String id;
        final Set<SseClient> clients = new LinkedHashSet<>();
        Coalescer sender;
        int holds;
        boolean closed;

        Stream(String id) {
            this.id = id;
        }
    }

    final EventHub hub;
    final String name;
    final StreamOptions options;
    final ConcurrentHashMap<String, S> streams = new ConcurrentHashMap<>();

    StreamFamily(EventHub hub, String name, StreamOptions options) {
        this.hub = hub;
        this.name = name;
        this.options = options;
    }

    abstract S create(String id);

    /** Called once a stream is held, before its first client is registered (a state stream subscribes). */
    void started(S stream) {
    }

    /** Called when a stream's last hold went away (a state stream unsubscribes). */
    void stopped(S stream) {
    }

    /** The id's stream with one hold taken: created and started if needed. */
    final S acquire(String id) {
        while (true) {
            S s = streams.computeIfAbsent(id, this::create);
            synchronized (s) {
                if (s.closed) continue; // it was closing as we found it: take a fresh one
                s.holds++;
            }
            try {
                started(s);
            } catch (RuntimeException e) {
                release(s);
                throw e;
            }
            return s;
        }
    }

    final void release(S s) {
        boolean last;
        synchronized (s) {
            last = --s.holds == 0;
            if (last) {
                s.closed = true;
                streams.remove(s.id, s);
            }
        }
        if (last) stopped(s);
    }

    /** Connects the request as a client of {@code s}; the caller's hold now belongs to the client. */
    final SseClient connect(S s, Instant endsAt, Frame first, HttpServletRequest request, HttpServletResponse response) {
        return hub.connect(name + " " + s.id, request, response, options, endsAt, first, c -> {
            synchronized (s) {
                s.clients.remove(c);
            }
            release(s);
        });
    }

    /** Registers a connected client unless it is already gone. */
    final void register(S s, SseClient c) {
        synchronized (s) {
            if (!c.isClosed()) s.clients.add(c);
        }
    }

    /**
     * Offers {@code frames} to every client of {@code s}, in order; a client that cannot take them is dropped: no
     * longer one of the stream's clients, it gets its last event if it takes it in time.
     */
    final void offerAll(S s, List<Frame> frames) {
        List<SseClient> behind = new ArrayList<>();
        synchronized (s) {
            for (SseClient c : s.clients) {
                for (Frame f : frames) {
                    if (!c.offer(f)) {
                        behind.add(c);
                        break;
                    }
                }
            }
            behind.forEach(s.clients::remove);
        }
        behind.forEach(hub::drop);
    }

    /** Clients connected to {@code id} on this instance. */
    public int clients(String id) {
        return stats(id).clients();
    }

    public StreamStats stats(String id) {
        S s = streams.get(id);
        if (s == null) return new StreamStats(0, 0);
        synchronized (s) {
            int backlog = 0;
            for (SseClient c : s.clients) backlog = Math.max(backlog, c.backlog());
            return new StreamStats(s.clients.size(), backlog);
        }
    }

    /** At hub stop, after the clients ended: lets go of whatever is left. */
    final void closeAll() {
        for (S s : List.copyOf(streams.values())) {
            boolean close;
            synchronized (s) {
                close = !s.closed;
                s.closed = true;
                streams.remove(s.id, s);
            }
            if (close) {
                try {
                    stopped(s);
                } catch (RuntimeException e) {
                    // stopping: Redis may be gone already
                }
            }
        }
    }
}
