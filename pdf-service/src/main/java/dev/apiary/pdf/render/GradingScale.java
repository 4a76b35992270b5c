package dev.apiary.pdf.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A school's grading scale: each grade with the lowest mark that earns it and its grade points (null: it does not
 * count towards the GPA). Set per request ({@code school.grading_scale}) or per school in the settings; nothing is
 * built in. A grade worth 0 points earns no credits.
 */
public record GradingScale(List<Grade> grades) {

    public record Grade(String grade, Double min, Double points) {
    }

    public GradingScale {
        grades = grades == null ? List.of() : List.copyOf(grades);
    }

    public static final GradingScale NONE = new GradingScale(List.of());

    /** The settings' compact form: {@code A:93:4.0,A-:90:3.7,...,F:0:0} (grade:min[:points]). */
    public static GradingScale parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        List<Grade> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] f = part.strip().split(":");
            if (f.length < 2 || f.length > 3 || f[0].isBlank()) {
                throw new IllegalArgumentException("grading scale entry '" + part + "' is not grade:min[:points]");
            }
            out.add(new Grade(f[0].strip(), Double.valueOf(f[1].strip()),
                    f.length == 3 ? Double.valueOf(f[2].strip()) : null));
        }
        return new GradingScale(out);
    }

    public boolean isEmpty() {
        return grades.isEmpty();
    }

    /** The grade points of a final grade, or null when the scale does not know it or gives it none. */
    public Double points(String grade) {
        for (Grade g : grades) {
            if (g.grade().equals(grade)) {
                return g.points();
            }
        }
        return null;
    }

    /** Whether the grade earns the course's credits (not one worth 0 points). */
    public boolean earnsCredits(String grade) {
        Double p = points(grade);
        return p == null || p > 0;
    }

    /** "A ≥ 93 · A- ≥ 90 · ..." highest first, with the locale's numbers. */
    public String legend(Labels labels) {
        StringBuilder sb = new StringBuilder();
        List<Grade> sorted = new ArrayList<>(grades);
        sorted.sort(Comparator.comparing((Grade g) -> g.min() == null ? Double.NEGATIVE_INFINITY : g.min()).reversed());
        for (Grade g : sorted) {
            if (!sb.isEmpty()) {
                sb.append(" · ");
            }
            sb.append(g.grade());
            if (g.min() != null) {
                sb.append(" ≥ ").append(labels.number(Fmt.mark(g.min())));
            }
        }
        return sb.toString();
    }
}
