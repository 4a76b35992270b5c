package dev.apiary.pdf.request;

import dev.apiary.pdf.render.PaperSize;
import dev.apiary.pdf.render.School;
/**
 * A validated group-report request as stored in the job directory: the students are in {@code chunks} files of
 * at most the chunk size each (see {@link RequestReader#chunkFile}), the school in {@code school.json}, the logo
 * (if any) in {@code logo.bin}.
 */
public record ParsedRequest(String template, String schoolId, PaperSize paper, String callbackUrl, School school,
                            boolean hasLogo, int students, int chunks, int chunkSize, long bytes, String sha256) {
}
