package dev.apiary.pdf.render;

import dev.apiary.pdf.request.LocalRenderer;
import dev.apiary.pdf.request.ParsedRequest;
import dev.apiary.pdf.request.RequestReader;
import dev.apiary.pdf.support.Pdftotext;
import dev.apiary.pdf.support.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openpdf.text.Document;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A report card per script, rendered with the Noto fallback chain (Debian fonts-noto-core, fonts-noto-cjk) and read
 * back with poppler's pdftotext: right-to-left names in logical order, CJK exactly, Indic names with all their
 * letters, and no missing-glyph warnings. The rendered file is kept as {@code target/scripts.pdf} (the README's
 * images are made from it: {@code pdftoppm -png -r 60 target/scripts.pdf}).
 */
class ScriptsTest {
    /** script, student name, a comment in that script (with a number: bidi with Latin digits). */
    static final List<List<String>> SCRIPTS = List.of(
            List.of("Latin", "Thảo Nguyễn-Østergaard", "Excellent progress: 95 points in the final test."),
            List.of("Greek", "Αλέξανδρος Παπαδόπουλος", "Εξαιρετική πρόοδος: 95 μονάδες στο τελικό διαγώνισμα."),
            List.of("Cyrillic", "Анастасия Кузнецова", "Отличный прогресс: 95 баллов на итоговом тесте."),
            List.of("Hebrew", "שרה לוי", "התקדמות מצוינת: 95 נקודות במבחן הסופי."),
            List.of("Arabic", "فاطمة الزهراء", "تقدم ممتاز: 95 نقطة في الاختبار النهائي."),
            List.of("Devanagari", "अनन्या क्षत्रिय", "उत्कृष्ट प्रगति: अंतिम परीक्षा में 95 अंक।"),
            List.of("Bengali", "সুমাইয়া রহমান", "চমৎকার অগ্রগতি: চূড়ান্ত পরীক্ষায় 95 নম্বর।"),
            List.of("Tamil", "கார்த்திக் சுப்பிரமணியம்", "சிறந்த முன்னேற்றம்: இறுதித் தேர்வில் 95 மதிப்பெண்கள்."),
            List.of("Thai", "สมชาย ใจดี", "ความก้าวหน้าดีเยี่ยม: ได้ 95 คะแนนในการสอบปลายภาค"),
            List.of("Chinese", "王小明", "进步显著：期末考试获得95分。"),
            List.of("Japanese", "山田はなこ", "とても良く頑張りました。期末試験は95点でした。"),
            List.of("Korean", "김민준", "훌륭한 발전: 기말 시험에서 95점을 받았습니다."));

    static final List<String> RTL = List.of("Hebrew", "Arabic");

    static FontSet fonts;

    @TempDir
    Path dir;

    @BeforeAll
    static void fonts() {
        fonts = FontSet.load(System.getProperty("apiary.pdf.font-dir", "/usr/share/fonts"), null, null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> request() {
        Map<String, Object> r = TestData.request("report_card", SCRIPTS.size());
        List<Map<String, Object>> students = (List<Map<String, Object>>) r.get("students");
        for (int i = 0; i < SCRIPTS.size(); i++) {
            Map<String, Object> s = students.get(i);
            s.put("name", SCRIPTS.get(i).get(1));
            s.put("advisor_comment", SCRIPTS.get(i).get(2));
            ((List<Map<String, Object>>) s.get("courses")).getFirst().put("comment", SCRIPTS.get(i).get(2));
            ((List<Map<String, Object>>) s.get("courses")).get(1).put("title", SCRIPTS.get(i).get(1));
        }
        return r;
    }

    @Test
    void everyScriptReadsBackInLogicalOrderWithAllLetters() throws Exception {
        RequestReader reader = new RequestReader(Templates.defaults().names(),
                new RequestReader.Limits(1000, 5, 50_000_000, 100_000));
        Path input = dir.resolve("input");
        ParsedRequest req = reader.read(new ByteArrayInputStream(TestData.bytes(request())), input);
        Path out = Path.of("target", "scripts.pdf");
        Files.createDirectories(out.getParent());
        LocalRenderer.Outcome o = new LocalRenderer(new ChunkRenderer(fonts, 100), Templates.defaults())
                .render(req, input, out, 2);

        assertThat(o.warnings()).as("no script lacks a font").isEmpty();
        List<String> pages = Pdftotext.pages(out);
        assertThat(pages).hasSize(SCRIPTS.size());
        for (int i = 0; i < SCRIPTS.size(); i++) {
            String page = normal(pages.get(i));
            String script = SCRIPTS.get(i).get(0);
            assertThat(page).as("%s name on its card", script).contains(normal(SCRIPTS.get(i).get(1)));
            String comment = normal(SCRIPTS.get(i).get(2));
            if (RTL.contains(script)) {
                // in a left-to-right card poppler keeps a line's runs in visual order (its reorderText uses the
                // page's direction) but reads each right-to-left run in logical order: check the runs
                for (String run : comment.split("[ .:0-9]*[0-9][ .:0-9]*|[.:]")) {
                    assertThat(page).as("%s comment run", script).contains(run.strip());
                }
            } else {
                assertThat(page.replaceAll("\\s+", "")).as("%s comment", script)
                        .contains(comment.replaceAll("\\s+", ""));
            }
        }
    }

    @Test
    void everyFaceIsSharedBetweenDocumentsTheCjkCollectionToo() {
        FontSet.Fonts a = fonts.open();
        FontSet.Fonts b = fonts.open();
        assertThat(b.regular()).isSameAs(a.regular());
        assertThat(b.boldItalic()).isSameAs(a.boldItalic());
        assertThat(List.of(a.regular(), a.bold(), a.italic(), a.boldItalic())).doesNotHaveDuplicates();
        int arabic = fonts.pick('ف');
        assertThat(b.face(arabic, b.regular())).isSameAs(a.face(arabic, a.regular()));
        assertThat(fonts.chain().get(fonts.pick('≥'))).as("the grading scale's sign never opens the CJK collection")
                .isEqualTo("NotoSansMath-Regular.ttf");
        int cjk = fonts.pick('王');
        assertThat(fonts.chain().get(cjk)).endsWith(".ttc");
        // 6.3 MB per parsed instance: one per part did not fit two parallel parts in the deploy heap (64 MB)
        assertThat(b.face(cjk, b.regular())).as("CFF outlines: one instance for all documents")
                .isSameAs(a.face(cjk, a.regular()));
        assertThat(b.face(cjk, b.bold())).as("no bold CJK file: 8 MB more and a second CFF table copy per close")
                .isSameAs(a.face(cjk, a.regular()));
    }

    /**
     * Each close of a document that printed CJK copies the collection's whole CFF table (15 MB) into the heap to cut
     * the subset: two such closes at once did not fit the deploy heap, so they take turns; other documents do not
     * wait. A probe document records how many of two threads are inside its close at once (the first one waits up
     * to 2 s for the second).
     */
    @Test
    void documentsThatPrintedCjkCloseOneAtATime() throws Exception {
        int cjk = fonts.pick('王');
        assertThat(concurrentCloses(f -> f.face(cjk, f.regular()))).as("CJK documents").isEqualTo(1);
        assertThat(concurrentCloses(f -> f.face(fonts.pick('ف'), f.regular()))).as("Arabic documents").isEqualTo(2);
    }

    /** Most threads seen at once in the close of two documents that used {@code use}. */
    private static int concurrentCloses(Consumer<FontSet.Fonts> use) throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch both = new CountDownLatch(2);
        class Probe extends Document {
            @Override
            public void close() {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                both.countDown();
                try {
                    both.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inside.decrementAndGet();
            }
        }
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            FontSet.Fonts f = fonts.open();
            use.accept(f);
            threads.add(Thread.ofPlatform().start(() -> f.close(new Probe())));
        }
        for (Thread t : threads) {
            t.join();
        }
        return most.get();
    }

    /**
     * One part per student, four parts rendering at once on the shared font instances, three times: every part
     * embeds and maps back exactly its own text (the same pages as the one-part render), and no face was parsed
     * more than once per file (regular, bold), the CJK collection included.
     */
    @Test
    void partsRenderedInParallelOnSharedFontsReadBackLikeOnePart() throws Exception {
        RequestReader reader = new RequestReader(Templates.defaults().names(),
                new RequestReader.Limits(1000, 5, 50_000_000, 100_000));
        Path input = dir.resolve("input");
        ParsedRequest req = reader.read(new ByteArrayInputStream(TestData.bytes(request())), input);
        Path single = dir.resolve("single.pdf");
        new LocalRenderer(new ChunkRenderer(fonts, 100), Templates.defaults()).render(req, input, single, 1);
        List<String> expected = Pdftotext.pages(single);
        assertThat(expected).hasSize(SCRIPTS.size());
        for (int round = 0; round < 3; round++) {
            Path out = dir.resolve("parallel-" + round + ".pdf");
            LocalRenderer.Outcome o = new LocalRenderer(new ChunkRenderer(fonts, 1), Templates.defaults())
                    .render(req, input, out, 4);
            assertThat(o.warnings()).isEmpty();
            assertThat(Pdftotext.pages(out)).as("round %d", round).isEqualTo(expected);
        }
        for (int face = 0; face < fonts.chain().size(); face++) {
            assertThat(fonts.created(face)).as("instances of %s", fonts.chain().get(face)).isLessThanOrEqualTo(2);
        }
        assertThat(fonts.created(fonts.pick('王'))).as("the CJK collection parsed once").isEqualTo(1);
    }

    @Test
    void emojiAndCharactersNoFontHasAreWarnedWithStudentAndCharacter() throws Exception {
        Map<String, Object> r = TestData.request("report_card", 3);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> students = (List<Map<String, Object>>) r.get("students");
        students.get(1).put("name", "Zoë 😀 Smith");
        students.get(2).put("advisor_comment", "Hieroglyph \uD80C\uDC00 and Hangul 김 (printed).");
        RequestReader reader = new RequestReader(Templates.defaults().names(),
                new RequestReader.Limits(1000, 5, 50_000_000, 100_000));
        Path input = dir.resolve("input");
        ParsedRequest req = reader.read(new ByteArrayInputStream(TestData.bytes(r)), input);
        LocalRenderer.Outcome o = new LocalRenderer(new ChunkRenderer(fonts, 100), Templates.defaults())
                .render(req, input, dir.resolve("warned.pdf"), 1);
        assertThat(o.warnings()).extracting(RenderWarning::kind, RenderWarning::studentId, RenderWarning::character,
                        RenderWarning::codePoint)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(RenderWarning.Kind.missing_glyph, "S-00001", "😀", "U+1F600"),
                        org.assertj.core.groups.Tuple.tuple(RenderWarning.Kind.missing_glyph, "S-00002",
                                "\uD80C\uDC00", "U+13000"));
    }

    /** NFKC: Arabic glyphs map back to presentation forms, which are the same letters in compatibility form. */
    static String normal(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).replaceAll("[\\u200e\\u200f\\u202a-\\u202e]", "");
    }
}
