package dev.apiary.common.testapp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.apiary.common.test.Await;
import tools.jackson.databind.JsonNode;

/** A client that reads an event stream as it arrives (a real HTTP connection), noting when each event came. */
final class SseReader implements AutoCloseable {

    record Received(String name, JsonNode data, long atNanos) {
    }

    /** HTTP/1.1, so closing the body closes the connection (a stream never ends by itself). */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpResponse<InputStream> response;
    private final List<Received> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final long openedAt = System.nanoTime();
    private volatile boolean ended;
    private volatile long endedAt;

    private SseReader(HttpResponse<InputStream> response) {
        this.response = response;
    }

    /** Connects; answers once the status line arrived (a 200 starts reading). */
    static SseReader open(int port, String path, String key) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream").GET().build();
        SseReader r = new SseReader(HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream()));
        if (r.status() == 200) Thread.ofVirtual().start(r::read);
        return r;
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return header("Content-Type");
    }

    String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private void read() {
        try (var in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            String name = "message";
            while ((line = in.readLine()) != null) {
                if (line.startsWith(":")) comments.incrementAndGet();
                else if (line.startsWith("event:")) name = line.substring(6);
                else if (line.startsWith("data:")) {
                    events.add(new Received(name, TestHttp.JSON.readTree(line.substring(5)), System.nanoTime()));
                    name = "message";
                }
            }
        } catch (Exception e) {
            // the connection was cut: ended all the same
        } finally {
            endedAt = System.nanoTime();
            ended = true;
        }
    }

    List<Received> events() {
        return new ArrayList<>(events);
    }

    List<Received> named(String name) {
        return events().stream().filter(e -> e.name().equals(name)).toList();
    }

    int comments() {
        return comments.get();
    }

    boolean ended() {
        return ended;
    }

    /** Nanoseconds from opening to the end of the stream. */
    long endedAfterNanos() {
        return endedAt - openedAt;
    }

    long openedAt() {
        return openedAt;
    }

    Received await(Duration timeout, String what, Predicate<Received> match) {
        Await.until(timeout, what + " (so far: " + tail() + ")", () -> events.stream().anyMatch(match));
        return events.stream().filter(match).findFirst().orElseThrow();
    }

    void awaitEnd(Duration timeout) {
        Await.until(timeout, "the stream to end (so far: " + tail() + ")", () -> ended);
    }

    private String tail() {
        List<Received> e = events();
        return e.subList(Math.max(0, e.size() - 3), e.size()).stream().map(r -> {
            String data = r.data().toString();
            return r.name() + " " + (data.length() > 80 ? data.substring(0, 80) + "..." : data);
        }).toList().toString();
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
