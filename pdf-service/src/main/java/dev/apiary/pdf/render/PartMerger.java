package dev.apiary.pdf.render;

import org.openpdf.text.Document;
import org.openpdf.text.pdf.PdfCopy;
import org.openpdf.text.pdf.PdfName;
import org.openpdf.text.pdf.PdfObject;
import org.openpdf.text.pdf.PdfReader;
import org.openpdf.text.pdf.PdfWriter;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Concatenates part PDFs in order into one file (temp file + rename). Each part is read, copied and released
 * before the next one is opened, so memory is bounded by one part.
 */
public final class PartMerger {
    private PartMerger() {
    }

    /** Returns the page count. {@code cancelled} is asked between parts. */
    public static int merge(List<Path> parts, Path out, String title, BooleanSupplier cancelled) throws Exception {
        if (parts.size() == 1) {
            int pages = pageCount(parts.getFirst());
            Path tmp = Parts.tempFor(out);
            Files.copy(parts.getFirst(), tmp);
            Parts.moveIntoPlace(tmp, out);
            return pages;
        }
        Path tmp = Parts.tempFor(out);
        int pages = 0;
        boolean ok = false;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            Document doc = new Document();
            PdfCopy copy = new PdfCopy(doc, os);
            copy.setFullCompression();
            copy.setCloseStream(false);
            // the parts' title and language (/Lang) carry over to the whole report
            String partTitle = title;
            PdfObject lang = null;
            PdfReader first = new PdfReader(Files.readAllBytes(parts.getFirst()));
            try {
                partTitle = first.getInfo().getOrDefault("Title", title);
                lang = first.getCatalog().get(PdfName.LANG);
            } finally {
                first.close();
            }
            doc.addTitle(partTitle == null ? "Group report" : partTitle);
            doc.addCreator("Apiary pdf-service");
            if (lang != null) {
                copy.getExtraCatalog().put(PdfName.LANG, lang);
            }
            copy.setViewerPreferences(PdfWriter.DisplayDocTitle);
            doc.open();
            try {
                for (Path part : parts) {
                    if (cancelled.getAsBoolean()) {
                        throw new RenderCancelledException();
                    }
                    PdfReader reader = new PdfReader(Files.readAllBytes(part));
                    try {
                        int n = reader.getNumberOfPages();
                        for (int i = 1; i <= n; i++) {
                            copy.addPage(copy.getImportedPage(reader, i));
                        }
                        pages += n;
                        copy.freeReader(reader);
                    } finally {
                        reader.close();
                    }
                }
            } finally {
                doc.close();
            }
            os.flush();
            ok = true;
        } finally {
            if (ok) {
                Parts.moveIntoPlace(tmp, out);
            } else {
                Parts.deleteQuietly(tmp);
            }
        }
        return pages;
    }

    public static int pageCount(Path pdf) throws Exception {
        PdfReader reader = new PdfReader(Files.readAllBytes(pdf));
        try {
            return reader.getNumberOfPages();
        } finally {
            reader.close();
        }
    }
}
