package dev.apiary.pdf.report;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The OpenAPI description at {@code /v3/api-docs} (where the other services' springdoc answers, and where nginx and
 * the e2e suite look), served from a static file written by hand: springdoc with swagger-core, Jackson 2 and the
 * swagger-ui webjar loads ~1,000 classes into every instance, which this service's memory budget cannot afford
 * (bench/pdf/RESULTS-pdf.md). {@code OpenApiControllerTest} keeps the file in step with the controllers.
 */
@RestController
public class OpenApiController {
    static final String RESOURCE = "openapi/pdf-service.json";

    private final byte[] document = document();   // read once: it is part of the jar and never changes

    @GetMapping(value = "/v3/api-docs", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> apiDocs() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(document);
    }

    static byte[] document() {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return Objects.requireNonNull(in, RESOURCE).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
