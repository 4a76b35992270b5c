package dev.apiary.common.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;

/** The exporter is chosen from the settings the service starts with (the export itself: OtlpExportTest). */
class OtlpExportConfigurationTest {

    private final OtlpExportConfiguration config = new OtlpExportConfiguration();

    @Test
    void withoutAnEndpointNothingLeavesTheProcess() {
        assertThat(config.apiaryOtlpSpanExporter(new MockEnvironment())).isNotInstanceOf(OtlpHttpSpanExporter.class);
    }

    @Test
    void anEndpointGivesAnHttpExporter() {
        var env = new MockEnvironment().withProperty(OtlpExportConfiguration.PREFIX + ".endpoint",
                "http://127.0.0.1:4318/v1/traces");
        assertThat(config.apiaryOtlpSpanExporter(env)).isInstanceOf(OtlpHttpSpanExporter.class);
    }

    @Test
    void grpcIsRefusedNamingTheSetting() {
        var env = new MockEnvironment()
                .withProperty(OtlpExportConfiguration.PREFIX + ".endpoint", "http://127.0.0.1:4317")
                .withProperty(OtlpExportConfiguration.PREFIX + ".transport", "grpc");
        assertThatThrownBy(() -> config.apiaryOtlpSpanExporter(env))
                .hasMessageContaining("management.opentelemetry.tracing.export.otlp.transport");
    }
}
