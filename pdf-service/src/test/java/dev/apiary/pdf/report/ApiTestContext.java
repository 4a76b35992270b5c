package dev.apiary.pdf.report;

import dev.apiary.common.test.RedisTestServer;
import dev.apiary.pdf.callback.CallbackAddresses;
import dev.apiary.pdf.support.CallbackReceivers;
import dev.apiary.pdf.support.Http;
import dev.apiary.pdf.support.ScriptedDns;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The one Spring context the API tests share (a real Redis, a temp data dir, real callback receivers): API clients
 * bound to schools, callbacks allowed to {@link CallbackReceivers#ALLOWED_IP} on the receivers' port, and a
 * scripted DNS for the callback host names under {@code .test}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ApiTestContext.Dns.class)
abstract class ApiTestContext {
    static final Path DATA;
    static final ScriptedDns DNS = new ScriptedDns();
    static final CallbackReceivers RECEIVERS = CallbackReceivers.SHARED;
    static final String LAKEVIEW_KEY = "lakeview-app-key";
    static final String HILLCREST_KEY = "hillcrest-app-key";
    static final String DISTRICT_KEY = "district-app-key";

    static {
        try {
            DATA = Files.createTempDirectory("pdf-api-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestConfiguration
    static class Dns {
        @Bean
        CallbackAddresses.NameLookup scriptedDns() {
            return DNS;
        }
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
        r.add("apiary.pdf.data-dir", DATA::toString);
        r.add("apiary.pdf.chunk-size", () -> "25");
        r.add("apiary.pdf.max-students", () -> "5000");
        r.add("apiary.pdf.workers", () -> "2");
        r.add("apiary.pdf.warmup", () -> "false");
        r.add("apiary.pdf.callback.allowed-hosts", () -> "127.0.0.1,127.0.0.2,169.254.169.254,*.test");
        r.add("apiary.pdf.callback.allowed-addresses", () -> CallbackReceivers.ALLOWED_IP);
        r.add("apiary.pdf.callback.allowed-ports", () -> Integer.toString(RECEIVERS.port));
        r.add("apiary.pdf.callback.backoff", () -> "200ms");
        r.add("apiary.pdf.callback.secret", () -> "test-secret");
        r.add("apiary.security.clients.lakeview-app.key", () -> LAKEVIEW_KEY);
        r.add("apiary.security.clients.lakeview-app.schools", () -> "lakeview");
        r.add("apiary.security.clients.hillcrest-app.key", () -> HILLCREST_KEY);
        r.add("apiary.security.clients.hillcrest-app.schools", () -> "hillcrest");
        r.add("apiary.security.clients.district-app.key", () -> DISTRICT_KEY);
        r.add("apiary.security.clients.district-app.schools", () -> "lakeview,hillcrest");
    }

    @LocalServerPort
    int port;
    @Autowired
    StringRedisTemplate redis;
    Http http;

    @BeforeEach
    void setUpHttp() {
        http = new Http(port);
    }

    /** Status hashes (one per report; not the keys beside them). */
    long reportCount() {
        return redis.keys("apiary:pdf:report:\\{*\\}").stream().filter(k -> k.endsWith("}")).count();
    }

    long idempotencyKeyCount() {
        return redis.keys("apiary:pdf:idem:*").size();
    }

    long dispatchIndexSize() {
        Long n = redis.opsForZSet().size(ReportKeys.DISPATCH_INDEX);
        return n == null ? 0 : n;
    }

    long jobDirs() {
        Path reports = DATA.resolve("reports");
        if (!Files.exists(reports)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(reports)) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a refused request must leave as it was: reports, idempotency keys, the dispatch index, job dirs. */
    record Footprint(long reports, long idempotencyKeys, long dispatchIndex, long jobDirs) {
    }

    Footprint footprint() {
        return new Footprint(reportCount(), idempotencyKeyCount(), dispatchIndexSize(), jobDirs());
    }
}
