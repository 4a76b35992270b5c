package dev.apiary.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PDF checks with poppler-utils (pdfinfo, pdftotext), which ./apiary test installs. */
final class Pdf {
    private Pdf() {}

    static int pages(Path pdf) throws IOException, InterruptedException {
        String info = run(List.of("pdfinfo", pdf.toString()));
        Matcher m = Pattern.compile("(?m)^Pages:\\s+(\\d+)").matcher(info);
        if (!m.find()) throw new AssertionError("pdfinfo: no page count:\n" + info);
        return Integer.parseInt(m.group(1));
    }

    /** The text with runs of whitespace collapsed to one space. */
    static String text(Path pdf) throws IOException, InterruptedException {
        return run(List.of("pdftotext", "-enc", "UTF-8", pdf.toString(), "-")).replaceAll("\\s+", " ");
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(cmd + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
