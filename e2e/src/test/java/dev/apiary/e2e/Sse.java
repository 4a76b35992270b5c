package dev.apiary.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * A Server-Sent-Events client that records when each event arrived, so a test can tell a live stream from one that a
 * proxy buffered and delivered in one piece at the end.
 */
public final class Sse implements AutoCloseable {
    /** One event: its name (null = "message"), data, arrival in ms since the stream opened and as a wall-clock instant. */
    public record Event(String name, String data, long atMillis, java.time.Instant at) {
        public JsonNode json() {
            return Suite.JSON.readTree(data);
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final HttpResponse<InputStream> response;
    private final long start = System.nanoTime();

    private Sse(HttpResponse<InputStream> response) {
        this.response = response;
        Thread.ofVirtual().start(this::read);
    }

    /** Opens an SSE stream (GET with Accept: text/event-stream). */
    public static Sse open(Suite suite, String url, String bearer) throws Exception {
        // as a browser asks: compressed if possible (a proxy that gzips an event stream holds events back)
        HttpResponse<InputStream> r = suite.stream(url, bearer, "Accept", "text/event-stream",
                "Accept-Encoding", "gzip, deflate");
        if (r.statusCode() != 200) {
            String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("SSE " + url + " answered " + r.statusCode() + ": " + body);
        }
        String encoding = r.headers().firstValue("Content-Encoding").orElse("identity");
        if (!encoding.equals("identity")) {
            r.body().close();
            throw new AssertionError("SSE " + url + " arrived with Content-Encoding " + encoding + ": events would be held back");
        }
        return new Sse(r);
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(name, data.toString(), (System.nanoTime() - start) / 1_000_000,
                                java.time.Instant.now()));
                    }
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) data.append('\n');
                    data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
            }
            done.complete(null);
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
    }

    public List<Event> events() {
        return new ArrayList<>(events);
    }

    /** Waits for an event whose JSON data matches; returns it. */
    public Event await(Duration timeout, String what, Predicate<JsonNode> match) {
        return Suite.awaitValue(timeout, what + " (events so far: " + tailOf() + ")", () -> {
            for (Event e : events) {
                try {
                    if (match.test(e.json())) return e;
                } catch (RuntimeException ignored) {
                    // not JSON
                }
            }
            if (done.isDone() && events.stream().noneMatch(e -> safeMatch(match, e))) {
                throw new AssertionError("stream ended before " + what + "; events: " + tailOf());
            }
            return null;
        });
    }

    private static boolean safeMatch(Predicate<JsonNode> m, Event e) {
        try {
            return m.test(e.json());
        } catch (RuntimeException x) {
            return false;
        }
    }

    /** Waits for the server to end the stream. */
    public boolean awaitEnd(Duration timeout) {
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Arrival times are spread out: proof that nothing buffered the stream into one piece. */
    public long spreadMillis() {
        List<Event> e = events();
        return e.isEmpty() ? 0 : e.getLast().atMillis() - e.getFirst().atMillis();
    }

    private String tailOf() {
        List<Event> e = events();
        return e.subList(Math.max(0, e.size() - 3), e.size()).toString();
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (Exception ignored) {
            // closing
        }
    }
}
