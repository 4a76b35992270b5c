package dev.apiary.pdf.request;

import dev.apiary.pdf.render.ChunkRenderer;
import dev.apiary.pdf.render.RenderWarning;
import dev.apiary.pdf.render.PartMerger;
import dev.apiary.pdf.render.Parts;
import dev.apiary.pdf.render.RenderListener;
import dev.apiary.pdf.render.ReportTemplate;
import dev.apiary.pdf.render.Templates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Renders a whole stored request in this process: chunkable templates part by part on {@code threads} threads,
 * then merged in order; others in one pass. The service distributes parts through the work queue instead; this
 * is the same pipeline without Redis (tests, the core benchmark).
 */
public final class LocalRenderer {
    private final ChunkRenderer renderer;
    private final Templates templates;

    public LocalRenderer(ChunkRenderer renderer, Templates templates) {
        this.renderer = renderer;
        this.templates = templates;
    }

    public record Outcome(int pages, int students, List<RenderWarning> warnings) {
    }

    public Outcome render(ParsedRequest req, Path dir, Path out, int threads) throws Exception {
        ReportTemplate template = templates.find(req.template()).orElseThrow();
        byte[] logo = req.hasLogo() ? Files.readAllBytes(RequestReader.logoFile(dir)) : null;
        ChunkRenderer.Job job = new ChunkRenderer.Job(template, req.school(), logo, req.paper(), "Group report");
        if (!template.chunkable()) {
            ChunkRenderer.Result r = renderer.render(job, RequestReader.students(dir, 0, req.chunks()), out, RenderListener.NONE);
            return new Outcome(r.pages(), r.students(), r.warnings());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<ChunkRenderer.Result>> futures = new ArrayList<>();
            List<Path> parts = new ArrayList<>();
            for (int c = 0; c < req.chunks(); c++) {
                int chunk = c;
                Path part = dir.resolve(String.format("part-%05d.pdf", c));
                parts.add(part);
                futures.add(pool.submit(() -> renderer.render(job, RequestReader.students(dir, chunk, chunk + 1), part,
                        RenderListener.NONE)));
            }
            int students = 0;
            List<RenderWarning> warnings = new ArrayList<>();
            for (Future<ChunkRenderer.Result> f : futures) {
                ChunkRenderer.Result r = f.get();
                students += r.students();
                warnings.addAll(r.warnings());
            }
            int pages = PartMerger.merge(parts, out, "Group report", () -> false);
            parts.forEach(Parts::deleteQuietly);
            return new Outcome(pages, students, warnings);
        } finally {
            pool.shutdownNow();
        }
    }
}
