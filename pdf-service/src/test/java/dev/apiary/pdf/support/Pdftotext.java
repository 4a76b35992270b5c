package dev.apiary.pdf.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Text of each page as poppler's {@code pdftotext} (Debian poppler-utils) reads it, in its reading order. */
public final class Pdftotext {
    private Pdftotext() {
    }

    public static List<String> pages(Path pdf) throws Exception {
        Process p = new ProcessBuilder("pdftotext", "-enc", "UTF-8", pdf.toString(), "-")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("pdftotext failed on " + pdf);
        }
        List<String> pages = new ArrayList<>(Arrays.asList(new String(out, StandardCharsets.UTF_8).split("\f", -1)));
        if (!pages.isEmpty() && pages.getLast().isBlank()) {
            pages.removeLast();
        }
        return pages;
    }
}
