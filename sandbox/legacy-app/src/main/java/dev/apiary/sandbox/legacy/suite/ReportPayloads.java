package dev.apiary.sandbox.legacy.suite;

import dev.apiary.sandbox.legacy.school.Model.School;
import dev.apiary.sandbox.legacy.school.Model.Student;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds a pdf-service report_card request (the shape of the bench/pdf/baseline data) from the school's data. */
public final class ReportPayloads {
    private ReportPayloads() {}

    static final String[] COURSES = {"English Language & Literature", "Mathematics", "Science", "History",
        "Spanish", "Physical Education & Health", "Visual Arts", "Computer Science"};
    static final String[] CODES = {"ENG", "MAT", "SCI", "HIS", "LAN", "PEH", "ART", "CSC"};
    static final String[] TEACHERS = {"Ms. Catherine Walsh", "Mr. Daniel Ortega", "Dr. Radhika Iyengar",
        "Mrs. Brigitte Lemaître", "Mr. Thomas Becker", "Mrs. Aisha Rahman", "Ms. Yuki Morimoto", "Mr. Kwame Mensah"};
    static final String[] COMMENTS = {"participates thoughtfully in class discussions",
        "consistently completes homework on time", "shows real curiosity and asks excellent questions",
        "works well with classmates during group projects", "has made steady progress this term"};

    public static Map<String, Object> school(String name) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("address", List.of("1450 Maplewood Avenue", "Springfield, OR 97477", "Tel. (541) 555-0142"));
        s.put("district", "Cascade Valley School District No. 19");
        s.put("term", "2026 · Term 1");
        s.put("issued", "2026-11-20");
        s.put("principal", "Dr. Margaret Åhlund-Kapoor");
        s.put("school_days", 92);
        return s;
    }

    public static Map<String, Object> reportCards(School school, List<Student> students) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("template", "report_card");
        body.put("school_id", school.id());
        body.put("school", school(school.name()));
        body.put("students", students.stream().map(ReportPayloads::student).toList());
        return body;
    }

    static Map<String, Object> student(Student st) {
        Random rng = new Random(st.id());
        int ability = 62 + rng.nextInt(36);
        List<Map<String, Object>> courses = new ArrayList<>();
        for (int i = 0; i < COURSES.length; i++) {
            List<Integer> marks = new ArrayList<>();
            int sum = 0;
            for (int m = 0; m < 4; m++) {
                int mark = Math.max(45, Math.min(100, ability + rng.nextInt(23) - 12));
                marks.add(mark);
                sum += mark;
            }
            double avg = Math.round(sum / 4.0 * 10) / 10.0;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("code", String.format("%s%d%02d", CODES[i], st.gradeLevel(), 1 + rng.nextInt(40)));
            c.put("title", COURSES[i]);
            c.put("teacher", TEACHERS[(i + st.id()) % TEACHERS.length]);
            c.put("credits", i == 5 ? 0.5 : 1.0);
            c.put("marks", marks);
            c.put("average", avg);
            c.put("final", letter(avg));
            c.put("comment", st.firstName() + " " + COMMENTS[rng.nextInt(COMMENTS.length)] + ".");
            courses.add(c);
        }
        int absent = rng.nextInt(100) < 70 ? rng.nextInt(5) : 5 + rng.nextInt(10);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", "LIS-" + st.id());
        s.put("first_name", st.firstName());
        s.put("last_name", st.lastName());
        s.put("name", st.name());
        s.put("grade_level", st.gradeLevel());
        s.put("homeroom", st.homeroom());
        s.put("advisor", TEACHERS[st.id() % TEACHERS.length]);
        s.put("date_of_birth", String.format("%04d-%02d-%02d", 2019 - st.gradeLevel(), 1 + rng.nextInt(12), 1 + rng.nextInt(28)));
        s.put("courses", courses);
        s.put("attendance", Map.of("days_present", 92 - absent, "days_absent", absent, "days_tardy", rng.nextInt(4)));
        s.put("advisor_comment", st.firstName() + " " + COMMENTS[rng.nextInt(COMMENTS.length)] + ". Keep up the good work!");
        return s;
    }

    static String letter(double avg) {
        if (avg >= 93) return "A";
        if (avg >= 90) return "A-";
        if (avg >= 87) return "B+";
        if (avg >= 83) return "B";
        if (avg >= 80) return "B-";
        if (avg >= 77) return "C+";
        if (avg >= 73) return "C";
        if (avg >= 70) return "C-";
        if (avg >= 67) return "D+";
        if (avg >= 60) return "D";
        return "F";
    }
}
