package dev.apiary.pdf.config;

import dev.apiary.common.faults.FaultInjection;
import dev.apiary.common.idempotency.IdempotencyKeys;
import dev.apiary.pdf.render.ChunkRenderer;
import dev.apiary.pdf.render.FontSet;
import dev.apiary.pdf.render.GradingScale;
import dev.apiary.pdf.request.RequestReader;
import dev.apiary.pdf.render.Templates;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration
@EnableScheduling
public class PdfConfiguration {

    @Bean
    FontSet fontSet(PdfProperties props) {
        PdfProperties.Fonts f = props.fonts();
        return FontSet.load(props.fontDir(), new FontSet.Faces(f.regular(), f.bold(), f.italic(), f.boldItalic()),
                f.fallback());
    }

    @Bean
    Templates templates() {
        return Templates.defaults();
    }

    @Bean
    ChunkRenderer chunkRenderer(FontSet fonts, PdfProperties props) {
        return new ChunkRenderer(fonts, props.maxWarnings());
    }

    @Bean
    RequestReader requestReader(Templates templates, PdfProperties props) {
        return new RequestReader(templates.names(), new RequestReader.Limits(props.maxStudents(), props.chunkSize(),
                props.maxBodySize().toBytes(), (int) props.maxLogoSize().toBytes()), school -> {
                    PdfProperties.SchoolDefault d = props.schoolDefaults().getOrDefault(school,
                            props.schoolDefaults().get("default"));
                    if (d == null) {
                        return RequestReader.SchoolDefaults.NONE;
                    }
                    GradingScale scale = GradingScale.parse(d.gradingScale());
                    return new RequestReader.SchoolDefaults(d.locale(), scale.isEmpty() ? null : scale.grades(),
                            d.termNames() == null || d.termNames().isEmpty() ? null : d.termNames());
                });
    }

    /** Report idempotency keys: {@code apiary:pdf:idem:{...}}, scoped by client and school. */
    @Bean
    IdempotencyKeys reportIdempotencyKeys(StringRedisTemplate redis, PdfProperties props) {
        return new IdempotencyKeys(redis, "apiary:pdf", props.idempotencyPending());
    }

    /** Test-only faults: {@code apiary.pdf.fault-injection.stall-after-reservation}, {@code .fail-after-queued-parts}. */
    @Bean
    FaultInjection faultInjection(Environment env) {
        return FaultInjection.from(env, "apiary.pdf.fault-injection", "parts");
    }
}
