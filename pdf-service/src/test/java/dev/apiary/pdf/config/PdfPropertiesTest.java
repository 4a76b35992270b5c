package dev.apiary.pdf.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings are checked by the record itself (no Bean Validation in this service): a bad value fails the binding. */
class PdfPropertiesTest {

    static PdfProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("apiary.pdf", PdfProperties.class);
    }

    @Test
    void defaultsBind() {
        PdfProperties p = bind(Map.of());
        assertThat(p.chunkSize()).isEqualTo(250);
        assertThat(p.maxStudents()).isEqualTo(20000);
        assertThat(p.callback().maxAttempts()).isEqualTo(8);
        assertThat(p.fonts().regular()).isEqualTo("NotoSans-Regular.ttf");
    }

    @Test
    void badValuesFailNamingTheProperty() {
        for (var bad : Map.of("apiary.pdf.chunk-size", "chunk-size", "apiary.pdf.max-students", "max-students",
                "apiary.pdf.max-attempts", "max-attempts", "apiary.pdf.callback.max-attempts", "callback.max-attempts").entrySet()) {
            assertThatThrownBy(() -> bind(Map.of(bad.getKey(), "0")))
                    .isInstanceOf(BindException.class)
                    .rootCause().hasMessageContaining("apiary.pdf." + bad.getValue());
        }
        assertThatThrownBy(() -> bind(Map.of("apiary.pdf.workers", "-1"))).rootCause().hasMessageContaining("workers");
        assertThatThrownBy(() -> bind(Map.of("apiary.pdf.lease", "0s"))).rootCause().hasMessageContaining("lease");
    }
}
