package dev.apiary.e2e;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The abuse suite (issue 13): each probe is an attack, through nginx where it applies, that must be refused with a
 * clear answer (problem+json) and change nothing: Redis (every key, with its type and size) and the disk (the pdf data
 * dir, nginx's temp dirs) are the same before and after ({@link #refusedLeavingNothing}).
 *
 * <p>Adding a probe: a {@code @Test} that wraps the attack in {@code refusedLeavingNothing("what", () -> ...)} and
 * asserts each answer with {@link #assertProblem}. A probe that floods (per-address limits) sends from its own loopback
 * address ({@link #clientFrom}, {@link RawHttp#connect}) so it neither uses up nor inherits other tests' allowance;
 * addresses in use: 127.0.0.21-26.
 *
 * <p>Numbers (connections, rates, bursts) are read from the rendered nginx config, so the probes follow the settings.
 */
@Order(85)
class AbuseIT {
    static Suite suite;
    static String nginxConf;

    @BeforeAll
    static void up() throws IOException {
        suite = Suite.get();
        nginxConf = Files.readString(suite.stateDir().resolve("nginx/nginx.conf"));
    }

    interface Probe {
        void run() throws Exception;
    }

    /** Runs the probe between two snapshots of the quiet suite and fails on any change. */
    static void refusedLeavingNothing(String what, Probe probe) throws Exception {
        SuiteState before = SuiteState.quiet(suite);
        probe.run();
        SuiteState after = SuiteState.quiet(suite); // quiet: an effect that lands after the answer is seen too
        assertThat(after.changesSince(before)).as(what + " changed the suite's state").isEmpty();
    }

    static void assertProblem(String what, int expected, int status, String contentType, String body) {
        assertThat(status).as(what + ": " + body).isEqualTo(expected);
        assertThat(contentType).as(what + ": content type").startsWith("application/problem+json");
        assertThat(Suite.JSON.readTree(body).get("status").asInt()).as(what + ": problem status").isEqualTo(expected);
    }

    static void assertProblem(String what, int expected, Suite.Response r) {
        assertProblem(what, expected, r.status(), r.header("Content-Type"), r.body());
    }

    static void assertProblem(String what, int expected, RawHttp.Answer a) {
        assertProblem(what, expected, a.status(), a.headers().get("content-type"), a.body());
    }

    static int nginxPort() {
        return Integer.parseInt(suite.baseUrl().substring(suite.baseUrl().lastIndexOf(':') + 1));
    }

    /** An HTTP client whose connections come from {@code address} (a 127.x.y.z of its own). */
    static HttpClient clientFrom(String address) throws IOException {
        return HttpClient.newBuilder().localAddress(InetAddress.getByName(address))
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A number from the rendered nginx config. */
    static int conf(String regex) {
        Matcher m = Pattern.compile(regex).matcher(nginxConf);
        assertThat(m.find()).as("nginx.conf has " + regex).isTrue();
        return Integer.parseInt(m.group(1));
    }

    static double rate(String zone) {
        Matcher m = Pattern.compile("zone=" + zone + ":\\S+ rate=(\\d+)r/s;").matcher(nginxConf);
        assertThat(m.find()).as("nginx.conf has limit_req_zone " + zone + " in r/s").isTrue();
        return Double.parseDouble(m.group(1));
    }

    // ---- nginx: nothing unauthenticated is buffered -----------------------------------------------------------

    @Test
    void anUnauthenticatedUploadIsRefusedBeforeNginxReadsOrBuffersIt() throws Exception {
        Path bodies = suite.stateDir().resolve("nginx/tmp/client_body");
        try (WatchService watch = bodies.getFileSystem().newWatchService()) {
            bodies.register(watch, ENTRY_CREATE);
            // control: an authenticated body larger than nginx's memory buffer IS written there, and the watch sees it
            byte[] twoMb = new byte[2 * 1024 * 1024];
            Arrays.fill(twoMb, (byte) ' ');
            Suite.Response control = suite.send(suite.builder("/api/pdf/v1/reports", suite.apiKey())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(twoMb)).build());
            assertThat(control.status()).as("control: " + control).isEqualTo(400);
            assertThat(createdUntilMarker(watch, bodies)).as("control: nginx buffered the authenticated body").isNotEmpty();

            refusedLeavingNothing("unauthenticated uploads", () -> {
                int port = nginxPort();
                long fiftyMb = 50L * 1024 * 1024;
                // the answer comes before the body: nginx asked pdf-service about the key (GET /api/_auth, no body)
                for (String auth : new String[] {null, "Authorization: Bearer wrong-" + suite.apiKey()}) {
                    try (RawHttp c = RawHttp.connect("127.0.0.24", port)) {
                        List<String> h = new ArrayList<>(List.of("Content-Type: application/json",
                                "Content-Length: " + fiftyMb));
                        if (auth != null) h.add(auth);
                        assertProblem("50 MB POST /api/pdf/v1/reports, " + auth, 401,
                                c.sendHeader("POST", "/api/pdf/v1/reports", h.toArray(String[]::new)).read());
                    }
                }
                // a client that pushes all 50 MB anyway: still 401, the bytes are discarded, not stored
                try (RawHttp c = RawHttp.connect("127.0.0.24", port)) {
                    c.sendHeader("POST", "/api/pdf/v1/reports", "Content-Type: application/json",
                            "Content-Length: " + fiftyMb);
                    Future<?> writer = pushZeros(c.out(), fiftyMb);
                    assertProblem("50 MB POST pushed in full", 401, c.read());
                    writer.get(60, TimeUnit.SECONDS);
                }
                // chunked (no length announced), and the alert and gradebook APIs
                try (RawHttp c = RawHttp.connect("127.0.0.24", port)) {
                    c.sendHeader("POST", "/api/pdf/v1/reports", "Content-Type: application/json",
                            "Transfer-Encoding: chunked");
                    assertProblem("chunked POST /api/pdf/v1/reports", 401, c.read());
                }
                for (String[] call : new String[][] {{"POST", "/api/alerts/v1/alerts", "10485760"},
                    {"PUT", "/api/gradebook/v1/sections/101/scores", "4194304"},
                    {"POST", "/api/gradebook/v1/calculate", "4194304"}}) {
                    try (RawHttp c = RawHttp.connect("127.0.0.24", port)) {
                        assertProblem(call[0] + " " + call[1], 401, c.sendHeader(call[0], call[1],
                                "Content-Type: application/json", "Content-Length: " + call[2],
                                "Authorization: Bearer wrong-" + suite.apiKey()).read());
                    }
                }
                List<String> created = createdUntilMarker(watch, bodies);
                assertThat(created).as("files nginx created in " + bodies + " for unauthenticated bodies").isEmpty();
            });
        }
    }

    /** Writes {@code n} zero bytes on a virtual thread (nginx may stop reading: a broken pipe ends it quietly). */
    static Future<?> pushZeros(OutputStream out, long n) {
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        Future<?> f = executor.submit(() -> {
            byte[] chunk = new byte[64 * 1024];
            try {
                for (long sent = 0; sent < n; sent += chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, n - sent));
                }
                out.flush();
            } catch (IOException closed) {
                // nginx answered and closed: nothing more to send
            }
            return null;
        });
        executor.shutdown();
        return f;
    }

    /**
     * The files created in {@code dir} since the last call: creates a marker file and collects events until the
     * marker's own event arrives (inotify delivers in order), so nothing earlier can still be on its way.
     */
    static List<String> createdUntilMarker(WatchService watch, Path dir) throws Exception {
        String marker = "abuse-it-marker-" + UUID.randomUUID();
        Path markerFile = Files.createFile(dir.resolve(marker));
        List<String> created = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                WatchKey key = watch.poll(1, TimeUnit.SECONDS);
                if (key != null) {
                    boolean markerSeen = false;
                    for (WatchEvent<?> e : key.pollEvents()) {
                        String name = String.valueOf(e.context());
                        if (name.equals(marker)) markerSeen = true;
                        else created.add(e.kind().name() + " " + name);
                    }
                    key.reset();
                    if (markerSeen) return created;
                }
                if (System.nanoTime() > deadline) throw new AssertionError("the watch never saw " + marker);
            }
        } finally {
            Files.deleteIfExists(markerFile);
        }
    }

    // ---- nginx: management endpoints and Swagger UI are not routed ---------------------------------------------

    @Test
    void actuatorAndSwaggerUiAreNotRoutedEvenWithAnAdminKey() throws Exception {
        refusedLeavingNothing("management probes", () -> {
            List<String> paths = List.of("/actuator", "/actuator/health", "/actuator/health/readiness",
                    "/actuator/prometheus", "/actuator/metrics", "/actuator/env", "/swagger-ui.html",
                    "/swagger-ui/index.html", "/v3/api-docs", "/v3/api-docs/swagger-config");
            for (String path : paths) {
                for (String bearer : new String[] {null, suite.apiKey(), "dev-ops-key"}) {
                    assertProblem("GET " + path + " with " + bearer, 404, suite.get(path, bearer));
                }
            }
            // path tricks that nginx normalises, or that reach a service as a path it refuses
            List<String> tricks = List.of("/%61ctuator/prometheus", "/gradebook/%2e%2e/actuator/prometheus",
                    "/gradebook/..;/actuator/prometheus", "/alerts/x/..;/..;/actuator/prometheus",
                    "/api/pdf/..;/..;/actuator/prometheus", "/api/gradebook/v3/api-docs/../../../../actuator/env",
                    "/api/pdf/v3/api-docs/swagger-config", "/api/alerts/v3/api-docs/swagger-config",
                    "/api/gradebook/v3/api-docs/swagger-config", "/api/alerts/swagger-ui.html");
            for (String path : tricks) {
                Suite.Response r = suite.get(path, "dev-ops-key");
                assertThat(r.status()).as(path + ": " + r).isIn(400, 401, 404);
                assertThat(r.body()).as(path).doesNotContain("# HELP", "jvm_", "configUrl", "\"propertySources\"");
            }
            // the OpenAPI documents stay routed
            for (String svc : List.of("pdf", "alerts", "gradebook")) {
                Suite.Response doc = suite.get("/api/" + svc + "/v3/api-docs", null);
                assertThat(doc.status()).as(svc + " OpenAPI").isEqualTo(200);
                assertThat(doc.body()).contains("\"openapi\"");
            }
            // on a service's own port: health is open (deploy checks use it), metrics need a client with scope admin
            for (String service : List.of("pdf", "alert", "gradebook")) {
                String base = suite.instanceUrl(service, 1);
                assertThat(suite.get(base + "/actuator/health", null).status()).as(service + " health").isEqualTo(200);
                assertProblem(service + " prometheus without a key", 401, suite.get(base + "/actuator/prometheus", null));
                assertProblem(service + " prometheus with the legacy key", 403,
                        suite.get(base + "/actuator/prometheus", suite.apiKey()));
                Suite.Response metrics = suite.get(base + "/actuator/prometheus", "dev-ops-key");
                assertThat(metrics.status()).as(service + " prometheus with the dev admin client").isEqualTo(200);
                assertThat(metrics.body()).contains("# HELP");
                assertThat(suite.get(base + "/swagger-ui.html", "dev-ops-key").status()).as(service + " Swagger UI")
                        .isEqualTo(404);
            }
            // each service's dead-letter admin API, through nginx: an operator's client only
            for (String prefix : List.of("/api/pdf", "/api/alerts", "/api/gradebook")) {
                String deadLetters = prefix + "/v1/admin/dead-letters";
                assertProblem(deadLetters + " with the legacy key", 403, suite.get(deadLetters, suite.apiKey()));
                Suite.Response page = suite.get(deadLetters, "dev-ops-key");
                assertThat(page.status()).as(deadLetters + " with the dev admin client: " + page).isEqualTo(200);
                assertThat(page.body()).contains("\"items\"");
            }
        });
    }

    // ---- nginx: webhooks are small ---------------------------------------------------------------------------

    @Test
    void aWebhookBodyOver64KbIs413BeforeTheServiceSeesIt() throws Exception {
        int port = nginxPort();
        refusedLeavingNothing("oversized webhooks", () -> {
            for (String hook : List.of("/api/alerts/v1/webhooks/twilio", "/api/alerts/v1/webhooks/mailgun")) {
                try (RawHttp c = RawHttp.connect("127.0.0.26", port)) {
                    assertProblem("65 KB " + hook, 413, c.sendHeader("POST", hook,
                            "Content-Type: application/x-www-form-urlencoded", "X-Twilio-Signature: forged",
                            "Content-Length: " + 65 * 1024).read());
                }
                try (RawHttp c = RawHttp.connect("127.0.0.26", port)) {
                    c.sendHeader("POST", hook, "Content-Type: application/json", "Transfer-Encoding: chunked");
                    byte[] chunk = new byte[65 * 1024];
                    Arrays.fill(chunk, (byte) 'a');
                    c.out().write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    c.out().write(chunk);
                    c.out().write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    c.out().flush();
                    assertProblem("65 KB chunked " + hook, 413, c.read());
                }
            }
            // 64 KB is still let through: the service answers (a forged signature: refused by the service)
            byte[] sixtyFourKb = new byte[64 * 1024];
            Arrays.fill(sixtyFourKb, (byte) 'a');
            Suite.Response atLimit = suite.send(suite.builder("/api/alerts/v1/webhooks/twilio", null)
                    .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", "forged")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(sixtyFourKb)).build());
            assertThat(atLimit.status()).as("64 KB webhook: " + atLimit).isIn(400, 401, 403);
        });
    }

    // ---- alert-service: hostile input and another school's alerts --------------------------------------------

    /** A client bound to school {@code hillcrest} only (scripts/suite.sh, dev mode). */
    static final String HILLCREST_KEY = "dev-e2e-hillcrest-key";

    static Map<String, Object> voiceAlert(String school, String language) {
        Map<String, Object> recipient = new java.util.LinkedHashMap<>(Map.of("id", "abuse-1", "name", "A",
                "phone", "+12025550177"));
        if (language != null) recipient.put("language", language);
        return Suite.obj("school_id", school, "text", "Probe", "channels", List.of("voice"),
                "recipients", List.of(recipient));
    }

    @Test
    void aTwimlInjectionInALanguageIsRefusedNamingTheField() throws Exception {
        refusedLeavingNothing("TwiML injection", () -> {
            String hostile = "en-US\"><Dial>+15005550006</Dial><Say language=\"en-US";
            Suite.Response r = suite.post("/api/alerts/v1/alerts", suite.apiKey(), voiceAlert("lincoln", hostile));
            assertProblem("injection in recipients[0].language", 400, r);
            assertThat(Suite.list(r.json().get("errors")).stream().map(e -> e.get("field").asString()))
                    .contains("recipients[0].language");
            Map<String, Object> alertLevel = new java.util.LinkedHashMap<>(voiceAlert("lincoln", null));
            alertLevel.put("language", hostile);
            Suite.Response a = suite.post("/api/alerts/v1/alerts", suite.apiKey(), alertLevel);
            assertProblem("injection in language", 400, a);
            assertThat(a.body()).contains("\"language\"");
        });
    }

    @Test
    void anotherSchoolsAlertIsNotFoundAndAnotherSchoolIsForbidden() throws Exception {
        Suite.Response created = suite.post("/api/alerts/v1/alerts", suite.apiKey(), voiceAlert("lincoln", "en"));
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        String id = created.json().get("id").asString();
        Suite.await(Duration.ofSeconds(90), "alert " + id + " finished",
                () -> suite.get("/api/alerts/v1/alerts/" + id, suite.apiKey()).json().get("finished").asBoolean());
        refusedLeavingNothing("another school's alert", () -> {
            String base = "/api/alerts/v1/alerts/" + id;
            for (String path : List.of(base, base + "/deliveries", base + "/not-reached", base + "/page-link",
                    base + "/events")) {
                assertProblem("hillcrest client GET " + path, 404, suite.get(path, HILLCREST_KEY));
            }
            assertProblem("hillcrest client cancels", 404, suite.post(base + "/cancel", HILLCREST_KEY, "{}"));
            Suite.Response forbidden = suite.post("/api/alerts/v1/alerts", HILLCREST_KEY, voiceAlert("lincoln", "en"),
                    "Idempotency-Key", "abuse-other-school");
            assertProblem("hillcrest client creates for lincoln", 403, forbidden);
            assertThat(forbidden.json().get("field").asString()).isEqualTo("school_id");
            assertProblem("hillcrest client lists lincoln", 403,
                    suite.get("/api/alerts/v1/alerts?school_id=lincoln", HILLCREST_KEY));
        });
    }

    // ---- nginx: rate and connection limits per client address ------------------------------------------------

    record Flood(Map<Integer, Integer> counts, Map<Integer, Suite.Response> samples) {
        int count(int status) {
            return counts.getOrDefault(status, 0);
        }
    }

    /**
     * {@code concurrency} requests in flight at once from one address until {@code enough} of them were answered 429
     * (or a minute passed): a flood, where the limit counts requests the client has not waited for.
     */
    static Flood flood(String from, int concurrency, Supplier<HttpRequest> request, int enough) throws Exception {
        Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
        Map<Integer, Suite.Response> samples = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (HttpClient http = clientFrom(from); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                workers.add(pool.submit(() -> {
                    while (counts.computeIfAbsent(429, s -> new AtomicInteger()).get() < enough
                            && System.nanoTime() < deadline) {
                        HttpResponse<String> r = http.send(request.get(), HttpResponse.BodyHandlers.ofString());
                        counts.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        samples.putIfAbsent(r.statusCode(), new Suite.Response(r.statusCode(), r.headers(), r.body()));
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) w.get(90, TimeUnit.SECONDS);
        }
        Map<Integer, Integer> totals = new TreeMap<>();
        counts.forEach((s, n) -> {
            if (n.get() > 0) totals.put(s, n.get());
        });
        return new Flood(totals, samples);
    }

    @Test
    void aFloodOfReportCreationsIsAnswered429() throws Exception {
        int burst = conf("zone=pdf_create burst=(\\d+)");
        int delay = conf("zone=pdf_create burst=\\d+ delay=(\\d+)");
        refusedLeavingNothing("report creation flood", () -> {
            // more requests in flight than the burst leaves room for beyond the delay: the excess is refused
            Flood f = flood("127.0.0.21", burst - delay + 30, () -> HttpRequest.newBuilder(uri("/api/pdf/v1/reports"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .timeout(Duration.ofSeconds(60)).build(), 10);
            assertThat(f.count(429)).as(f.counts().toString()).isGreaterThanOrEqualTo(10);
            assertThat(f.counts().keySet()).as("admitted ones are refused for the missing key").containsOnly(401, 429);
            assertProblem("429 for report creation", 429, f.samples().get(429));
            assertThat(f.samples().get(429).body()).contains("Too many requests");
            // only creation is limited, and only for that address
            try (HttpClient same = clientFrom("127.0.0.21")) {
                HttpResponse<String> read = same.send(HttpRequest.newBuilder(uri("/api/pdf/v1/reports/unknown"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(read.statusCode()).as("a read from the flooding address").isEqualTo(401);
            }
            assertThat(suite.post("/api/pdf/v1/reports", null, "{}").status()).as("another address").isEqualTo(401);
        });
    }

    @Test
    void aClientSendingOneRequestAtATimeIsPacedNotRefused() throws Exception {
        int delay = conf("zone=pdf_create burst=\\d+ delay=(\\d+)");
        double rate = rate("pdf_create");
        int extra = 15;
        refusedLeavingNothing("sequential report creations", () -> {
            long start = System.nanoTime();
            try (HttpClient http = clientFrom("127.0.0.25")) {
                for (int i = 0; i < delay + extra; i++) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/pdf/v1/reports"))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as("request " + i + ": " + r.body()).isEqualTo(401);
                }
            }
            // the ones past the allowance waited for the rate (a lower bound: a slow machine only takes longer)
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis((long) ((extra - 2) / rate * 1000)));
        });
    }

    @Test
    void aFloodOfWebhooksIsAnswered429() throws Exception {
        int burst = conf("zone=webhooks burst=(\\d+)");
        int delay = conf("zone=webhooks burst=\\d+ delay=(\\d+)");
        refusedLeavingNothing("webhook flood", () -> {
            Flood f = flood("127.0.0.22", burst - delay + 50, () -> HttpRequest.newBuilder(uri("/api/alerts/v1/webhooks/twilio"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", "forged")
                    .POST(HttpRequest.BodyPublishers.ofString("MessageSid=SMforged&MessageStatus=delivered"))
                    .timeout(Duration.ofSeconds(60)).build(), 10);
            assertThat(f.count(429)).as(f.counts().toString()).isGreaterThanOrEqualTo(10);
            assertThat(f.counts().keySet()).as("admitted ones are refused for the forged signature")
                    .allMatch(s -> s == 429 || (s >= 400 && s < 500));
            assertProblem("429 for webhooks", 429, f.samples().get(429));
        });
    }

    @Test
    void connectionsPerAddressAreCapped() throws Exception {
        int max = conf("limit_conn apiary_conn (\\d+);");
        int port = nginxPort();
        refusedLeavingNothing("connection flood", () -> {
            List<RawHttp> held = new ArrayList<>();
            try {
                // each holds a connection: a request header whose body never comes (nginx waits for it)
                for (int i = 0; i < max; i++) held.add(hold(port));
                // (stops early when nginx answered a held one instead: fewer were held than the limit allows)
                RawHttp.Answer refused = Suite.awaitValue(Duration.ofSeconds(30), "a 429 for connection " + (max + 1),
                        () -> held.stream().anyMatch(RawHttp::answered) ? NONE : answerIf(429));
                assertThat(held.stream().filter(RawHttp::answered).count())
                        .as("held connections nginx answered instead of holding").isZero();
                assertProblem("connection " + (max + 1), 429, refused);
                assertThat(refused.body()).contains("connections");
                assertThat(suite.get("/api/pdf/v1/reports/unknown", null).status()).as("another address").isEqualTo(401);
            } finally {
                held.forEach(RawHttp::close);
            }
            RawHttp.Answer again = Suite.awaitValue(Duration.ofSeconds(30), "the address served again",
                    () -> answerIf(401));
            assertProblem("after the held connections closed", 401, again);
        });
    }

    static final RawHttp.Answer NONE = new RawHttp.Answer(0, Map.of(), "");

    static RawHttp hold(int port) throws IOException {
        return RawHttp.connect("127.0.0.23", port).sendHeader("POST", "/abuse-probe-hold", "Content-Type: text/plain",
                "Content-Length: 100");
    }

    /** One GET from the connection-probe address; the answer if it has the status, else null. */
    static RawHttp.Answer answerIf(int status) {
        try (RawHttp c = RawHttp.connect("127.0.0.23", nginxPort())) {
            RawHttp.Answer a = c.sendHeader("GET", "/api/pdf/v1/reports/unknown").read();
            return a.status() == status ? a : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A path on nginx as an absolute URI. */
    static URI uri(String path) {
        return URI.create(suite.baseUrl() + path);
    }
}
