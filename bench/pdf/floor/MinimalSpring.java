import dev.apiary.pdf.render.ChunkRenderer;
import dev.apiary.pdf.render.FontSet;
import dev.apiary.pdf.request.LocalRenderer;
import dev.apiary.pdf.request.ParsedRequest;
import dev.apiary.pdf.request.RequestReader;
import dev.apiary.pdf.render.Templates;
import dev.apiary.pdf.render.Warmup;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The memory floor of a Spring Boot process: the same rendering as RenderOnly, but behind Spring Boot 4 +
 * Spring MVC + Tomcat + Jackson, started with pdf-service's own libraries and settings. floor.sh leaves Spring
 * Security, Spring Data Redis/Lettuce/Netty/Reactor, actuator and Micrometer off its classpath: this is the least
 * a Spring Boot web service with this renderer can be, not a service.
 */
@SpringBootApplication(scanBasePackages = "floor.nothing.to.scan")
@RestController
public class MinimalSpring {
    private static final Templates TEMPLATES = Templates.defaults();
    private static final ChunkRenderer RENDERER = new ChunkRenderer(FontSet.liberationSans(), 100);
    private static final RequestReader READER = new RequestReader(TEMPLATES.names(),
            new RequestReader.Limits(20_000, 250, 256L << 20, 1 << 20, 20));
    private static final LocalRenderer LOCAL = new LocalRenderer(RENDERER, TEMPLATES);

    public static void main(String[] args) throws Exception {
        Warmup.run(RENDERER, TEMPLATES, 3, 40);
        SpringApplication.run(MinimalSpring.class, args);
        System.out.println("minimal-spring ready");
    }

    @PostMapping(value = "/render", produces = "application/json")
    public Map<String, Integer> render(InputStream body) throws Exception {
        Path dir = Files.createTempDirectory("floor-render");
        try {
            ParsedRequest req = READER.read(body, dir);
            return Map.of("pages", LOCAL.render(req, dir, dir.resolve("out.pdf"), 2).pages());
        } finally {
            RenderOnly.deleteTree(dir);
        }
    }
}
