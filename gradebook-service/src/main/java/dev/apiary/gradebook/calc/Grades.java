package dev.apiary.gradebook.calc;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.math.BigDecimal;
import java.util.List;

/**
 * Calculation results (docs/grading.md section 9). Values are kept as scaled longs and
 * turned into exact decimals on demand, so a calculation allocates little.
 */
public final class Grades {

    private Grades() {}

    static final long NULL = Long.MIN_VALUE;

    static BigDecimal dec(long unscaled, int scale) {
        if (unscaled == NULL) return null;
        BigDecimal d = BigDecimal.valueOf(unscaled, scale).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    static BigDecimal cents(long cents) {
        return cents == NULL ? null : BigDecimal.valueOf(cents, 2);
    }

    /** A course grade in one view. */
    @JsonPropertyOrder({"score", "possible", "percent", "letter"})
    public record Course(@JsonIgnore long scoreUnscaled, @JsonIgnore long possibleUnscaled, @JsonIgnore int scale,
                         @JsonIgnore long percentCents, String letter) {
        @JsonProperty("score") public BigDecimal score() { return dec(scoreUnscaled, scale); }
        @JsonProperty("possible") public BigDecimal possible() { return dec(possibleUnscaled, scale); }
        /** Rounded half-up to 2 decimals, or null. */
        @JsonProperty("percent") public BigDecimal percent() { return cents(percentCents); }
    }

    /** A group's result in one view; {@code dropped} = ascending ids removed by drop rules. */
    @JsonPropertyOrder({"score", "possible", "percent", "dropped"})
    public record GroupView(@JsonIgnore long scoreUnscaled, @JsonIgnore long possibleUnscaled, @JsonIgnore int scale,
                            @JsonIgnore long percentCents, List<Long> dropped) {
        @JsonProperty("score") public BigDecimal score() { return dec(scoreUnscaled, scale); }
        @JsonProperty("possible") public BigDecimal possible() { return dec(possibleUnscaled, scale); }
        @JsonProperty("percent") public BigDecimal percent() { return cents(percentCents); }
    }

    @JsonPropertyOrder({"id", "current", "final"})
    public record Group(long id, GroupView current, @JsonProperty("final") GroupView finalView) {}

    @JsonPropertyOrder({"id", "name", "current", "final", "groups"})
    public record Student(long id, String name, Course current, @JsonProperty("final") Course finalGrade,
                          List<Group> groups) {}
}
