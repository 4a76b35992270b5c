package dev.apiary.pdf.render;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The registry of templates by name. */
public final class Templates {
    private final Map<String, ReportTemplate> byName = new LinkedHashMap<>();

    public Templates(List<ReportTemplate> templates) {
        templates.forEach(t -> byName.put(t.name(), t));
    }

    public static Templates defaults() {
        return new Templates(List.of(new ReportCardTemplate(), new ClassSummaryTemplate()));
    }

    public Optional<ReportTemplate> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
