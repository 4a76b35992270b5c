package dev.apiary.common.events;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.http.HttpStatus;

import dev.apiary.common.web.ApiProblem;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one Server-Sent-Events hub of a service. Uses create their streams here: {@link #states} for a state in
 * Redis whose changes are signalled on a pub/sub channel (job progress, alert progress), {@link #topics} for events
 * the instance produces itself (gradebook changes). Every client has its own bounded queue and a virtual thread
 * that writes it, so a client that stops reading delays nobody else; when its queue is full it is dropped (an
 * {@code end} event, reason {@code lagging}, if it still takes one). A {@link SmartLifecycle}: on shutdown it ends
 * every stream (reason {@code shutdown}; browsers reconnect to another instance) and cuts the connections that
 * cannot take that within {@code shutdownGrace}, before the web server's graceful shutdown starts waiting for
 * open requests.
 */
public class EventHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);

    private final RedisMessageListenerContainer listeners;
    private final JsonMapper json;
    private final EventHubProperties props;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("event-hub-timer").daemon().factory());
    private final ExecutorService senders = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("event-send-", 0).factory());
    private final ThreadFactory writers = Thread.ofVirtual().name("event-writer-", 0).factory();
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final List<StreamFamily<?>> families = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final Object lifecycle = new Object();
    private final Object closedSignal = new Object();
    private boolean running = true; // open from the start: the web server starts before this bean's phase

    public EventHub(RedisMessageListenerContainer listeners, JsonMapper json, EventHubProperties props,
                    MeterRegistry meters) {
        this.listeners = listeners;
        this.json = json;
        this.props = props;
        if (meters != null) {
            meters.gauge("apiary.events.clients", clients, Set::size);
            meters.more().counter("apiary.events.dropped", List.of(), dropped);
        }
    }

    /**
     * Streams of a state in Redis.
     *
     * @param name      what a stream follows, for logs and the 404 problem ("report", "alert")
     * @param eventName the SSE event name of each state ("status", "progress")
     */
    public <V> StateStreams<V> states(String name, String eventName, StateSource<V> source, StreamOptions options) {
        StateStreams<V> s = new StateStreams<>(this, name, eventName, source, options);
        families.add(s);
        return s;
    }

    /** Streams of events this instance publishes itself; {@code name} is for logs ("section"). */
    public TopicStreams topics(String name, StreamOptions options) {
        TopicStreams t = new TopicStreams(this, name, options);
        families.add(t);
        return t;
    }

    /** Clients connected to this instance, all streams together. */
    public int clients() {
        return clients.size();
    }

    /** Clients dropped since start because they fell behind. */
    public long dropped() {
        return dropped.get();
    }

    // --- for the stream families

    RedisMessageListenerContainer listeners() {
        return listeners;
    }

    Frame frame(String name, Object data) {
        return Frame.event(json, name, data);
    }

    Frame end(String reason) {
        return frame(StreamEnd.EVENT, new StreamEnd(reason));
    }

    Coalescer coalescer(double maxPerSecond, Runnable task) {
        return new Coalescer(maxPerSecond, timer, senders, System::nanoTime, task);
    }

    void checkRunning() {
        synchronized (lifecycle) {
            if (!running) throw unavailable();
        }
    }

    /**
     * Starts the SSE response and its writer; {@code first} (if any) is the first frame it sends, {@code onFinished}
     * runs when the client is no longer served.
     */
    SseClient connect(String stream, HttpServletRequest request, HttpServletResponse response, StreamOptions options,
                      Instant endsAt, Frame first, Consumer<SseClient> onFinished) {
        Duration life = options.maxLifetime();
        String reason = "timeout";
        if (endsAt != null && Duration.between(Instant.now(), endsAt).compareTo(life) < 0) {
            life = Duration.between(Instant.now(), endsAt);
            reason = "expired";
        }
        long deadline = System.nanoTime() + Math.max(0, Math.min(life.toNanos(), Duration.ofDays(365).toNanos()));
        response.setStatus(HttpStatus.OK.value());
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // nginx: pass events on at once
        SseClient client;
        synchronized (lifecycle) {
            if (!running) throw unavailable();
            AsyncContext async = request.startAsync(request, response);
            async.setTimeout(0); // lifetime and deadlines are the writer's
            try {
                // status and headers go out now, from the request's own thread, before the response turns
                // non-blocking (security's header writer runs on this thread too)
                response.flushBuffer();
                Runnable abort = request.getAttribute(ConnectionAbortValve.ATTRIBUTE) instanceof Runnable r ? r : null;
                client = new SseClient(stream, async, response.getOutputStream(), abort, options.buffer(),
                        options.heartbeat().toNanos(), deadline, end(reason), onFinished, this::done);
            } catch (IOException | IllegalStateException e) {
                async.complete();
                throw new IllegalStateException("the client went away while its stream was opened", e);
            }
            if (first != null) client.offer(first);
            clients.add(client);
        }
        writers.newThread(client::write).start();
        return client;
    }

    /** A client whose queue is full: its backlog is replaced by a last event, and it is cut if it cannot take it. */
    void drop(SseClient c) {
        if (!c.endNow(end("lagging"))) return;
        dropped.incrementAndGet();
        log.info("event stream {}: a client fell behind and was dropped", c.stream());
        try {
            timer.schedule(c::cut, props.dropGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            c.cut();
        }
    }

    /** The container finished the client's request. */
    private void done(SseClient c) {
        clients.remove(c);
        synchronized (closedSignal) {
            closedSignal.notifyAll();
        }
    }

    private static ApiProblem unavailable() {
        return ApiProblem.of(HttpStatus.SERVICE_UNAVAILABLE, "Shutting down",
                "This instance is stopping; connect again to reach another one");
    }

    // --- lifecycle

    @Override
    public void start() {
        synchronized (lifecycle) {
            running = true;
        }
    }

    /**
     * Not paused with its context (Spring Framework 7's test context cache pauses inactive contexts): {@link #stop}
     * is a shutdown that ends every stream and its executors for good, and an idle hub runs nothing worth pausing.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public boolean isRunning() {
        synchronized (lifecycle) {
            return running;
        }
    }

    /** Ends every stream, waits up to {@code shutdownGrace} for the clients to take their end, cuts the rest. */
    @Override
    public void stop() {
        synchronized (lifecycle) {
            if (!running) return;
            running = false;
        }
        int open = clients.size();
        Frame bye = end("shutdown");
        for (SseClient c : List.copyOf(clients)) c.endNow(bye);
        long deadline = System.nanoTime() + props.shutdownGrace().toNanos();
        synchronized (closedSignal) {
            long left;
            while (!clients.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    closedSignal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<SseClient> stuck = List.copyOf(clients);
        stuck.forEach(SseClient::cut);
        families.forEach(StreamFamily::closeAll);
        timer.shutdownNow();
        senders.shutdownNow();
        if (open > 0) log.info("event streams ended for shutdown: {} clients, {} of them cut", open, stuck.size());
    }
}
