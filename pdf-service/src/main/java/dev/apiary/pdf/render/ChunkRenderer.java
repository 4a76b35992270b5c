package dev.apiary.pdf.render;

import org.openpdf.text.Document;
import org.openpdf.text.Image;
import org.openpdf.text.pdf.PdfName;
import org.openpdf.text.pdf.PdfString;
import org.openpdf.text.pdf.PdfWriter;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * Renders one render unit (a part of a report, or a whole report) with a template into a PDF file: written to a
 * temp file beside {@code out} and renamed into place when complete. Pages are flushed to the file as they are
 * finished; memory does not grow with the number of students.
 */
public final class ChunkRenderer {
    private final FontSet fonts;
    private final int warningLimit;

    public ChunkRenderer(FontSet fonts, int warningLimit) {
        this.fonts = fonts;
        this.warningLimit = warningLimit;
    }

    public record Result(int pages, int students, List<RenderWarning> warnings, long warningsTotal) {
    }

    /** What every part of one report shares. {@code logo} may be null. */
    public record Job(ReportTemplate template, School school, byte[] logo, PaperSize paper, String title) {
    }

    public Result render(Job job, Iterator<Student> students, Path out, RenderListener listener) throws Exception {
        Path tmp = Parts.tempFor(out);
        WarningCollector warnings = new WarningCollector(warningLimit);
        boolean ok = false;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            Document doc = new Document(job.paper().portrait());
            PdfWriter writer = PdfWriter.getInstance(doc, os);
            writer.setFullCompression();
            writer.setCloseStream(false);
            doc.addTitle(job.title() == null ? "Group report" : job.title());
            doc.addCreator("Apiary pdf-service");
            // accessibility: the document language (/Lang) and a title viewers show instead of the file name
            Labels labels = Labels.of(job.school().locale());
            writer.getExtraCatalog().put(PdfName.LANG, new PdfString(labels.tag()));
            writer.setViewerPreferences(PdfWriter.DisplayDocTitle);
            Image logo = job.logo() == null ? null : Image.getInstance(job.logo());
            RenderSession session = new RenderSession(doc, writer, fonts, job.school(), logo, warnings, listener);
            job.template().render(session, job.paper(), students);
            int pages = writer.getPageNumber();
            // closed only when complete: a canceled or failed part is not finished (fonts subset, xref written)
            // just to be deleted, so cancel stops the worker at once
            if (doc.isOpen()) {
                session.fonts().close(doc);
            }
            os.flush();
            ok = true;
            Result r = new Result(session.studentsDone() == 0 ? 0 : pages, session.studentsDone(),
                    warnings.warnings(), warnings.total());
            return r;
        } finally {
            if (ok) {
                Parts.moveIntoPlace(tmp, out);
            } else {
                Parts.deleteQuietly(tmp);
            }
        }
    }
}
