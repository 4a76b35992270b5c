package dev.apiary.pdf.support;

import org.openpdf.text.pdf.PdfReader;
import org.openpdf.text.pdf.parser.PdfTextExtractor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Text of each page of a PDF, extracted with OpenPDF's own text extraction. */
public final class PdfText {
    private PdfText() {
    }

    public static List<String> pages(Path pdf) throws Exception {
        return pages(Files.readAllBytes(pdf));
    }

    public static List<String> pages(byte[] pdf) throws Exception {
        PdfReader reader = new PdfReader(pdf);
        try {
            PdfTextExtractor ex = new PdfTextExtractor(reader);
            List<String> out = new ArrayList<>();
            for (int p = 1; p <= reader.getNumberOfPages(); p++) {
                out.add(ex.getTextFromPage(p));
            }
            return out;
        } finally {
            reader.close();
        }
    }
}
