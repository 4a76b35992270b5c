import com.sun.net.httpserver.HttpServer;
import dev.apiary.pdf.render.ChunkRenderer;
import dev.apiary.pdf.render.FontSet;
import dev.apiary.pdf.request.LocalRenderer;
import dev.apiary.pdf.request.ParsedRequest;
import dev.apiary.pdf.request.RequestReader;
import dev.apiary.pdf.render.Templates;
import dev.apiary.pdf.render.Warmup;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The memory floor without Spring: pdf-service's own rendering pipeline (request reader, parts on 2 threads,
 * merge) behind the JDK's HTTP server. POST /render with a report request answers {"pages": N} when the PDF
 * is on disk. Not a service: no queue, no Redis, no status; floor.sh compares it with the real service.
 */
public final class RenderOnly {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Templates templates = Templates.defaults();
        ChunkRenderer renderer = new ChunkRenderer(FontSet.liberationSans(), 100);
        RequestReader reader = new RequestReader(templates.names(),
                new RequestReader.Limits(20_000, 250, 256L << 20, 1 << 20, 20));
        LocalRenderer local = new LocalRenderer(renderer, templates);
        Warmup.run(renderer, templates, 3, 40);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/render", exchange -> {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                Path dir = Files.createTempDirectory("floor-render");
                try {
                    ParsedRequest req = reader.read(body, dir);
                    int pages = local.render(req, dir, dir.resolve("out.pdf"), 2).pages();
                    byte[] answer = ("{\"pages\":" + pages + "}").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, answer.length);
                    exchange.getResponseBody().write(answer);
                } catch (Exception e) {
                    exchange.sendResponseHeaders(500, -1);
                } finally {
                    deleteTree(dir);
                }
            }
        });
        server.start();
        System.out.println("render-only ready on " + port);
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
