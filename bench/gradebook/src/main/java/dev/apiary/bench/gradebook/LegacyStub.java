package dev.apiary.bench.gradebook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.apiary.gradebook.support.SampleSections;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal legacy-app stand-in for the HTTP benchmarks: serves generated sections
 * ({@code students} x {@code assignments}, 6 groups; ids 1..) in the source format of docs/legacy-contract.md,
 * pre-rendered once per section, and accepts score writes.
 * Usage: {@code java -cp gradebook-bench.jar dev.apiary.bench.gradebook.LegacyStub PORT [STUDENTS] [ASSIGNMENTS] [LATENCY_MS]},
 * or {@code ... LegacyStub --dump DIR SECTIONS [STUDENTS] [ASSIGNMENTS]} to write sections 1..SECTIONS as
 * {@code DIR/section-ID.json} (the seed of the Rails-like stand-in in {@code legacy-rails/}).
 */
public final class LegacyStub {

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--dump")) {
            java.nio.file.Path dir = java.nio.file.Path.of(args[1]);
            java.nio.file.Files.createDirectories(dir);
            int sections = Integer.parseInt(args[2]);
            int st = args.length > 3 ? Integer.parseInt(args[3]) : 40;
            int as = args.length > 4 ? Integer.parseInt(args[4]) : 80;
            for (long id = 1; id <= sections; id++) {
                java.nio.file.Files.writeString(dir.resolve("section-" + id + ".json"),
                        SampleSections.json(SampleSections.generate(id, st, as)));
            }
            return;
        }
        int port = Integer.parseInt(args[0]);
        int students = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int assignments = args.length > 2 ? Integer.parseInt(args[2]) : 80;
        long latency = args.length > 3 ? Long.parseLong(args[3]) : 0;
        Map<Long, byte[]> bodies = new ConcurrentHashMap<>();
        AtomicLong reads = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/v1/sections/", ex -> {
            try (ex) {
                String[] parts = ex.getRequestURI().getPath().split("/");
                long id = Long.parseLong(parts[4]);
                if ("PUT".equals(ex.getRequestMethod())) {
                    byte[] in = ex.getRequestBody().readAllBytes();
                    send(ex, 200, in);
                    return;
                }
                reads.incrementAndGet();
                if (latency > 0) Thread.sleep(latency);
                byte[] body = bodies.computeIfAbsent(id, k -> SampleSections.json(SampleSections.generate(k, students, assignments))
                        .getBytes(StandardCharsets.UTF_8));
                send(ex, 200, body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                send(ex, 400, "{\"title\":\"bad request\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/stats", ex -> {
            try (ex) {
                send(ex, 200, ("{\"reads\":" + reads.get() + "}").getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
        System.out.println("legacy stub on :" + port + " (" + students + "x" + assignments + ", latency " + latency + " ms)");
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}
