package dev.apiary.common.tracing;

import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.Transport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Spans leave the process (OTLP over HTTP) only when {@code management.opentelemetry.tracing.export.otlp.endpoint}
 * is set where the service runs. Spring Boot's own exporter is switched off (common's defaults): it is a bean
 * condition on the endpoint, and Spring AOT evaluates conditions when the jar is built, so a production jar would
 * never export. This bean reads the same {@code management.opentelemetry.tracing.export.otlp.*} settings when the
 * service starts (OTLP over HTTP only).
 */
@Configuration(proxyBeanMethods = false)
public class OtlpExportConfiguration {

    static final String PREFIX = "management.opentelemetry.tracing.export.otlp";

    @Bean
    SpanExporter apiaryOtlpSpanExporter(Environment env) {
        OtlpTracingProperties otlp = Binder.get(env).bind(PREFIX, OtlpTracingProperties.class)
                .orElseGet(OtlpTracingProperties::new);
        if (otlp.getEndpoint() == null || otlp.getEndpoint().isBlank()) {
            return SpanExporter.composite(); // nothing leaves the process
        }
        if (otlp.getTransport() == Transport.GRPC) {
            // only the HTTP sender is on the class path: refuse rather than export over another transport
            throw new IllegalStateException(PREFIX + ".transport=grpc is not supported: use http (the default)");
        }
        OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder()
                .setEndpoint(otlp.getEndpoint())
                .setTimeout(otlp.getTimeout())
                .setConnectTimeout(otlp.getConnectTimeout())
                .setCompression(otlp.getCompression().name().toLowerCase(Locale.ROOT));
        for (Map.Entry<String, String> h : otlp.getHeaders().entrySet()) b.addHeader(h.getKey(), h.getValue());
        return b.build();
    }
}
