package dev.apiary.alert.dispatch;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

import com.twilio.exception.ApiConnectionException;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;

/**
 * twilio-java's HTTP client replaced: one attempt per request (the SDK's own retries of 5xx/429 are off —
 * the dispatcher decides), the JDK HTTP client, an optional base URL so the SDK talks to sandbox/providers, and the
 * last Retry-After kept per thread for the caller.
 * <p>
 * HTTP/2: the JDK client speaks HTTP/2 to api.twilio.com (TLS, negotiated by ALPN) and to a cleartext base URL that
 * accepts {@code Upgrade: h2c} (sandbox/providers), so requests in flight share a few connections instead of holding
 * one each. The JDK client keeps one HTTP/2 connection per host and fails a request outright ("too many concurrent
 * streams") when the server's stream limit is reached, so requests are spread over {@code lanes} clients of at most
 * {@code streamsPerLane} requests each (a lane waits when full). Against an HTTP/1.1-only server the lanes are just
 * connection pools.
 * <p>
 * The calling (virtual) thread waits for the response with a plain park on the exchange's future rather than inside
 * {@code HttpClient.send}: the parked stack is what a request in flight costs besides the exchange, so it is kept
 * short.
 */
final class TwilioHttp extends HttpClient implements AutoCloseable {
    private static final ThreadLocal<Duration> RETRY_AFTER = new ThreadLocal<>();

    private final Lane[] lanes;
    private final AtomicInteger next = new AtomicInteger();
    private final URI base;
    private final Duration timeout;

    private record Lane(java.net.http.HttpClient http, Semaphore streams) {
    }

    /**
     * @param clients        makes one JDK client per lane
     * @param lanes          number of clients
     * @param streamsPerLane requests in flight per client at most (keep it at or below the server's
     *                       SETTINGS_MAX_CONCURRENT_STREAMS; 100 is the usual value)
     */
    TwilioHttp(Supplier<java.net.http.HttpClient> clients, int lanes, int streamsPerLane, String baseUrl,
               Duration timeout) {
        this.lanes = new Lane[Math.max(1, lanes)];
        for (int i = 0; i < this.lanes.length; i++) {
            this.lanes[i] = new Lane(clients.get(), new Semaphore(Math.max(1, streamsPerLane)));
        }
        this.base = baseUrl == null || baseUrl.isBlank() ? null : URI.create(baseUrl);
        this.timeout = timeout;
    }

    /** Retry-After of this thread's last response, if any. */
    static Duration lastRetryAfter() {
        return RETRY_AFTER.get();
    }

    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        RETRY_AFTER.remove();
        HttpRequest req = toJdk(request);
        Lane lane;
        try {
            lane = acquireLane();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("interrupted", e);
        }
        HttpResponse<String> resp;
        try {
            resp = await(lane.http().sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new ApiConnectionException("Twilio request failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("interrupted", e);
        } finally {
            lane.streams().release();
        }
        resp.headers().firstValue("Retry-After").ifPresent(v -> RETRY_AFTER.set(parseRetryAfter(v)));
        List<Header> headers = new ArrayList<>();
        resp.headers().map().forEach((k, vs) -> vs.forEach(v -> headers.add(new BasicHeader(k, v))));
        return new Response(resp.body(), resp.statusCode(), headers.toArray(Header[]::new));
    }

    private HttpRequest toJdk(Request request) {
        URL url = request.constructURL();
        URI target;
        try {
            URI u = url.toURI();
            // raw path and query: decoding and re-encoding would turn the '+' of E.164 numbers into spaces
            target = base == null ? u : URI.create(base.getScheme() + "://" + base.getRawAuthority() + u.getRawPath()
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
        } catch (Exception e) {
            throw new ApiConnectionException("bad URL", e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout).setHeader("Accept", "application/json");
        if (request.requiresAuthentication()) {
            b.setHeader("Authorization", request.getAuthString());
        }
        request.getHeaderParams().forEach((k, vs) -> vs.forEach(v -> b.setHeader(k, v)));
        HttpMethod m = request.getMethod();
        if (m == HttpMethod.POST) {
            b.setHeader("Content-Type", "application/x-www-form-urlencoded");
            b.POST(HttpRequest.BodyPublishers.ofString(request.encodeFormBody()));
        } else if (m == HttpMethod.DELETE) {
            b.DELETE();
        } else {
            b.GET();
        }
        return b.build();
    }

    /** A lane with a free stream: the next free one round-robin, else wait for the next lane in turn. */
    private Lane acquireLane() throws InterruptedException {
        int start = Math.floorMod(next.getAndIncrement(), lanes.length);
        for (int i = 0; i < lanes.length; i++) {
            Lane l = lanes[(start + i) % lanes.length];
            if (l.streams().tryAcquire()) {
                return l;
            }
        }
        Lane l = lanes[start];
        l.streams().acquire();
        return l;
    }

    /** Waits for the exchange (cancelling it if interrupted), unwrapping its failure like HttpClient.send does. */
    private static <T> T await(CompletableFuture<T> cf) throws IOException, InterruptedException {
        if (!cf.isDone()) {
            Thread self = Thread.currentThread();
            cf.whenComplete((r, e) -> LockSupport.unpark(self));
            while (!cf.isDone()) {
                LockSupport.park(cf);
                if (Thread.interrupted()) {
                    cf.cancel(true);
                    throw new InterruptedException();
                }
            }
        }
        try {
            return cf.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        } catch (CancellationException e) {
            throw new IOException("canceled", e);
        }
    }

    static Duration parseRetryAfter(String v) {
        try {
            return Duration.ofSeconds(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void close() {
        for (Lane l : lanes) {
            l.http().close();
        }
    }
}
