package dev.apiary.pdf.callback;

import java.util.Optional;

/**
 * A report's status as its callback carries it, read when the delivery runs (so a retry sends the latest).
 * The report feature provides it; this package knows nothing else about reports.
 */
@FunctionalInterface
public interface ReportStatusSource {

    /** The report's state (for the {@code X-Apiary-Event} header) and its status JSON (the body). */
    record Status(String state, String json) {
    }

    /** The status of the report, or empty when it no longer exists. */
    Optional<Status> find(String reportId);
}
