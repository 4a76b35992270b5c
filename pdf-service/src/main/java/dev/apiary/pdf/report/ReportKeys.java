package dev.apiary.pdf.report;

import java.nio.file.Path;

/** Redis keys and job-directory paths of one report. Keys share the hash tag {id} (Redis Cluster). */
public final class ReportKeys {
    public static final String RENDER_STREAM = "apiary:pdf:{render}";
    public static final String GROUP = "pdf-service";

    private ReportKeys() {
    }

    public static String status(String id) {
        return "apiary:pdf:report:{" + id + "}";
    }

    public static String doneParts(String id) {
        return status(id) + ":parts";
    }

    public static String partOwner(String id, int part) {
        return status(id) + ":owner:" + part;
    }

    public static String cancel(String id) {
        return status(id) + ":cancel";
    }

    public static String gone(String id) {
        return status(id) + ":gone";
    }

    public static String idempotency(String key) {
        return "apiary:pdf:idem:" + key;
    }

    public static Path jobDir(Path data, String id) {
        return data.resolve("reports").resolve(id);
    }

    public static Path inputDir(Path data, String id) {
        return jobDir(data, id).resolve("input");
    }

    public static Path part(Path data, String id, int part) {
        return jobDir(data, id).resolve(String.format("part-%05d.pdf", part));
    }

    public static Path file(Path data, String id) {
        return jobDir(data, id).resolve("report.pdf");
    }

    /** The path of the finished file relative to the data dir (what nginx appends to its alias). */
    public static String relativeFile(String id) {
        return "reports/" + id + "/report.pdf";
    }
}
