package dev.apiary.pdf.render;

import dev.apiary.pdf.request.InvalidInputException;
import dev.apiary.pdf.request.LocalRenderer;
import dev.apiary.pdf.request.ParsedRequest;
import dev.apiary.pdf.request.RequestReader;
import dev.apiary.pdf.support.PdfText;
import dev.apiary.pdf.support.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** No per-student cap: 30 courses and a 5,000-character comment flow onto continuation pages. */
class LongCardsTest {
    static final int N = 4;
    static final int LONG = 1;

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    static Map<String, Object> request(String template) {
        Map<String, Object> r = TestData.request(template, N);
        Map<String, Object> s = ((List<Map<String, Object>>) r.get("students")).get(LONG);
        List<Map<String, Object>> courses = new ArrayList<>((List<Map<String, Object>>) s.get("courses"));
        for (int c = courses.size(); c < 30; c++) {
            Map<String, Object> course = new LinkedHashMap<>(courses.getFirst());
            course.put("code", "X" + c);
            course.put("title", "Elective " + c);
            courses.add(course);
        }
        s.put("courses", courses);
        s.put("advisor_comment", "Steady work all year long. ".repeat(200).substring(0, 5000));
        return r;
    }

    LocalRenderer.Outcome render(Map<String, Object> request, Path out) throws Exception {
        RequestReader reader = new RequestReader(Templates.defaults().names(),
                new RequestReader.Limits(1000, 2, 50_000_000, 100_000));
        Path input = dir.resolve("input");
        ParsedRequest req = reader.read(new ByteArrayInputStream(TestData.bytes(request)), input);
        return new LocalRenderer(new ChunkRenderer(FontSet.liberationSans(), 100), Templates.defaults())
                .render(req, input, out, 2);
    }

    @Test
    void aLongCardContinuesWithTheStudentsHeaderAndItsOwnPageCount() throws Exception {
        Path out = dir.resolve("cards.pdf");
        LocalRenderer.Outcome o = render(request("report_card"), out);
        Files.copy(out, Path.of("target", "long-card.pdf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> pages = PdfText.pages(out);
        int longPages = pages.size() - (N - 1);
        assertThat(longPages).as("the long card's pages").isGreaterThanOrEqualTo(3);
        String name = TestData.name(LONG);
        for (int p = 1; p <= longPages; p++) {
            String text = pages.get(LONG + p - 1);
            assertThat(text).as("page %d of the long card", p).contains(name)
                    .contains("Page " + p + " of " + longPages);
            if (p > 1) {
                assertThat(text).contains(name + " · S-00001 (continued)");
            }
        }
        String all = String.join("\n", pages);
        for (int c = 8; c < 30; c++) {
            assertThat(all).contains("Elective " + c);
        }
        assertThat(all.replaceAll("\\s+", "")).contains("Steady work all year long. ".repeat(20).replaceAll("\\s+", ""));
        assertThat(pages.get(0)).contains("Page 1 of 1").doesNotContain("(continued)");
        assertThat(o.warnings()).extracting(RenderWarning::kind, RenderWarning::studentId, RenderWarning::pages)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(RenderWarning.Kind.multi_page, "S-00001", longPages));
    }

    @Test
    void aWideClassSummaryContinuesAcrossPages() throws Exception {
        Path out = dir.resolve("summary.pdf");
        render(request("class_summary"), out);
        String all = String.join("\n", PdfText.pages(out));
        for (int c = 8; c < 30; c++) {
            assertThat(all).contains("Elective " + c);
        }
        assertThat(all).contains("courses 1–14 of 30").contains("courses 15–28 of 30").contains("courses 29–30 of 30");
    }

    @Test
    void commentsUpTo20000CharactersAreTakenLongerAreRefusedNamingTheField() throws Exception {
        Map<String, Object> ok = request("report_card");
        Files.createDirectories(dir);
        assertThat(render(ok, dir.resolve("ok.pdf")).students()).isEqualTo(N);
        Map<String, Object> tooLong = request("report_card");
        @SuppressWarnings("unchecked")
        Map<String, Object> s = ((List<Map<String, Object>>) tooLong.get("students")).get(2);
        s.put("advisor_comment", "x".repeat(20_001));
        assertThatThrownBy(() -> render(tooLong, dir.resolve("refused.pdf")))
                .isInstanceOf(InvalidInputException.class)
                .hasFieldOrPropertyWithValue("field", "students[2].advisor_comment")
                .hasMessageContaining("at most 20000 characters");
    }
}
