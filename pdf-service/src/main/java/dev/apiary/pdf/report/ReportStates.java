package dev.apiary.pdf.report;

import dev.apiary.common.progress.StateModel;

import java.util.List;
import java.util.Set;

public final class ReportStates {
    public static final String QUEUED = "queued";
    public static final String RENDERING = "rendering";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String CANCELED = "canceled";
    public static final StateModel MODEL = StateModel.of(List.of(QUEUED, RENDERING, DONE, FAILED, CANCELED),
            Set.of(DONE, FAILED, CANCELED));

    private ReportStates() {
    }
}
