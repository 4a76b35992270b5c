package dev.apiary.pdf.render;

import dev.apiary.pdf.request.InvalidInputException;
import dev.apiary.pdf.request.LocalRenderer;
import dev.apiary.pdf.request.ParsedRequest;
import dev.apiary.pdf.request.RequestReader;
import dev.apiary.pdf.support.Pdftotext;
import dev.apiary.pdf.support.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openpdf.text.pdf.PdfName;
import org.openpdf.text.pdf.PdfReader;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A locale per request: labels, dates, numbers, direction; grading scale and term names per request or school. */
class LocaleTest {
    static FontSet fonts;

    @TempDir
    Path dir;

    @BeforeAll
    static void fonts() {
        fonts = FontSet.load(System.getProperty("apiary.pdf.font-dir", "/usr/share/fonts"), null, null);
    }

    @Test
    void everyLocaleHasEveryKeyAndNoOther() throws Exception {
        Properties base = bundle("report.properties");
        assertThat(base).isNotEmpty();
        for (String tag : Labels.SUPPORTED.subList(1, Labels.SUPPORTED.size())) {
            Properties p = bundle("report_" + tag + ".properties");
            assertThat(p.keySet()).as("keys of %s", tag).containsExactlyInAnyOrderElementsOf(base.keySet());
            for (Object k : p.keySet()) {
                assertThat(p.getProperty((String) k)).as("%s %s", tag, k).isNotBlank();
                assertThat(countArgs(p.getProperty((String) k))).as("arguments of %s in %s", k, tag)
                        .isEqualTo(countArgs(base.getProperty((String) k)));
            }
            assertThat(Labels.of(tag).termNames()).as("term names of %s", tag).hasSize(4);
        }
    }

    static long countArgs(String s) {
        return s.chars().filter(c -> c == '{').count();
    }

    static Properties bundle(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = LocaleTest.class.getClassLoader().getResourceAsStream("labels/" + name)) {
            assertThat(in).as(name).isNotNull();
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return p;
    }

    Path render(Map<String, Object> request, String name) throws Exception {
        RequestReader reader = new RequestReader(Templates.defaults().names(),
                new RequestReader.Limits(1000, 10, 50_000_000, 100_000));
        Path input = dir.resolve("input-" + name);
        ParsedRequest req = reader.read(new ByteArrayInputStream(TestData.bytes(request)), input);
        Path out = dir.resolve(name + ".pdf");
        new LocalRenderer(new ChunkRenderer(fonts, 100), Templates.defaults()).render(req, input, out, 1);
        return out;
    }

    static String nfkc(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).replaceAll("[\\u200e\\u200f\\u202a-\\u202e]", "");
    }

    @Test
    void frenchLabelsDatesAndDecimalCommas() throws Exception {
        Map<String, Object> r = TestData.request("report_card", 2);
        r.put("locale", "fr");
        Path pdf = render(r, "fr");
        String page = Pdftotext.pages(pdf).getFirst();
        assertThat(page).contains("BULLETIN SCOLAIRE").contains("Élève").contains("Date de naissance")
                .contains("13 juin 2025").contains("Page 1 sur 1").contains("Assiduité et synthèse");
        double avg = TestData.student(0).get("courses") instanceof List<?> l
                ? ((Number) ((Map<?, ?>) l.getFirst()).get("average")).doubleValue() : 0;
        assertThat(page).contains(Fmt.fixed(avg, 1).replace('.', ','));
        assertThat(lang(pdf)).isEqualTo("fr");
    }

    @Test
    void arabicCardsAreRightToLeftWithArabicLabels() throws Exception {
        Map<String, Object> r = TestData.request("report_card", 2);
        r.put("locale", "ar");
        @SuppressWarnings("unchecked")
        Map<String, Object> s = ((List<Map<String, Object>>) r.get("students")).getFirst();
        s.put("name", "فاطمة الزهراء");
        Path pdf = render(r, "ar");
        Files.copy(pdf, Path.of("target", "locale-ar.pdf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String page = nfkc(Pdftotext.pages(pdf).getFirst());
        for (String label : List.of("بطاقة تقرير الطالب", "فاطمة الزهراء", "تاريخ الميلاد", "ملاحظات المرشد")) {
            assertThat(page).contains(nfkc(label));
        }
        assertThat(lang(pdf)).isEqualTo("ar");
        // mirrored, but every word stays on the page inside the margins (pdftotext -bbox: word boxes in points)
        String boxes = new String(new ProcessBuilder("pdftotext", "-bbox", "-f", "1", "-l", "1", pdf.toString(), "-")
                .start().getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<word xMin=\"([0-9.]+)\" yMin=\"[0-9.]+\" "
                + "xMax=\"([0-9.]+)\"").matcher(boxes);
        int words = 0;
        while (m.find()) {
            words++;
            assertThat(Double.parseDouble(m.group(1))).as("left edge of a word").isGreaterThanOrEqualTo(30);
            assertThat(Double.parseDouble(m.group(2))).as("right edge of a word").isLessThanOrEqualTo(595 - 30);
        }
        assertThat(words).isGreaterThan(100);
        // right to left: the school name starts at the right margin, the title at the left one
        String layout = new String(new ProcessBuilder("pdftotext", "-layout", "-f", "1", "-l", "1", pdf.toString(), "-")
                .start().getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String firstLine = layout.lines().filter(l -> !l.isBlank()).findFirst().orElseThrow();
        assertThat(firstLine.indexOf("Lakeview")).as(firstLine).isGreaterThan(nfkc(firstLine).indexOf(
                Normalizer.normalize("بطاقة", Normalizer.Form.NFKC)) < 0 ? 0 : 10);
    }

    @Test
    void gradingScaleAndTermNamesPerRequest() throws Exception {
        Map<String, Object> r = TestData.request("report_card", 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> school = (Map<String, Object>) r.get("school");
        school.put("grading_scale", List.of(Map.of("grade", "A", "min", 85, "points", 5),
                Map.of("grade", "B", "min", 70, "points", 4), Map.of("grade", "F", "min", 0, "points", 0)));
        school.put("term_names", List.of("Q1", "Q2", "Q3", "Q4"));
        Path pdf = render(r, "scale");
        String page = Pdftotext.pages(pdf).getFirst();
        assertThat(page).contains("Grading scale: A ≥ 85 · B ≥ 70 · F ≥ 0").contains("Q1").contains("Q4")
                .contains("Q1–Q4: term marks");
        Map<String, Object> none = TestData.request("report_card", 1);
        String plain = Pdftotext.pages(render(none, "none")).getFirst();
        assertThat(plain).as("no scale configured: none printed, no US scale built in")
                .doesNotContain("Grading scale").contains("T1–T4: term marks");
    }

    @Test
    void unknownLocalesAndBadScalesAreRefusedNamingTheField() {
        Map<String, Object> r = TestData.request("report_card", 1);
        r.put("locale", "xx");
        assertThatThrownBy(() -> render(r, "bad")).isInstanceOf(InvalidInputException.class)
                .hasFieldOrPropertyWithValue("field", "locale");
        Map<String, Object> scale = TestData.request("report_card", 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> school = (Map<String, Object>) scale.get("school");
        school.put("grading_scale", List.of(Map.of("grade", "A")));
        assertThatThrownBy(() -> render(scale, "bad2")).isInstanceOf(InvalidInputException.class)
                .hasFieldOrPropertyWithValue("field", "school.grading_scale[0].min");
        Map<String, Object> terms = TestData.request("report_card", 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> s2 = (Map<String, Object>) terms.get("school");
        s2.put("term_names", List.of("1", "2", "3", "4", "5"));
        assertThatThrownBy(() -> render(terms, "bad3")).isInstanceOf(InvalidInputException.class)
                .hasFieldOrPropertyWithValue("field", "school.term_names");
    }

    static String lang(Path pdf) throws Exception {
        PdfReader reader = new PdfReader(Files.readAllBytes(pdf));
        try {
            return reader.getCatalog().getAsString(PdfName.LANG).toUnicodeString();
        } finally {
            reader.close();
        }
    }
}
