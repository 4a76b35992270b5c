package dev.apiary.pdf.render;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Renders a synthetic sample a few times so the JIT compiles the rendering paths before the first real job. */
public final class Warmup {
    private Warmup() {
    }

    public static void run(ChunkRenderer renderer, Templates templates, int rounds, int students) throws Exception {
        School school = new School("Warm-up School", List.of("1 Main Street", "Springfield"), "District",
                "2025 · Term 1", "2025-01-01", "Principal", 90, null);
        List<Student> list = new ArrayList<>();
        for (int i = 0; i < students; i++) {
            List<Course> courses = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                courses.add(new Course("C" + c, "Course title number " + c, "Teacher Name " + c, 1.0,
                        List.of(80.0 + c, 85.0, 90.0, 77.0), 83.0 + c, "B+",
                        "Works well with classmates and should keep reviewing notes before each quiz. Well done."));
            }
            list.add(new Student("W-" + i, "Élodie", "Ñúñez", null, 10, "10-A", "Advisor", "2010-01-01", courses,
                    new Attendance(88, 2, 1), "A thoughtful and diligent student who participates in class."));
        }
        Path tmp = Files.createTempFile("apiary-pdf-warmup", ".pdf");
        try {
            for (int r = 0; r < rounds; r++) {
                for (ReportTemplate t : List.of(templates.find("report_card").orElseThrow(),
                        templates.find("class_summary").orElseThrow())) {
                    renderer.render(new ChunkRenderer.Job(t, school, null, PaperSize.A4, "warm-up"), list.iterator(),
                            tmp, RenderListener.NONE);
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
