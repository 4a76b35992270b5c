package dev.apiary.pdf.render;

import java.util.List;

/** One student of a group report (the shape of gen_data.rb's students). */
public record Student(String id, String firstName, String lastName, String name, Integer gradeLevel, String homeroom,
                      String advisor, String dateOfBirth, List<Course> courses, Attendance attendance,
                      String advisorComment) {

    public Student {
        courses = courses == null ? List.of() : List.copyOf(courses);
    }

    /** The display name: {@code name}, else first + last. */
    public String displayName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        return ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).trim();
    }
}
