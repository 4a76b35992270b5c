package dev.apiary.common.tracing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * The trace of the current thread, for what Spring does not instrument: the W3C trace headers ({@code traceparent},
 * {@code tracestate}) for outgoing calls made with other clients (Apache HttpClient, the JDK client, the provider
 * SDKs), so the receiver's spans join the trace; and work handed to a thread pool, which then runs in the same span.
 * Without a current span, or with tracing off ({@link #NONE}), it adds nothing.
 */
public final class CurrentTrace {

    public static final CurrentTrace NONE = new CurrentTrace(null, null);

    private final Tracer tracer;
    private final Propagator propagator;

    public CurrentTrace(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** The headers to send now (a new map each call; empty when there is no current span). */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        Span span = span();
        if (span == null) return headers;
        propagator.inject(span.context(), headers, (carrier, key, value) -> {
            if (carrier != null && value != null) carrier.put(key, value);
        });
        return headers;
    }

    /** The current trace id, or null outside a trace. */
    public String traceId() {
        Span span = span();
        return span == null ? null : span.context().traceId();
    }

    /** {@code work} to run on another thread in the span current now (as it is when there is none). */
    public <T> Callable<T> carry(Callable<T> work) {
        Span span = span();
        if (span == null) return work;
        return () -> {
            try (Tracer.SpanInScope ignored = tracer.withSpan(span)) {
                return work.call();
            }
        };
    }

    /** An executor that runs each task in the span that was current where it was submitted. */
    public Executor executor(Executor delegate) {
        if (tracer == null || propagator == null) return delegate;
        return task -> {
            Span span = span();
            if (span == null) {
                delegate.execute(task);
                return;
            }
            delegate.execute(() -> {
                try (Tracer.SpanInScope ignored = tracer.withSpan(span)) {
                    task.run();
                }
            });
        };
    }

    private Span span() {
        return tracer == null || propagator == null ? null : tracer.currentSpan();
    }
}
