package dev.apiary.alert.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;

import dev.apiary.sandbox.providers.ProvidersSandboxApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transport under twilio-java against a simulator that allows only 4 HTTP/2 streams per connection (its own
 * instance): requests are spread over lanes so none is refused for "too many concurrent streams".
 */
class TwilioHttpTest {
    private static final String SID = "AC00000000000000000000000000000000";
    private static ConfigurableApplicationContext sandbox;
    private static String url;
    private static final HttpClient admin = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        sandbox = new SpringApplicationBuilder(ProvidersSandboxApplication.class)
                .run("--server.port=" + port, "--spring.application.name=sandbox-providers-h2",
                        "--spring.jmx.enabled=false", "--apiary.security.public-paths=/**",
                        "--server.http2.enabled=true", "--sandbox-server.h2-max-concurrent-streams=4");
        url = "http://localhost:" + port;
        post("/_admin/reset?settings=true", "{}");
        post("/_admin/config", "{\"sms_segments_per_second\": 0, \"latency_ms\": 300, \"callbacks_enabled\": false}");
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static String post(String path, String json) throws Exception {
        return admin.send(HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theSimulatorSpeaksCleartextHttp2() throws Exception {
        try (HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            HttpResponse<String> r = h2.send(HttpRequest.newBuilder(URI.create(url + "/_admin/stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
    }

    @Test
    void moreRequestsThanOneConnectionsStreamLimitAllGoThrough() throws Exception {
        post("/_admin/reset", "{}");
        List<String> sids = new ArrayList<>();
        try (ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor();
             TwilioHttp http = new TwilioHttp(() -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                     .executor(vt).build(), 3, 4, url, Duration.ofSeconds(30))) {
            TwilioRestClient client = new TwilioRestClient.Builder(SID, "sandbox-auth-token").accountSid(SID)
                    .httpClient(http).build();
            List<Future<String>> sends = new ArrayList<>();
            try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 30; i++) {
                    String to = "+1202555%04d".formatted(100 + i);
                    sends.add(senders.submit(() -> Message.creator(new PhoneNumber(to),
                            new PhoneNumber("+15005550006"), "lanes").create(client).getSid()));
                }
            }
            for (Future<String> f : sends) {
                sids.add(f.get());
            }
        }
        assertThat(sids).hasSize(30).doesNotContainNull().doesNotHaveDuplicates();
        JsonNode stats = JsonMapper.builder().build().readTree(admin.send(
                HttpRequest.newBuilder(URI.create(url + "/_admin/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(stats.path("sms_accepted").asInt()).isEqualTo(30);
        // 3 lanes x 4 streams: at most 12 at once, and more than one connection's worth
        assertThat(stats.path("max_in_flight").asInt()).isBetween(5, 12);
    }
}
