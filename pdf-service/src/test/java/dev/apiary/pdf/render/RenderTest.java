package dev.apiary.pdf.render;

import dev.apiary.pdf.request.LocalRenderer;
import dev.apiary.pdf.request.ParsedRequest;
import dev.apiary.pdf.request.RequestReader;
import dev.apiary.pdf.support.PdfText;
import dev.apiary.pdf.support.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openpdf.text.pdf.PdfDictionary;
import org.openpdf.text.pdf.PdfName;
import org.openpdf.text.pdf.PdfReader;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RenderTest {
    static FontSet fonts;
    static final Templates TEMPLATES = Templates.defaults();
    static final int N = 25;
    static final int LONG = 5;      // this student's card spans two pages
    static final int MISSING = 7;   // this student's name has a character the font lacks

    @TempDir
    Path dir;

    @BeforeAll
    static void fonts() {
        fonts = FontSet.liberationSans();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> request(String template) {
        Map<String, Object> r = TestData.request(template, N);
        List<Map<String, Object>> students = (List<Map<String, Object>>) r.get("students");
        for (Map<String, Object> c : (List<Map<String, Object>>) students.get(LONG).get("courses")) {
            c.put("comment", "Long comment. ".repeat(60));
        }
        students.get(MISSING).put("name", TestData.name(MISSING) + " 田");
        ((Map<String, Object>) r.get("school")).put("logo", TestData.pngBase64());
        return r;
    }

    LocalRenderer.Outcome render(String template, Path out, int chunk) throws Exception {
        RequestReader reader = new RequestReader(TEMPLATES.names(), new RequestReader.Limits(1000, chunk, 50_000_000, 100_000));
        Path input = dir.resolve("input");
        ParsedRequest req = reader.read(new ByteArrayInputStream(TestData.bytes(request(template))), input);
        return new LocalRenderer(new ChunkRenderer(fonts, 100), TEMPLATES).render(req, input, out, 2);
    }

    @Test
    void reportCardsHaveEveryStudentOnOwnPagesWithNamesGradesAndPerStudentPageNumbers() throws Exception {
        Path out = dir.resolve("report.pdf");
        LocalRenderer.Outcome o = render("report_card", out, 10);
        List<String> pages = PdfText.pages(out);
        assertThat(o.students()).isEqualTo(N);
        assertThat(pages).hasSize(N + 1).hasSize(o.pages());
        int page = 0;
        for (int i = 0; i < N; i++) {
            String text = pages.get(page);
            assertThat(text).as("page of student %d", i).contains(TestData.name(i)).contains(String.format("S-%05d", i))
                    .contains("Lakeview International Secondary School").contains("STUDENT REPORT CARD");
            String compact = text.replaceAll("\\s+", "");
            for (int c = 0; c < 8; c++) {
                assertThat(compact).as("average, final grade and credits of course %d of student %d", c, i)
                        .contains(TestData.courseCells(i, c));
            }
            if (i == LONG) {
                assertThat(text).contains("Page 1 of 2");
                page++;
                assertThat(pages.get(page)).contains("Page 2 of 2").contains("Principal").doesNotContain(TestData.name(i + 1));
            } else {
                assertThat(text).contains("Page 1 of 1").contains("Dr. Margaret Åhlund-Kapoor");
            }
            page++;
        }
        // Greek, Cyrillic and accented Latin come out as text (not dropped glyphs)
        String all = String.join("\n", pages);
        assertThat(all).contains("Αλέξανδρος").contains("Дмитрий").contains("Łucja").contains("Thảo").contains("Søren").contains("Østergaard");
        // the character the font lacks is reported, with the student
        assertThat(o.warnings()).extracting(RenderWarning::kind, RenderWarning::studentId, RenderWarning::character,
                        RenderWarning::codePoint, RenderWarning::pages)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(RenderWarning.Kind.missing_glyph,
                                String.format("S-%05d", MISSING), "田", "U+7530", null),
                        // and the card that spans two pages
                        org.assertj.core.groups.Tuple.tuple(RenderWarning.Kind.multi_page,
                                String.format("S-%05d", LONG), null, null, 2));
    }

    @Test
    void fontsAreEmbeddedAsSubsets() throws Exception {
        Path out = dir.resolve("report.pdf");
        render("report_card", out, 10);
        PdfReader reader = new PdfReader(Files.readAllBytes(out));
        Set<String> fontNames = new HashSet<>();
        boolean embedded = true;
        for (int i = 1; i < reader.getXrefSize(); i++) {
            if (reader.getPdfObject(i) instanceof PdfDictionary d && PdfName.FONTDESCRIPTOR.equals(d.get(PdfName.TYPE))) {
                fontNames.add(d.getAsName(PdfName.FONTNAME).toString());
                embedded &= d.get(PdfName.FONTFILE2) != null;
            }
        }
        reader.close();
        assertThat(fontNames).isNotEmpty().allMatch(n -> n.matches("/[A-Z]{6}\\+LiberationSans.*"));
        assertThat(embedded).isTrue();
    }

    @Test
    void partsAreMergedInOrderAndNoTempFilesRemain() throws Exception {
        Path out = dir.resolve("report.pdf");
        render("report_card", out, 3);   // 9 parts
        List<String> pages = PdfText.pages(out);
        assertThat(pages.getFirst()).contains(TestData.name(0));
        assertThat(pages.getLast()).contains(TestData.name(N - 1));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    @Test
    void classSummaryHasOneTablePerHomeroomWithGradesAndAverages() throws Exception {
        Path out = dir.resolve("summary.pdf");
        LocalRenderer.Outcome o = render("class_summary", out, 10);
        List<String> pages = PdfText.pages(out);
        String all = String.join("\n", pages);
        assertThat(o.students()).isEqualTo(N);
        for (int i = 0; i < N; i++) {
            assertThat(all).contains(TestData.name(i).replace(" 田", ""));
        }
        // homerooms 9-A .. 12-C present in the data: 12 classes, each starting a page
        Set<String> classes = new HashSet<>();
        for (int i = 0; i < N; i++) {
            classes.add((9 + i % 4) + "-" + "ABC".charAt(i % 3));
        }
        assertThat(pages).hasSize(classes.size());
        for (String c : classes) {
            assertThat(all).contains("Class " + c);
        }
        assertThat(all).contains("Class average").contains("Chemistry").contains("Page 1 of " + classes.size());
    }

    @Test
    void aCanceledRenderLeavesNoFile() throws Exception {
        RequestReader reader = new RequestReader(TEMPLATES.names(), new RequestReader.Limits(1000, 100, 50_000_000, 100_000));
        Path input = dir.resolve("input");
        ParsedRequest req = reader.read(new ByteArrayInputStream(TestData.bytes(TestData.request("report_card", 20))), input);
        Path out = dir.resolve("part.pdf");
        AtomicInteger seen = new AtomicInteger();
        ChunkRenderer r = new ChunkRenderer(fonts, 10);
        assertThatThrownBy(() -> r.render(new ChunkRenderer.Job(TEMPLATES.find("report_card").orElseThrow(), req.school(),
                null, PaperSize.LETTER, "t"), RequestReader.students(input, 0, 1), out, done -> {
                    if (seen.incrementAndGet() == 5) {
                        throw new RenderCancelledException();
                    }
                })).isInstanceOf(RenderCancelledException.class);
        assertThat(seen.get()).isEqualTo(5);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("input");
        }
    }

    @Test
    void fmtMatchesTheLegacyHelpers() {
        assertThat(Fmt.fixed(89.25, 1)).isEqualTo("89.3");
        assertThat(Fmt.fixed(3.5, 2)).isEqualTo("3.50");
        assertThat(Fmt.fixed(3.055, 2)).isEqualTo("3.06");
        assertThat(Fmt.mark(93.0)).isEqualTo("93");
        assertThat(Fmt.mark(92.5)).isEqualTo("92.5");
        List<Course> courses = List.of(new Course("a", "A", "t", 1.0, List.of(), 95.0, "A", null),
                new Course("b", "B", "t", 0.5, List.of(), 50.0, "F", null));
        GradingScale letters = GradingScale.parse("A:93:4.0,A-:90:3.7,B:83:3.0,F:0:0");
        assertThat(Fmt.gpa(courses, letters)).isEqualTo("2.67");
        assertThat(Fmt.creditsEarned(courses, letters)).isEqualTo("1.0");
        assertThat(Fmt.gpa(courses, GradingScale.NONE)).as("no scale, no GPA").isEmpty();
        assertThat(Fmt.creditsEarned(courses, GradingScale.NONE)).isEqualTo("1.5");
        assertThat(Fmt.attendanceRate(new Attendance(82, 10, 1))).isEqualTo("89.1%");
    }
}
