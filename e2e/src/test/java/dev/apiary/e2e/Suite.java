package dev.apiary.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The running suite, shared by every e2e test class in this JVM.
 *
 * <p>{@link #get()} starts it once with {@code ./apiary up} — the same code path a developer uses — on free ports, with a
 * private Redis, two pdf-service and two gradebook-service instances behind nginx, a random API key and state under
 * {@code e2e/target/suite}; a shutdown hook runs {@code ./apiary down}. With {@code -Dapiary.e2e.reuse=true} (or env
 * {@code APIARY_E2E_REUSE=1}) an already running suite in that state dir is used and left running (fast iteration).
 *
 * <p>Everything goes through nginx ({@link #baseUrl()}) unless a test needs one instance ({@link #instanceUrl}).
 */
public final class Suite {
    public static final ObjectMapper JSON = JsonMapper.builder().build();
    private static Suite instance;
    private static RuntimeException startFailure;

    private final Path root;
    private final Path state;
    private final Properties ports = new Properties();
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private Suite(Path root, Path state, String apiKey) throws IOException {
        this.root = root;
        this.state = state;
        this.apiKey = apiKey;
        try (var in = Files.newBufferedReader(state.resolve("ports.env"))) {
            ports.load(in);
        }
        ports.replaceAll((k, v) -> v.toString().replace("\"", ""));
    }

    /** The suite, started on first use. */
    public static synchronized Suite get() {
        if (startFailure != null) throw startFailure; // tried once: every class fails with the same cause
        if (instance == null) {
            try {
                instance = start();
            } catch (IOException e) {
                startFailure = new IllegalStateException("could not start the suite: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                startFailure = new IllegalStateException(e);
            } catch (RuntimeException e) {
                startFailure = e;
            }
            if (startFailure != null) throw startFailure;
        }
        return instance;
    }

    public static Path root() {
        return Path.of(System.getProperty("apiary.root", "..")).toAbsolutePath().normalize();
    }

    private static Suite start() throws IOException, InterruptedException {
        Path root = root();
        Path state = Path.of(System.getProperty("apiary.e2e.state", root.resolve("e2e/target/suite").toString()))
                .toAbsolutePath();
        boolean reuse = Boolean.getBoolean("apiary.e2e.reuse") || "1".equals(System.getenv("APIARY_E2E_REUSE"));
        Path keyFile = state.resolve("e2e-api-key");
        if (reuse && Files.exists(keyFile) && Files.exists(state.resolve("ports.env"))) {
            Suite s = new Suite(root, state, Files.readString(keyFile).trim());
            try {
                if (s.get(s.baseUrl() + "/nginx-health", null).status() == 200) return s;
            } catch (IllegalStateException notUp) {
                // not running: start it below
            }
        }
        for (String jar : List.of("pdf-service/target/pdf-service.jar", "alert-service/target/alert-service.jar",
                "gradebook-service/target/gradebook-service.jar", "sandbox/providers/target/sandbox-providers.jar",
                "sandbox/legacy-app/target/sandbox-legacy-app.jar")) {
            if (!Files.exists(root.resolve(jar)) && !Files.exists(root.resolve(jar.replace(".jar", "-exec.jar")))) {
                throw new IllegalStateException(jar + " is missing: run the e2e tests with `mvn -B -ntp verify` from the "
                        + "repository root (the reactor packages every service before e2e) or `./apiary build` first");
            }
        }
        Files.createDirectories(state);
        String key = "e2e-" + UUID.randomUUID();
        Files.writeString(keyFile, key);
        ProcessBuilder pb = new ProcessBuilder(root.resolve("apiary").toString(), "up").directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(state.resolve("apiary-up.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("APIARY_STATE_DIR", state.toString());
        env.put("APIARY_PORTS", "auto");
        env.put("APIARY_PORT", "auto");
        env.put("APIARY_REDIS", "private");
        env.put("APIARY_SKIP_BUILD", "1");
        env.put("APIARY_API_KEY", key);
        env.put("APIARY_PDF_INSTANCES", "2");
        env.put("APIARY_GRADEBOOK_INSTANCES", "2");
        env.putIfAbsent("APIARY_UP_TIMEOUT", "300");
        // the parts run with their deployed JVM flags (deploy/jvm/*.args), as ./apiary up starts them
        env.remove("APIARY_REDIS_PORT");
        Process p = pb.start();
        // ./apiary up gives up itself after APIARY_UP_TIMEOUT; this is only the backstop (a slower machine: raise that)
        long backstop = Long.parseLong(env.get("APIARY_UP_TIMEOUT")) + 120;
        if (!p.waitFor(backstop, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            runDown(root, state);
            throw new IllegalStateException("./apiary up did not finish in " + backstop + " s; see " + state.resolve("apiary-up.log"));
        }
        Suite s = new Suite(root, state, key);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("./apiary up failed (exit " + p.exitValue() + "):\n"
                    + tail(state.resolve("apiary-up.log"), 60));
        }
        if (!reuse) Runtime.getRuntime().addShutdownHook(new Thread(s::down, "apiary-down")); // reuse: left running
        return s;
    }

    /** ./apiary down for this suite's state dir. */
    public void down() {
        runDown(root, state);
    }

    static void runDown(Path root, Path state) {
        try {
            ProcessBuilder pb = new ProcessBuilder(root.resolve("apiary").toString(), "down").directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(state.resolve("apiary-down.log").toFile());
            pb.environment().put("APIARY_STATE_DIR", state.toString());
            pb.start().waitFor(90, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            System.err.println("apiary down failed: " + e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }

    // ---- where things are ----------------------------------------------------------------------------------

    /** nginx, e.g. http://127.0.0.1:41234 */
    public String baseUrl() {
        return "http://127.0.0.1:" + ports.getProperty("APIARY_PORT");
    }

    public String apiKey() {
        return apiKey;
    }

    /** The legacy app directly (not through nginx). */
    public String legacyUrl() {
        return "http://127.0.0.1:" + ports.getProperty("LEGACY_PORT");
    }

    public String providersUrl() {
        return "http://127.0.0.1:" + ports.getProperty("PROVIDERS_PORT");
    }

    public int redisPort() {
        return Integer.parseInt(ports.getProperty("REDIS_PORT"));
    }

    public Path stateDir() {
        return state;
    }

    /** Instance ports of "pdf", "alert" or "gradebook" (instance 1 first). */
    public List<Integer> instancePorts(String service) {
        String v = ports.getProperty(service.toUpperCase() + "_PORTS", "").trim();
        return v.isEmpty() ? List.of() : Arrays.stream(v.split("\\s+")).map(Integer::valueOf).toList();
    }

    /** One instance directly, e.g. instanceUrl("gradebook", 2). */
    public String instanceUrl(String service, int instance) {
        return "http://127.0.0.1:" + instancePorts(service).get(instance - 1);
    }

    /** The pid of a part: "pdf-1", "gradebook-2", "legacy", "providers", "redis". */
    public long pid(String part) {
        try {
            return Long.parseLong(Files.readString(state.resolve("pids/" + part + ".pid")).trim());
        } catch (IOException e) {
            throw new IllegalStateException("no pid for " + part, e);
        }
    }

    public boolean alive(String part) {
        return ProcessHandle.of(pid(part)).map(ProcessHandle::isAlive).orElse(false);
    }

    /** kill -9 one part (e.g. "pdf-1") and wait until it is gone. */
    public void kill9(String part) throws IOException, InterruptedException {
        long pid = pid(part);
        new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();
        await(Duration.ofSeconds(10), part + " gone after kill -9", () -> !alive(part));
    }

    /** Log of a part, for failure messages. */
    public String log(String part, int lines) {
        return tail(state.resolve("logs/" + part + ".log"), lines);
    }

    /** A gradebook JWT minted by the legacy app (GET /demo/token through nginx). */
    public String token(String sub, String role, Duration ttl, int... sections) {
        String ids = Arrays.stream(sections).mapToObj(Integer::toString).collect(Collectors.joining(","));
        Response r = get(baseUrl() + "/demo/token?sub=" + enc(sub) + "&role=" + enc(role) + "&sections=" + enc(ids)
                + "&ttl_seconds=" + ttl.toSeconds(), null);
        if (r.status() != 200) throw new IllegalStateException("token: " + r);
        return r.json().get("token").asString();
    }

    public String token(String sub, int... sections) {
        return token(sub, "teacher", Duration.ofHours(1), sections);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------

    public record Response(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 600 ? body.substring(0, 600) + "..." : body);
        }
    }

    public HttpClient http() {
        return http;
    }

    /** url: absolute, or a path on nginx. bearer: null for none. headers: name, value, name, value... */
    public Response get(String url, String bearer, String... headers) {
        return send(builder(url, bearer, headers).GET().build());
    }

    public Response post(String url, String bearer, Object json, String... headers) {
        return send(builder(url, bearer, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json instanceof String s ? s : JSON.writeValueAsString(json)))
                .build());
    }

    public Response put(String url, String bearer, Object json, String... headers) {
        return send(builder(url, bearer, headers).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json instanceof String s ? s : JSON.writeValueAsString(json)))
                .build());
    }

    public Response delete(String url, String bearer, String... headers) {
        return send(builder(url, bearer, headers).DELETE().build());
    }

    public HttpResponse<InputStream> stream(String url, String bearer, String... headers) throws IOException, InterruptedException {
        return http.send(builder(url, bearer, headers).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    public HttpRequest.Builder builder(String url, String bearer, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : baseUrl() + url))
                .timeout(Duration.ofSeconds(120));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b;
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- waiting and skipping ------------------------------------------------------------------------------

    /** Waits for a condition with a deadline (no sleeping-and-hoping). */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            sleep(100);
        }
    }

    /** Waits until supplier returns non-null; returns it. */
    public static <T> T awaitValue(Duration timeout, String what, Supplier<T> supplier) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T v;
        while ((v = supplier.get()) == null) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            sleep(100);
        }
        return v;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Convenience for tests: a JSON object from alternating keys and values. */
    public static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    public static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null) array.forEach(out::add);
        return out;
    }
}
