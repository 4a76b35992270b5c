package dev.apiary.alert.dispatch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient.Redirect;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

import com.twilio.constant.EnumConstants;
import com.twilio.exception.ApiConnectionException;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;

import dev.apiary.common.tracing.CurrentTrace;

/**
 * twilio-java's HTTP client on the JDK's {@link java.net.http.HttpClient}: the SDK builds each request and parses
 * its response, the JDK client sends it (connect timeout, per-request timeout, keep-alive connection pool, HTTP/2
 * over TLS). Callers run on virtual threads, so a request in flight parks its virtual thread and holds no platform
 * thread. One attempt per request: {@link #reliableRequest} does not retry (the dispatcher decides retries), and the
 * JDK client re-sends no POST. Each request carries the current trace ({@code traceparent}), so the provider's side
 * of a send joins the trace of the alert that caused it.
 */
final class JdkTwilioHttp extends HttpClient implements AutoCloseable {
    private static final String USER_AGENT = "twilio-java/13 (apiary alert-service)";
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    /** The last response on this thread: the SDK's ApiException has no headers, Retry-After is read from here. */
    private static final ThreadLocal<Response> LAST = new ThreadLocal<>();

    private final java.net.http.HttpClient http;
    private final URI base;
    private final Duration timeout;
    private final CurrentTrace trace;

    /**
     * @param baseUrl where requests go instead of the SDK's host (sandbox); blank = as the SDK built them
     * @param timeout one request, from sending until the whole response is in
     * @param trace the trace headers of the sending thread's span
     */
    JdkTwilioHttp(String baseUrl, Duration connectTimeout, Duration timeout, CurrentTrace trace) {
        this.base = baseUrl == null || baseUrl.isBlank() ? null : URI.create(baseUrl);
        this.timeout = timeout;
        this.trace = trace;
        this.http = java.net.http.HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(Redirect.NEVER).build(); // the JDK's own executor for its internal tasks
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
        LAST.remove();
        URI u = target(request);
        HttpRequest.Builder b = HttpRequest.newBuilder(u).timeout(timeout)
                .header("Accept", "application/json").header("User-Agent", USER_AGENT);
        if ("http".equalsIgnoreCase(u.getScheme())) {
            b.version(Version.HTTP_1_1); // no h2c upgrade dance on plain HTTP (sandbox)
        }
        if (request.requiresAuthentication()) {
            b.header("Authorization", request.getAuthString());
        }
        trace.headers().forEach(b::header);
        boolean typed = false;
        for (Map.Entry<String, List<String>> e : request.getHeaderParams().entrySet()) {
            String name = e.getKey();
            if (RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            typed |= name.equalsIgnoreCase("Content-Type");
            for (String v : e.getValue()) {
                b.header(name, v);
            }
        }
        HttpMethod m = request.getMethod();
        if (m == HttpMethod.POST || m == HttpMethod.PUT) {
            boolean json = request.getContentType() == EnumConstants.ContentType.JSON;
            String body = json ? (request.getBody() == null ? "" : request.getBody()) : request.encodeFormBody();
            if (!typed) {
                b.header("Content-Type", json ? "application/json" : "application/x-www-form-urlencoded");
            }
            b.method(m.toString(), HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            b.method(m.toString(), HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Response response = new Response(r.body(), r.statusCode(), headers(r));
            LAST.set(response);
            return response;
        } catch (IOException e) {
            throw new ApiConnectionException("Twilio request failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("interrupted", e);
        }
    }

    /** The header {@code name} of the last response received on this thread (and forgets it), or null. */
    static String lastHeader(String name) {
        Response r = LAST.get();
        LAST.remove();
        if (r == null || r.getHeaders() == null) {
            return null;
        }
        for (Header h : r.getHeaders()) {
            if (h.getName().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** The SDK's URL, moved to the base URL if one is set; raw path and query (E.164's '+' stays %2B). */
    private URI target(Request request) {
        URI u;
        try {
            u = request.constructURL().toURI();
        } catch (Exception e) {
            throw new ApiConnectionException("bad URL", e);
        }
        if (base == null) {
            return u;
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    }

    private static Header[] headers(HttpResponse<?> r) {
        return r.headers().map().entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> (Header) new BasicHeader(e.getKey(), v)))
                .toArray(Header[]::new);
    }

    @Override
    public void close() {
        http.shutdownNow(); // requests still in flight fail (as at a crash: the dispatcher's lookups cover them)
    }
}
