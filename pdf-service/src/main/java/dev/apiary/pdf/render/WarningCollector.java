package dev.apiary.pdf.render;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects warnings: missing glyphs one per (student, character), and cards of several pages; keeps at most
 * {@code limit} of them and counts all.
 */
public final class WarningCollector {
    private final int limit;
    private final Set<String> seen = new HashSet<>();
    private final List<RenderWarning> warnings = new ArrayList<>();
    private long total;

    public WarningCollector(int limit) {
        this.limit = limit;
    }

    public void add(String studentId, int cp, String font) {
        if (seen.add(studentId + '\u0000' + cp)) {
            keep(RenderWarning.missingGlyph(studentId, cp, font));
        }
    }

    public void multiPage(String studentId, int pages) {
        keep(RenderWarning.multiPage(studentId, pages));
    }

    private void keep(RenderWarning w) {
        total++;
        if (warnings.size() < limit) {
            warnings.add(w);
        }
    }

    public List<RenderWarning> warnings() {
        return List.copyOf(warnings);
    }

    /** All warnings, including those over the limit. */
    public long total() {
        return total;
    }
}
