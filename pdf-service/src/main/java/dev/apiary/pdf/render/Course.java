package dev.apiary.pdf.render;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** One course line of a report card: term marks, semester average, final letter grade, credits. */
public record Course(String code, String title, String teacher, Double credits, List<Double> marks, Double average,
                     @JsonProperty("final") String finalGrade, String comment) {

    public Course {
        marks = marks == null ? List.of() : List.copyOf(marks);
    }
}
