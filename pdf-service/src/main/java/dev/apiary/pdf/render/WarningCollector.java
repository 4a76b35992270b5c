package dev.apiary.pdf.render;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects missing-glyph warnings, one per (student, character), keeping at most {@code limit} of them. */
public final class WarningCollector {
    private final int limit;
    private final Set<String> seen = new HashSet<>();
    private final List<GlyphWarning> warnings = new ArrayList<>();
    private long total;

    public WarningCollector(int limit) {
        this.limit = limit;
    }

    public void add(String studentId, int cp, String font) {
        if (seen.add(studentId + '\u0000' + cp)) {
            total++;
            if (warnings.size() < limit) {
                warnings.add(GlyphWarning.of(studentId, cp, font));
            }
        }
    }

    public List<GlyphWarning> warnings() {
        return List.copyOf(warnings);
    }

    /** All distinct (student, character) pairs, including those over the limit. */
    public long total() {
        return total;
    }
}
