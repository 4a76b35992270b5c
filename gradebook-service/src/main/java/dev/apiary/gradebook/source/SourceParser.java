package dev.apiary.gradebook.source;

import dev.apiary.gradebook.calc.Gradebook;
import dev.apiary.gradebook.calc.SectionSource;
import dev.apiary.gradebook.calc.SectionSource.Assignment;
import dev.apiary.gradebook.calc.SectionSource.DropRules;
import dev.apiary.gradebook.calc.SectionSource.Group;
import dev.apiary.gradebook.calc.SectionSource.LatePolicy;
import dev.apiary.gradebook.calc.SectionSource.LetterRow;
import dev.apiary.gradebook.calc.SectionSource.Score;
import dev.apiary.gradebook.calc.SectionSource.SectionInfo;
import dev.apiary.gradebook.calc.SectionSource.Student;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses and validates gradebook source JSON (docs/legacy-contract.md) into a calculation-ready
 * {@link Gradebook}. Every violation is reported as a {@link SourceFormatException} naming the
 * field ({@code assignments[3].points_possible}). Numbers are read as exact decimals.
 */
public final class SourceParser {

    /** Largest magnitude accepted for points, scores and weights. */
    public static final BigDecimal MAX_NUMBER = new BigDecimal("1000000000");
    /** Most decimal places accepted for points, scores and weights. */
    public static final int MAX_DECIMALS = 6;

    /** A school id, as pdf-service and alert-service accept it. */
    public static final Pattern SCHOOL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private SourceParser() {}

    public static JsonMapper mapper() {
        return JSON;
    }

    public static Gradebook parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new SourceFormatException("$", "not valid JSON (" + e.getOriginalMessage() + ")");
        }
        return parse(root);
    }

    public static Gradebook parse(JsonNode root) {
        SectionSource src = source(root);
        try {
            return Gradebook.of(src);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            int colon = m.indexOf(": ");
            throw colon > 0 ? new SourceFormatException(m.substring(0, colon), m.substring(colon + 2))
                    : new SourceFormatException("$", m);
        }
    }

    public static SectionSource source(JsonNode root) {
        if (root == null || !root.isObject()) throw new SourceFormatException("$", "must be a JSON object");
        JsonNode sec = required(root, "section", "$");
        if (!sec.isObject()) throw new SourceFormatException("section", "must be an object");
        SectionInfo info = new SectionInfo(id(sec, "id", "section"), schoolId(sec), optString(sec, "name", "section"),
                optString(sec, "term", "section"));

        String weighting = "points";
        JsonNode w = root.get("weighting");
        if (w != null && !w.isNull()) {
            if (!w.isString()) throw new SourceFormatException("weighting", "must be a string (\"points\" or \"percent\")");
            weighting = w.stringValue();
        }

        List<LetterRow> standard = null;
        JsonNode gs = root.get("grading_standard");
        if (gs != null && !gs.isNull()) {
            if (!gs.isArray()) throw new SourceFormatException("grading_standard", "must be an array of [letter, lower_bound] or null");
            standard = new ArrayList<>();
            for (int i = 0; i < gs.size(); i++) {
                JsonNode row = gs.get(i);
                String p = "grading_standard[" + i + "]";
                if (!row.isArray() || row.size() != 2) throw new SourceFormatException(p, "must be [letter, lower_bound]");
                if (!row.get(0).isString()) throw new SourceFormatException(p + "[0]", "must be a string");
                standard.add(new LetterRow(row.get(0).stringValue(), number(row.get(1), p + "[1]", false, false)));
            }
        }

        LatePolicy late = null;
        JsonNode lp = root.get("late_policy");
        if (lp != null && !lp.isNull()) {
            if (!lp.isObject()) throw new SourceFormatException("late_policy", "must be an object");
            boolean enabled = bool(lp, "missing_submission_deduction_enabled", "late_policy");
            BigDecimal ded = BigDecimal.ZERO;
            JsonNode d = lp.get("missing_submission_deduction");
            if (d != null && !d.isNull()) {
                ded = number(d, "late_policy.missing_submission_deduction", false, false);
                if (ded.signum() < 0 || ded.compareTo(BigDecimal.valueOf(100)) > 0) {
                    throw new SourceFormatException("late_policy.missing_submission_deduction", "must be between 0 and 100");
                }
                if (ded.stripTrailingZeros().scale() > 2) {
                    throw new SourceFormatException("late_policy.missing_submission_deduction", "at most 2 decimal places");
                }
            }
            late = new LatePolicy(enabled, ded);
        }

        List<Group> groups = new ArrayList<>();
        JsonNode ga = array(root, "groups");
        for (int i = 0; i < ga.size(); i++) {
            String p = "groups[" + i + "]";
            JsonNode g = object(ga.get(i), p);
            JsonNode weight = g.get("weight");
            BigDecimal wt = weight == null || weight.isNull() ? null : number(weight, p + ".weight", true, false);
            DropRules rules = DropRules.NONE;
            JsonNode r = g.get("rules");
            if (r != null && !r.isNull()) {
                String rp = p + ".rules";
                if (!r.isObject()) throw new SourceFormatException(rp, "must be an object");
                List<Long> never = new ArrayList<>();
                JsonNode nd = r.get("never_drop");
                if (nd != null && !nd.isNull()) {
                    if (!nd.isArray()) throw new SourceFormatException(rp + ".never_drop", "must be an array of assignment ids");
                    for (int j = 0; j < nd.size(); j++) never.add(integer(nd.get(j), rp + ".never_drop[" + j + "]"));
                }
                rules = new DropRules(count(r, "drop_lowest", rp), count(r, "drop_highest", rp), never);
            }
            groups.add(new Group(id(g, "id", p), optString(g, "name", p), wt, rules));
        }

        List<Assignment> assignments = new ArrayList<>();
        JsonNode aa = array(root, "assignments");
        for (int i = 0; i < aa.size(); i++) {
            String p = "assignments[" + i + "]";
            JsonNode a = object(aa.get(i), p);
            JsonNode pp = a.get("points_possible");
            BigDecimal points = pp == null || pp.isNull() ? null : number(pp, p + ".points_possible", true, true);
            assignments.add(new Assignment(id(a, "id", p), id(a, "group_id", p), optString(a, "name", p), points,
                    bool(a, "omit_from_final_grade", p)));
        }

        List<Student> students = new ArrayList<>();
        JsonNode sa = array(root, "students");
        for (int i = 0; i < sa.size(); i++) {
            String p = "students[" + i + "]";
            JsonNode s = object(sa.get(i), p);
            students.add(new Student(id(s, "id", p), optString(s, "name", p)));
        }

        List<Score> scores = new ArrayList<>();
        JsonNode sc = root.get("scores");
        if (sc != null && !sc.isNull()) {
            if (!sc.isArray()) throw new SourceFormatException("scores", "must be an array");
            for (int i = 0; i < sc.size(); i++) {
                String p = "scores[" + i + "]";
                JsonNode s = object(sc.get(i), p);
                JsonNode v = s.get("score");
                BigDecimal value = v == null || v.isNull() ? null : number(v, p + ".score", false, true);
                scores.add(new Score(id(s, "student_id", p), id(s, "assignment_id", p), value,
                        bool(s, "excused", p), bool(s, "missing", p)));
            }
        }
        return new SectionSource(info, weighting, standard, late, groups, assignments, students, scores);
    }

    /** The section's school: an opaque id as the other services take it; null when absent (only /calculate allows that). */
    private static String schoolId(JsonNode sec) {
        String s = optString(sec, "school_id", "section");
        if (s != null && !SCHOOL_ID.matcher(s).matches()) {
            throw new SourceFormatException("section.school_id", "must be 1-64 letters, digits, '_', '-' or '.'");
        }
        return s;
    }

    // --- field helpers

    private static JsonNode required(JsonNode o, String name, String parent) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) throw new SourceFormatException(path(parent, name), "is required");
        return v;
    }

    private static JsonNode array(JsonNode o, String name) {
        JsonNode v = required(o, name, "$");
        if (!v.isArray()) throw new SourceFormatException(name, "must be an array");
        return v;
    }

    private static JsonNode object(JsonNode v, String path) {
        if (v == null || !v.isObject()) throw new SourceFormatException(path, "must be an object");
        return v;
    }

    private static long id(JsonNode o, String name, String parent) {
        return integer(required(o, name, parent), path(parent, name));
    }

    private static long integer(JsonNode v, String path) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new SourceFormatException(path, "must be an integer id");
        }
        return v.longValue();
    }

    private static int count(JsonNode o, String name, String parent) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) return 0;
        String p = path(parent, name);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw new SourceFormatException(p, "must be an integer >= 0");
        }
        return v.intValue();
    }

    private static String optString(JsonNode o, String name, String parent) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isString()) throw new SourceFormatException(path(parent, name), "must be a string");
        return v.stringValue();
    }

    private static boolean bool(JsonNode o, String name, String parent) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw new SourceFormatException(path(parent, name), "must be true or false");
        return v.booleanValue();
    }

    /** An exact decimal; {@code bounded} applies the magnitude and decimal-place limits. */
    static BigDecimal number(JsonNode v, String path, boolean nonNegative, boolean bounded) {
        if (v == null || !v.isNumber()) throw new SourceFormatException(path, "must be a number");
        BigDecimal d = v.decimalValue();
        if (nonNegative && d.signum() < 0) throw new SourceFormatException(path, "must not be negative");
        checkBounds(d, path);
        return d;
    }

    /** The limits every point, score and weight must respect to be computed exactly. */
    public static void checkBounds(BigDecimal d, String path) {
        if (d.abs().compareTo(MAX_NUMBER) > 0) throw new SourceFormatException(path, "must be at most " + MAX_NUMBER.toPlainString() + " in magnitude");
        if (d.stripTrailingZeros().scale() > MAX_DECIMALS) throw new SourceFormatException(path, "at most " + MAX_DECIMALS + " decimal places");
    }

    private static String path(String parent, String name) {
        return "$".equals(parent) ? name : parent + "." + name;
    }
}
