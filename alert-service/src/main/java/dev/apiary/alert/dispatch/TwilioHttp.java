package dev.apiary.alert.dispatch;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

import com.twilio.exception.ApiConnectionException;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;

/**
 * twilio-java's HTTP client replaced: one attempt per request (the SDK's own retries of 5xx/429 are off —
 * the dispatcher decides), the JDK HTTP client (cheap on virtual threads), an optional base URL so the
 * SDK talks to sandbox/providers, and the last Retry-After kept per thread for the caller.
 */
final class TwilioHttp extends HttpClient {
    private static final ThreadLocal<Duration> RETRY_AFTER = new ThreadLocal<>();

    private final java.net.http.HttpClient http;
    private final URI base;
    private final Duration timeout;

    TwilioHttp(java.net.http.HttpClient http, String baseUrl, Duration timeout) {
        this.http = http;
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
        try {
            HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            resp.headers().firstValue("Retry-After").ifPresent(v -> RETRY_AFTER.set(parseRetryAfter(v)));
            List<Header> headers = new ArrayList<>();
            resp.headers().map().forEach((k, vs) -> vs.forEach(v -> headers.add(new BasicHeader(k, v))));
            return new Response(resp.body(), resp.statusCode(), headers.toArray(Header[]::new));
        } catch (IOException e) {
            throw new ApiConnectionException("Twilio request failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("interrupted", e);
        }
    }

    static Duration parseRetryAfter(String v) {
        try {
            return Duration.ofSeconds(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
