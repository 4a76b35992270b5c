package dev.apiary.pdf.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.apiary.common.tenancy.Owner;
import dev.apiary.pdf.render.RenderWarning;
import dev.apiary.pdf.request.RequestReader;
import tools.jackson.core.type.TypeReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The status of a report as the API shows it (snake_case JSON). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ReportView(String id, String state, String template, String schoolId, RequestedBy requestedBy,
                         long studentsDone, long studentsTotal, Long pages, Long bytes, List<Warning> warnings,
                         long warningsTotal, String error, String createdAt, String startedAt, String finishedAt) {

    /** Who asked for the report: the API client, and the legacy user behind it ({@code X-Apiary-Actor}, or null). */
    public record RequestedBy(String client, String actor) {
    }

    /** {@code kind}: {@code missing_glyph} (with character and code_point) or {@code multi_page} (with pages). */
    public record Warning(String kind, String studentId, String character, String codePoint, Integer pages,
                          String message) {
    }

    private static final TypeReference<List<RenderWarning>> WARNINGS = new TypeReference<>() {
    };
    static final int MAX_SHOWN = 1000;

    public static ReportView of(String id, Map<String, String> h) {
        long done = 0;
        long warningsTotal = 0;
        Map<Integer, String> warnParts = new TreeMap<>();
        for (Map.Entry<String, String> e : h.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("done:")) {
                done += parse(e.getValue());
            } else if (k.startsWith("warn:")) {
                warnParts.put(Integer.parseInt(k.substring(5)), e.getValue());
            } else if (k.startsWith("warn_total:")) {
                warningsTotal += parse(e.getValue());
            }
        }
        List<Warning> warnings = new ArrayList<>();
        for (String json : warnParts.values()) {
            for (RenderWarning w : RequestReader.JSON.readValue(json, WARNINGS)) {
                if (warnings.size() < MAX_SHOWN) {
                    warnings.add(new Warning(w.kind() == null ? "missing_glyph" : w.kind().name(), w.studentId(),
                            w.character(), w.codePoint(), w.pages(), w.message()));
                }
            }
        }
        Owner owner = Owner.of(h);
        return new ReportView(id, h.get("state"), h.get("template"), owner.schoolId(),
                new RequestedBy(owner.client(), owner.actor()), done,
                parse(h.get("students_total")), optional(h.get("pages")), optional(h.get("bytes")), warnings,
                warningsTotal, h.get("error"), h.get("created_at"), h.get("started_at"), h.get("finished_at"));
    }

    /** The short answer of POST. */
    public Map<String, Object> accepted() {
        return Map.of("id", id, "state", state, "students_total", studentsTotal);
    }

    private static long parse(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Long optional(String s) {
        return s == null ? null : parse(s);
    }
}
