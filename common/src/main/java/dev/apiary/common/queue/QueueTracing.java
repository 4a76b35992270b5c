package dev.apiary.common.queue;

import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Carries the trace across a queue: {@link #inject} writes the current trace context into a new entry as
 * {@code _traceparent} (and {@code _tracestate} when there is one), W3C format; the worker runs the handler in a
 * consumer span that is a child of it, so its logs and outgoing calls share the request's trace id. An entry without
 * one (enqueued outside any trace) starts a new trace.
 */
public final class QueueTracing {

    /** The prefix of trace fields in an entry (meta fields start with an underscore). */
    static final String FIELD_PREFIX = "_";

    private final Tracer tracer;
    private final Propagator propagator;

    public QueueTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** The current trace context, if any, into the entry's fields. */
    void inject(Map<String, String> entry) {
        Span current = tracer.currentSpan();
        if (current == null) return;
        TraceContext context = current.context();
        propagator.inject(context, entry, (carrier, key, value) -> {
            if (carrier != null && value != null) carrier.put(FIELD_PREFIX + key, value);
        });
    }

    /** Runs the handler of an entry in a consumer span continuing the entry's trace. */
    void run(String stream, WorkItem item, Work work) throws Exception {
        Span span = propagator.extract(item.fields(), (carrier, key) -> carrier.get(FIELD_PREFIX + key))
                .name("queue " + stream).kind(Span.Kind.CONSUMER).tag("stream", stream).start();
        try (Tracer.SpanInScope ignored = tracer.withSpan(span)) {
            work.run();
        } catch (Exception | Error e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** A handler call. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }
}
