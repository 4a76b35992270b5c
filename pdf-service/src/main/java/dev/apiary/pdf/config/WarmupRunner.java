package dev.apiary.pdf.config;

import dev.apiary.pdf.render.ChunkRenderer;
import dev.apiary.pdf.render.Templates;
import dev.apiary.pdf.render.Warmup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Optional JIT warm-up after startup, on a low-priority background thread (apiary.pdf.warmup). */
@Component
public class WarmupRunner {
    private static final Logger log = LoggerFactory.getLogger(WarmupRunner.class);
    private final ChunkRenderer renderer;
    private final Templates templates;
    private final PdfProperties props;

    public WarmupRunner(ChunkRenderer renderer, Templates templates, PdfProperties props) {
        this.renderer = renderer;
        this.templates = templates;
        this.props = props;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void warmUp() {
        if (!props.warmup()) {
            return;
        }
        Thread t = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                Warmup.run(renderer, templates, 6, 100);
                log.info("render warm-up done in {} ms", (System.nanoTime() - t0) / 1_000_000);
            } catch (Exception e) {
                log.warn("render warm-up failed: {}", e.toString());
            }
        }, "pdf-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }
}
