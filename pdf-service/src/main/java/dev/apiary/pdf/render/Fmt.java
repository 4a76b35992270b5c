package dev.apiary.pdf.render;

import java.util.List;

/** Number formatting and the report helpers of the legacy app (report_helpers.rb), without String.format. */
final class Fmt {
    private Fmt() {
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    /** A mark: integer if whole, else one decimal. */
    static String mark(Double m) {
        if (m == null) {
            return "";
        }
        if (m == Math.rint(m) && Math.abs(m) < 1e9) {
            return Long.toString((long) (double) m);
        }
        return fixed(m, 1);
    }

    /** {@code x} with {@code decimals} (1 or 2) decimals, half away from zero. */
    static String fixed(Double x, int decimals) {
        if (x == null || x.isNaN() || x.isInfinite()) {
            return "";
        }
        long scale = decimals == 2 ? 100 : 10;
        long v = Math.round(Math.abs(x) * scale);
        StringBuilder sb = new StringBuilder(12);
        if (x < 0 && v != 0) {
            sb.append('-');
        }
        sb.append(v / scale).append('.');
        long frac = v % scale;
        if (decimals == 2 && frac < 10) {
            sb.append('0');
        }
        return sb.append(frac).toString();
    }

    /** The credit-weighted mean of the grade points of the scale; empty when no course has points. */
    static String gpa(List<Course> courses, GradingScale scale) {
        double credits = 0;
        double points = 0;
        for (Course c : courses) {
            Double gp = c.finalGrade() == null ? null : scale.points(c.finalGrade());
            double cr = c.credits() == null ? 0 : c.credits();
            if (gp != null) {
                credits += cr;
                points += gp * cr;
            }
        }
        return credits == 0 ? "" : fixed(points / credits, 2);
    }

    /** Credits of the courses whose grade earns them (every grade but one worth 0 points on the scale). */
    static String creditsEarned(List<Course> courses, GradingScale scale) {
        double sum = 0;
        for (Course c : courses) {
            if (scale.earnsCredits(c.finalGrade()) && c.credits() != null) {
                sum += c.credits();
            }
        }
        return fixed(sum, 1);
    }

    static String attendanceRate(Attendance a) {
        if (a == null || a.daysPresent() == null || a.daysAbsent() == null) {
            return "";
        }
        int total = a.daysPresent() + a.daysAbsent();
        return total == 0 ? "" : fixed(100.0 * a.daysPresent() / total, 1) + "%";
    }

    static String num(Integer i) {
        return i == null ? "" : Integer.toString(i);
    }
}
