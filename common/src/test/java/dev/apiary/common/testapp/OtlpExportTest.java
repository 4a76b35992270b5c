package dev.apiary.common.testapp;

import static dev.apiary.common.testapp.TestHttp.request;
import static dev.apiary.common.testapp.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.sun.net.httpserver.HttpServer;

import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/** With an OTLP endpoint set when the service starts, its spans reach the collector, in the caller's trace. */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apiary.security.api-keys=test-key-1", "apiary.security.public-paths=/api/test/v1/open/**",
        "management.opentelemetry.tracing.export.otlp.headers.x-collector-key=k1"})
class OtlpExportTest {

    record Received(String path, String contentType, String collectorKey, byte[] body) {}

    static final List<Received> received = new CopyOnWriteArrayList<>();
    static final HttpServer collector = collector();

    static HttpServer collector() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/", ex -> {
                received.add(new Received(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Content-Type"),
                        ex.getRequestHeaders().getFirst("x-collector-key"), ex.getRequestBody().readAllBytes()));
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
        r.add("management.opentelemetry.tracing.export.otlp.endpoint",
                () -> "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces");
    }

    @AfterAll
    static void stop() {
        collector.stop(0);
    }

    @LocalServerPort
    int port;

    @Autowired
    List<SpanExporter> exporters;

    @Test
    void aRequestsSpanIsExportedOnceInTheCallersTrace() {
        assertThat(exporters).hasSize(1).first().isInstanceOf(OtlpHttpSpanExporter.class);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var r = send(request(port, "/api/test/v1/open/ping")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
        assertThat(r.statusCode()).isEqualTo(200);
        byte[] id = HexFormat.of().parseHex(traceId);
        Await.until(Duration.ofSeconds(30), "a span of trace " + traceId + " at the collector",
                () -> received.stream().anyMatch(x -> contains(x.body(), id)));
        Received first = received.stream().filter(x -> contains(x.body(), id)).findFirst().orElseThrow();
        assertThat(first.path()).isEqualTo("/v1/traces");
        assertThat(first.contentType()).isEqualTo("application/x-protobuf");
        assertThat(first.collectorKey()).isEqualTo("k1");
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
