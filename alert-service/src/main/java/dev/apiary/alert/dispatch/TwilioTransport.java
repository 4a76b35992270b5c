package dev.apiary.alert.dispatch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

import com.twilio.constant.EnumConstants;
import com.twilio.exception.ApiConnectionException;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;

import dev.apiary.alert.http.NioHttp;

/**
 * twilio-java on {@link NioHttp}, in two phases so that no SDK frame is on a thread's stack while a request is in
 * flight:
 * <ol>
 * <li><b>capture</b> — {@link #start} runs an SDK call (e.g. {@code creator::create}) against {@link #sdk()}; its
 * HTTP client receives the SDK-built {@link Request} and aborts the call with a stackless exception carrying it. The
 * request is serialized (method, URL moved to the configured base URL with its raw path and query — the '+' of
 * E.164 numbers survives —, auth, headers, form body) and handed to the NIO client;</li>
 * <li><b>replay</b> — with the response in, {@link #replay} runs the same SDK call again; this time the HTTP client
 * returns that response, so the SDK parses the resource or throws its {@code ApiException} exactly as usual.</li>
 * </ol>
 * Reads that page through several requests (lookups, status fetches; rare) use {@link #blockingSdk()}, whose HTTP
 * client waits for each response inside the SDK call.
 * <p>
 * One attempt per request: the SDK's own retries of 5xx/429 are off (the dispatcher decides).
 */
final class TwilioTransport implements AutoCloseable {
    private static final String USER_AGENT = "twilio-java/13 (apiary alert-service)";
    /** The response for the replay running on this thread (set and cleared around one synchronous SDK call). */
    private static final ThreadLocal<Response> REPLAY = new ThreadLocal<>();

    private final NioHttp http;
    private final URI base;
    private final NioHttp.Origin baseOrigin;
    private final Duration timeout;
    private final Map<String, NioHttp.Origin> origins = new ConcurrentHashMap<>();
    private final TwilioRestClient sdk;
    private final TwilioRestClient blockingSdk;

    /** Carries the captured request out of the SDK call; no stack trace, no suppression. */
    private static final class Captured extends RuntimeException {
        final transient Request request;

        Captured(Request request) {
            super(null, null, false, false);
            this.request = request;
        }
    }

    TwilioTransport(NioHttp http, String accountSid, String authToken, String baseUrl, Duration timeout) {
        this.http = http;
        this.base = baseUrl == null || baseUrl.isBlank() ? null : URI.create(baseUrl);
        this.baseOrigin = base == null ? null : NioHttp.Origin.of(base);
        this.timeout = timeout;
        this.sdk = new TwilioRestClient.Builder(accountSid, authToken).accountSid(accountSid)
                .httpClient(new Bridge(false)).build();
        this.blockingSdk = new TwilioRestClient.Builder(accountSid, authToken).accountSid(accountSid)
                .httpClient(new Bridge(true)).build();
    }

    /** For two-phase calls: {@link #start} and {@link #replay}. */
    TwilioRestClient sdk() {
        return sdk;
    }

    /** For calls that may make several requests (paged reads): each waits inside the SDK call. */
    TwilioRestClient blockingSdk() {
        return blockingSdk;
    }

    /**
     * Phase 1: runs {@code call} until the SDK has built its request, and sends that. The returned exchange is the
     * request in flight; nothing of the SDK call is kept.
     */
    NioHttp.Exchange start(Function<TwilioRestClient, ?> call) {
        Request request;
        try {
            call.apply(sdk);
            throw new IllegalStateException("the SDK call returned without a request");
        } catch (Captured c) {
            request = c.request;
        }
        return send(request);
    }

    /**
     * Waits for the response of {@link #start}'s exchange. The caller should keep its own stack short: this is
     * where the request's thread parks. Throws the SDK's {@link ApiConnectionException} when no response came.
     */
    static NioHttp.Response await(NioHttp.Exchange exchange) {
        try {
            return exchange.await();
        } catch (IOException e) {
            throw new ApiConnectionException("Twilio request failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("interrupted", e);
        }
    }

    /** Phase 2: runs {@code call} again; the SDK gets {@code response} and parses it (or throws ApiException). */
    <T> T replay(Function<TwilioRestClient, T> call, NioHttp.Response response) {
        REPLAY.set(toSdk(response));
        try {
            return call.apply(sdk);
        } finally {
            REPLAY.remove();
        }
    }

    private NioHttp.Exchange send(Request request) {
        URI u;
        try {
            u = request.constructURL().toURI();
        } catch (Exception e) {
            throw new ApiConnectionException("bad URL", e);
        }
        NioHttp.Origin origin = baseOrigin != null ? baseOrigin
                : origins.computeIfAbsent(u.getScheme() + "://" + u.getRawAuthority(), k -> NioHttp.Origin.of(u));
        return http.send(origin, encode(request, u, origin), timeout);
    }

    /** The HTTP/1.1 request: raw path and query (decoding and re-encoding would turn E.164's '+' into spaces). */
    static byte[] encode(Request request, URI u, NioHttp.Origin origin) {
        HttpMethod m = request.getMethod();
        byte[] body = null;
        String contentType = null;
        if (m == HttpMethod.POST || m == HttpMethod.PUT) {
            if (request.getContentType() == EnumConstants.ContentType.JSON) {
                body = (request.getBody() == null ? "" : request.getBody()).getBytes(StandardCharsets.UTF_8);
                contentType = "application/json";
            } else {
                body = request.encodeFormBody().getBytes(StandardCharsets.UTF_8);
                contentType = "application/x-www-form-urlencoded";
            }
        }
        StringBuilder h = new StringBuilder(256);
        h.append(m.toString()).append(' ').append(u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath());
        if (u.getRawQuery() != null) {
            h.append('?').append(u.getRawQuery());
        }
        h.append(" HTTP/1.1\r\nHost: ").append(origin.authority())
                .append("\r\nAccept: application/json\r\nUser-Agent: ").append(USER_AGENT).append("\r\n");
        if (request.requiresAuthentication()) {
            h.append("Authorization: ").append(request.getAuthString()).append("\r\n");
        }
        for (Map.Entry<String, List<String>> e : request.getHeaderParams().entrySet()) {
            if (e.getKey().equalsIgnoreCase("Content-Type") && contentType != null) {
                contentType = null;
            }
            for (String v : e.getValue()) {
                h.append(e.getKey()).append(": ").append(v).append("\r\n");
            }
        }
        if (body != null) {
            if (contentType != null) {
                h.append("Content-Type: ").append(contentType).append("\r\n");
            }
            h.append("Content-Length: ").append(body.length).append("\r\n");
        }
        h.append("\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null || body.length == 0) {
            return head;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + body.length);
        out.writeBytes(head);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static Response toSdk(NioHttp.Response r) {
        List<String> hs = r.headers();
        Header[] headers = new Header[hs.size() / 2];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = new BasicHeader(hs.get(2 * i), hs.get(2 * i + 1));
        }
        return new Response(r.bodyText(), r.status(), headers);
    }

    /** The SDK's HTTP client: hands back a staged replay response, else captures (or, blocking, sends and waits). */
    private final class Bridge extends HttpClient {
        private final boolean blocking;

        Bridge(boolean blocking) {
            this.blocking = blocking;
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
            Response staged = REPLAY.get();
            if (staged != null) {
                REPLAY.remove(); // one response per replay: a second request of the same call is captured again
                return staged;
            }
            if (!blocking) {
                throw new Captured(request);
            }
            return toSdk(await(send(request)));
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
