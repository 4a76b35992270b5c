package dev.apiary.alert.dispatch;

import dev.apiary.alert.core.SendResult;
import dev.apiary.common.tracing.CurrentTrace;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import com.sun.net.httpserver.HttpServer;
import com.twilio.exception.ApiException;

import dev.apiary.alert.config.AlertProperties;

@Timeout(120) // an exchange that never completes must fail the test, not hang it
class TwilioGatewayTest {
    private static final String SID = "AC00000000000000000000000000000000";

    private static ApiException error(int status, int code) {
        return new ApiException("x", code, "", status, status, null, false, null);
    }

    @Test
    void providerErrorsAreClassifiedForTheRetryPolicy() {
        assertThat(TwilioGateway.classify(error(429, 20429), null)).isInstanceOfSatisfying(SendResult.Retry.class,
                r -> assertThat(r.ambiguous()).isFalse());
        assertThat(TwilioGateway.classify(error(503, 20503), null)).isInstanceOfSatisfying(SendResult.Retry.class,
                r -> assertThat(r.ambiguous()).isTrue());
        assertThat(TwilioGateway.classify(error(400, 21211), null)).isInstanceOfSatisfying(SendResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo("twilio 21211 invalid_number"));
        assertThat(TwilioGateway.classify(error(400, 21610), null)).isInstanceOfSatisfying(SendResult.Rejected.class,
                r -> assertThat(r.optedOut()).isTrue());
        assertThat(TwilioGateway.classify(error(400, 21614), null)).isInstanceOfSatisfying(SendResult.Rejected.class,
                r -> assertThat(r.optedOut()).isFalse());
    }

    // ---- the gateway through twilio-java and the JDK HTTP client against a local HTTP server playing Twilio

    record Seen(String method, String rawPath, String rawQuery, String host, String auth, String contentType,
                String body) {
    }

    private final ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final AtomicReference<String[]> next = new AtomicReference<>(); // status, Retry-After, body
    private final CountDownLatch hang = new CountDownLatch(1);
    private HttpServer server;
    private TwilioGateway gateway;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.setExecutor(vt);
        server.createContext("/", x -> {
            URI u = x.getRequestURI();
            seen.add(new Seen(x.getRequestMethod(), u.getRawPath(), u.getRawQuery(),
                    x.getRequestHeaders().getFirst("Host"), x.getRequestHeaders().getFirst("Authorization"),
                    x.getRequestHeaders().getFirst("Content-Type"),
                    new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            String[] r = next.get();
            if (r == null) {
                try {
                    hang.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                x.close();
                return;
            }
            byte[] body = r[2].getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            if (r[1] != null) {
                x.getResponseHeaders().add("Retry-After", r[1]);
            }
            x.sendResponseHeaders(Integer.parseInt(r[0]), body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        AlertProperties props = new Binder(new MapConfigurationPropertySource(Map.of(
                "apiary.alert.twilio.base-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "apiary.alert.twilio.timeout", "2s", "apiary.alert.twilio.auth-token", "test-auth-token")))
                .bindOrCreate("apiary.alert", AlertProperties.class);
        gateway = new TwilioGateway(props, CurrentTrace.NONE);
    }

    @AfterEach
    void stop() {
        hang.countDown();
        gateway.close();
        server.stop(0);
        vt.close();
    }

    private static final AlertProperties.Senders SENDER = new AlertProperties.Senders("+15005550006", "",
            "+15005550006", "mg.example.org", "x");

    @Test
    void anSmsIsBuiltBySdkSentByTheJdkClientAndItsResponseParsedBySdk() {
        next.set(new String[] {"201", null, "{\"sid\": \"SM0123456789abcdef0123456789abcdef\", \"status\": \"queued\","
                + " \"to\": \"+12025550100\", \"body\": \"snow day\"}"});
        SendResult r = gateway.sms("+12025550100", SENDER, "snow day: school closed", URI.create("http://cb/x?d=a.1"));
        assertThat(r).isEqualTo(new SendResult.Accepted("SM0123456789abcdef0123456789abcdef"));
        assertThat(seen).hasSize(1);
        Seen s = seen.peek();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.rawPath()).isEqualTo("/2010-04-01/Accounts/" + SID + "/Messages.json");
        assertThat(s.host()).isEqualTo("127.0.0.1:" + server.getAddress().getPort());
        assertThat(s.auth()).startsWith("Basic ");
        assertThat(s.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(s.body()).contains("To=%2B12025550100").contains("From=%2B15005550006")
                .contains("Body=snow+day%3A+school+closed").contains("StatusCallback=");
    }

    @Test
    void hundredsOfSendsAreInFlightAtOnceEachOnItsOwnVirtualThread() throws Exception {
        int n = 200;
        CountDownLatch arrived = new CountDownLatch(n);
        server.removeContext("/");
        server.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            arrived.countDown();
            boolean together;
            try {
                together = arrived.await(60, TimeUnit.SECONDS); // answers only once all n are in flight
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                together = false;
            }
            byte[] body = ("{\"sid\": \"" + (together ? "SMall" : "SMlate") + "\"}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(201, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        AlertProperties props = new Binder(new MapConfigurationPropertySource(Map.of(
                "apiary.alert.twilio.base-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "apiary.alert.twilio.timeout", "60s", "apiary.alert.twilio.auth-token", "test-auth-token")))
                .bindOrCreate("apiary.alert", AlertProperties.class);
        try (TwilioGateway slow = new TwilioGateway(props, CurrentTrace.NONE)) {
            List<java.util.concurrent.Future<SendResult>> sends = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                sends.add(vt.submit(() -> slow.sms("+12025550100", SENDER, "x", URI.create("http://cb/"))));
            }
            for (var f : sends) {
                assertThat(f.get(90, TimeUnit.SECONDS)).isEqualTo(new SendResult.Accepted("SMall"));
            }
        }
    }

    @Test
    void sequentialSendsReuseOneKeepAliveConnection() {
        Set<InetSocketAddress> peers = ConcurrentHashMap.newKeySet();
        server.removeContext("/");
        server.createContext("/", x -> {
            peers.add(x.getRemoteAddress());
            x.getRequestBody().readAllBytes();
            byte[] body = "{\"sid\": \"SM1\"}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(201, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        for (int i = 0; i < 5; i++) {
            assertThat(gateway.sms("+12025550100", SENDER, "x", URI.create("http://cb/")))
                    .isEqualTo(new SendResult.Accepted("SM1"));
        }
        assertThat(peers).hasSize(1);
    }

    @Test
    void aServerThatAcceptsButNeverAnswersFailsWithinTheTimeoutAsAmbiguous() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // accepts and reads nothing, like a TLS server that never completes its handshake
            vt.submit(() -> {
                java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
                while (!silent.isClosed()) {
                    held.add(silent.accept());
                }
                return held;
            });
            AlertProperties props = new Binder(new MapConfigurationPropertySource(Map.of(
                    "apiary.alert.twilio.base-url", "https://127.0.0.1:" + silent.getLocalPort(),
                    "apiary.alert.twilio.timeout", "1s", "apiary.alert.twilio.connect-timeout", "1s",
                    "apiary.alert.twilio.auth-token", "test-auth-token")))
                    .bindOrCreate("apiary.alert", AlertProperties.class);
            try (TwilioGateway g = new TwilioGateway(props, CurrentTrace.NONE)) {
                long t0 = System.nanoTime();
                SendResult r = g.sms("+12025550100", SENDER, "x", URI.create("http://cb/"));
                assertThat(r).isInstanceOfSatisfying(SendResult.Retry.class, retry -> {
                    assertThat(retry.ambiguous()).isTrue();
                    assertThat(retry.reason()).startsWith("twilio_unreachable:Http").endsWith("TimeoutException");
                });
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
            }
        }
    }

    @Test
    void aRateLimitedSendIsRetriedAfterTheResponsesRetryAfter() {
        next.set(new String[] {"429", "7", "{\"code\": 20429, \"message\": \"Too Many Requests\", \"status\": 429}"});
        SendResult r = gateway.call("+12025550100", "+15005550006", "<Response><Say>hi</Say></Response>",
                URI.create("http://cb/x?d=a.2"));
        assertThat(r).isEqualTo(new SendResult.Retry(Duration.ofSeconds(7), false, "twilio_20429"));
        assertThat(seen.peek().rawPath()).isEqualTo("/2010-04-01/Accounts/" + SID + "/Calls.json");
        assertThat(seen.peek().body()).contains("MachineDetection=Enable").contains("Twiml=");
    }

    @Test
    void permanentErrorsAndServerErrorsAreClassified() {
        next.set(new String[] {"400", null, "{\"code\": 21211, \"message\": \"invalid\", \"status\": 400}"});
        assertThat(gateway.sms("+12025550100", SENDER, "x", URI.create("http://cb/")))
                .isEqualTo(new SendResult.Rejected("twilio 21211 invalid_number", false));
        next.set(new String[] {"503", null, "{\"code\": 20503, \"message\": \"unavailable\", \"status\": 503}"});
        assertThat(gateway.sms("+12025550100", SENDER, "x", URI.create("http://cb/")))
                .isEqualTo(new SendResult.Retry(null, true, "twilio_503"));
    }

    @Test
    void noResponseInTimeIsAnAmbiguousFailure() {
        SendResult r = gateway.sms("+12025550100", SENDER, "x", URI.create("http://cb/"));
        assertThat(r).isEqualTo(new SendResult.Retry(null, true, "twilio_unreachable:HttpTimeoutException"));
        assertThat(seen).hasSize(1); // sent once, not again by the transport
    }

    @Test
    void pagedReadsKeepThePlusOfE164InTheQuery() {
        next.set(new String[] {"200", null, "{\"messages\": [{\"sid\": \"SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
                + " \"from\": \"+15005550006\", \"to\": \"+12025550100\", \"body\": \"x\","
                + " \"date_created\": \"Thu, 26 Nov 2026 07:05:00 +0000\"}], \"next_page_uri\": null,"
                + " \"page\": 0, \"page_size\": 20, \"uri\": \"/2010-04-01/Accounts/" + SID + "/Messages.json\"}"});
        List<String> sid = gateway.findMessages("+12025550100", SENDER, "x",
                ZonedDateTime.of(2026, 11, 26, 7, 0, 0, 0, ZoneOffset.UTC));
        assertThat(sid).containsExactly("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        Seen s = seen.peek();
        assertThat(s.method()).isEqualTo("GET");
        assertThat(s.rawQuery()).contains("To=%2B12025550100").contains("From=%2B15005550006");
    }
}
