package dev.apiary.gradebook.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.apiary.gradebook.calc.SectionSource;
import dev.apiary.gradebook.calc.SectionSource.Score;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP stand-in for the legacy app's gradebook API (same JSON contract as docs/legacy-contract.md):
 * serves sections, accepts score writes, and can be told to fail, stall or send garbage.
 */
public final class LegacyStandIn implements AutoCloseable {

    private static final Pattern GET = Pattern.compile("/api/v1/sections/(\\d+)/gradebook");
    private static final Pattern PUT = Pattern.compile("/api/v1/sections/(\\d+)/scores");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final Map<Long, SectionSource> sections = new ConcurrentHashMap<>();
    private final Map<Long, String> rawBodies = new ConcurrentHashMap<>();
    private final Map<Long, Integer> failStatus = new ConcurrentHashMap<>();
    private final Map<Long, Long> delayMillis = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> reads = new ConcurrentHashMap<>();
    private volatile int writeStatus = 200;
    public final List<JsonNode> writes = new CopyOnWriteArrayList<>();
    /** "<method> <path> <traceparent header or -> " of every request, in order. */
    public final List<String> traces = new CopyOnWriteArrayList<>();

    public LegacyStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/v1/sections/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public LegacyStandIn section(SectionSource s) {
        sections.put(s.section().id(), s);
        return this;
    }

    public SectionSource generated(long id, int students, int assignments) {
        SectionSource s = SampleSections.generate(id, students, assignments);
        section(s);
        return s;
    }

    public SectionSource get(long id) {
        return sections.get(id);
    }

    /** Serve this body (with 200) for the section instead of the generated JSON. */
    public void rawBody(long id, String body) {
        rawBodies.put(id, body);
    }

    public void failReads(long id, int status) {
        failStatus.put(id, status);
    }

    public void delayReads(long id, long millis) {
        delayMillis.put(id, millis);
    }

    public void failWrites(int status) {
        writeStatus = status;
    }

    public void reset(long id) {
        rawBodies.remove(id);
        failStatus.remove(id);
        delayMillis.remove(id);
    }

    public int reads(long id) {
        return reads.computeIfAbsent(id, k -> new AtomicInteger()).get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String tp = ex.getRequestHeaders().getFirst("traceparent");
            traces.add(ex.getRequestMethod() + " " + path + " " + (tp == null ? "-" : tp));
            Matcher g = GET.matcher(path);
            Matcher p = PUT.matcher(path);
            if ("GET".equals(ex.getRequestMethod()) && g.matches()) {
                long id = Long.parseLong(g.group(1));
                reads.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                Long delay = delayMillis.get(id);
                if (delay != null) sleep(delay);
                Integer fail = failStatus.get(id);
                if (fail != null) {
                    send(ex, fail, "{\"title\":\"failure\"}");
                    return;
                }
                String raw = rawBodies.get(id);
                if (raw != null) {
                    send(ex, 200, raw);
                    return;
                }
                SectionSource s = sections.get(id);
                if (s == null) send(ex, 404, "{\"title\":\"Not found\",\"status\":404}");
                else send(ex, 200, SampleSections.json(s));
            } else if ("PUT".equals(ex.getRequestMethod()) && p.matches()) {
                long id = Long.parseLong(p.group(1));
                JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
                if (writeStatus != 200) {
                    send(ex, writeStatus, "{\"title\":\"failure\",\"detail\":\"write refused\"}");
                    return;
                }
                SectionSource s = sections.get(id);
                if (s == null) {
                    send(ex, 404, "{\"title\":\"Not found\"}");
                    return;
                }
                writes.add(body);
                long student = body.get("student_id").longValue();
                long assignment = body.get("assignment_id").longValue();
                JsonNode v = body.get("score");
                Score sc = new Score(student, assignment, v == null || v.isNull() ? null : new BigDecimal(v.asString()),
                        body.path("excused").asBoolean(false), body.path("missing").asBoolean(false));
                List<Score> scores = new ArrayList<>(s.scores().stream()
                        .filter(x -> x.studentId() != student || x.assignmentId() != assignment).toList());
                scores.add(sc);
                section(new SectionSource(s.section(), s.weighting(), s.gradingStandard(), s.latePolicy(), s.groups(),
                        s.assignments(), s.students(), scores));
                send(ex, 200, body.toString());
            } else {
                send(ex, 404, "{}");
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
