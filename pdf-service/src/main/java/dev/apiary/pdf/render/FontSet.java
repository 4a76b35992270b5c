package dev.apiary.pdf.render;

import org.openpdf.text.Document;
import org.openpdf.text.pdf.BaseFont;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * The fonts of the reports: a primary family of four faces (Noto Sans: Latin incl. Vietnamese, Greek, Cyrillic) and
 * a fallback chain of faces for the other scripts (Hebrew, Arabic, Devanagari, Bengali, Tamil, Thai, CJK ...). The
 * chain picks a face per run of characters: the first face that has the character ({@link #pick}).
 *
 * <p>Fonts are found by file name under a font directory (Debian's {@code fonts-noto-core} and {@code fonts-noto-cjk}
 * install them under {@code /usr/share/fonts}); they are not in the jar. Faces are opened by path and lazily: a
 * fallback face is read only when a character of its script first appears, so Latin-only jobs and the start never
 * touch the large CJK collection. Every face is parsed once and shared by all documents ({@link FontFace#open});
 * everything is embedded as a subset per document (Identity-H). Documents that used a face with CFF outlines (the
 * CJK collection) close one at a time ({@link Fonts#close}), and such a face has no bold file (bold CJK text prints
 * in the regular weight): both for the heap ({@link #fromDirectory}).
 */
public final class FontSet {

    /** Face file names of the primary family, looked up in the font directory. */
    public record Faces(String regular, String bold, String italic, String boldItalic) {
        public static final Faces LIBERATION_SANS = new Faces("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
                "LiberationSans-Italic.ttf", "LiberationSans-BoldItalic.ttf");
        public static final Faces NOTO_SANS = new Faces("NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
                "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf");
    }

    /** The default fallback chain (Debian fonts-noto-core and fonts-noto-cjk), in the order faces are tried. */
    public static final List<String> NOTO_FALLBACK = List.of(
            "NotoSansHebrew-Regular.ttf", "NotoSansArabic-Regular.ttf", "NotoSansDevanagari-Regular.ttf",
            "NotoSansBengali-Regular.ttf", "NotoSansTamil-Regular.ttf", "NotoSansThai-Regular.ttf",
            // before CJK: the grading scale's "≥" (not in Noto Sans) would otherwise open the 6 MB CJK font per part
            "NotoSansMath-Regular.ttf", "NotoSansCJK-Regular.ttc", "NotoSansSymbols-Regular.ttf", "NotoSansSymbols2-Regular.ttf");

    /** One document's fonts: the primary faces now, fallback faces when first asked for (the weights of one face
     * are told apart by instance, so the four primary faces must be four files). */
    public final class Fonts {
        private final BaseFont regular;
        private final BaseFont bold;
        private final BaseFont italic;
        private final BaseFont boldItalic;
        private final BaseFont[][] fallback = new BaseFont[faces.size()][2];
        private boolean cff;

        Fonts() {
            this.regular = primary.get(0).open(false);
            this.bold = primary.get(1).open(false);
            this.italic = primary.get(2).open(false);
            this.boldItalic = primary.get(3).open(false);
            this.cff = primary.stream().anyMatch(FontFace::cff);
        }

        public BaseFont regular() {
            return regular;
        }

        public BaseFont bold() {
            return bold;
        }

        public BaseFont italic() {
            return italic;
        }

        public BaseFont boldItalic() {
            return boldItalic;
        }

        /** The font of chain face {@code face} (0 = primary) in the weight of {@code like}. */
        public BaseFont face(int face, BaseFont like) {
            if (face <= 0) {
                return like;
            }
            int w = like == bold || like == boldItalic ? 1 : 0;
            BaseFont f = fallback[face][w];
            if (f == null) {
                FontFace ff = faces.get(face);
                f = ff.open(w == 1);
                fallback[face][w] = f;
                cff |= ff.cff();
            }
            return f;
        }

        /**
         * Closes {@code doc}, a document of these fonts: that is when OpenPDF subsets and writes the fonts. A font
         * with CFF outlines is subset from a heap copy of its whole CFF table (15 MB for the CJK collection, twice
         * with its bold file, plus the subsetter's garbage); two parts doing that at once did not fit the deploy heap
         * (64 MB), so such documents close one at a time. Others close at once.
         */
        public void close(Document doc) {
            if (!cff) {
                doc.close();
                return;
            }
            synchronized (cffWrites) {
                doc.close();
            }
        }

        /** The AWT font (for shaping) behind {@code font}, a font of this document. */
        java.awt.Font awt(int face, BaseFont font) {
            if (face <= 0) {
                int i = font == bold ? 1 : font == italic ? 2 : font == boldItalic ? 3 : 0;
                return primary.get(i).awt(false);
            }
            return faces.get(face).awt(font == fallback[face][1]);
        }
    }

    private final String family;
    /** The primary family: regular, bold, italic, bold italic. */
    private final List<FontFace> primary;
    /** The chain: index 0 is the primary family (regular + bold coverage), then the fallback faces. */
    private final List<FontFace> faces;
    /** Held while a document that uses a CFF face closes ({@link Fonts#close}). */
    private final Object cffWrites = new Object();

    private FontSet(String family, List<FontFace> primary, List<FontFace> fallback) {
        this.family = family;
        this.primary = List.copyOf(primary);
        List<FontFace> chain = new ArrayList<>();
        chain.add(primary.getFirst());
        chain.addAll(fallback);
        this.faces = List.copyOf(chain);
        primary.get(0).coverage();
    }

    /** Liberation Sans from the openpdf-fonts-extra jar, no fallback (tests and tools without font packages). */
    public static FontSet liberationSans() {
        Faces f = Faces.LIBERATION_SANS;
        List<FontFace> p = Stream.of(f.regular(), f.bold(), f.italic(), f.boldItalic())
                .map(n -> FontFace.ofBytes(n, resource(n))).toList();
        return new FontSet("Liberation Sans", p, List.of());
    }

    /**
     * The primary {@code faces} and the {@code fallback} chain found by file name under {@code dir} (searched a few
     * levels deep, as Debian's truetype/noto and opentype/noto). A missing primary face is an error (fail at start,
     * not at render time); a missing fallback face is left out (its characters are then warned about). A fallback
     * face's {@code -Bold} sibling is its bold face, except for faces with CFF outlines (see the class comment).
     */
    public static FontSet fromDirectory(Path dir, Faces faces, List<String> fallback) {
        Map<String, Path> files = index(dir);
        List<FontFace> p = Stream.of(faces.regular(), faces.bold(), faces.italic(), faces.boldItalic())
                .map(n -> FontFace.ofPath(require(files, n, dir), 0, null)).toList();
        List<FontFace> chain = new ArrayList<>();
        for (String name : fallback) {
            Path regular = files.get(name);
            if (regular != null) {
                FontFace face = FontFace.ofPath(regular, collectionIndex(name), null);
                // a face with CFF outlines (the CJK collection) prints bold text in its regular weight: OpenPDF
                // holds ~7-8 MB per parsed CJK file and copies its whole CFF table (15 MB) into the heap at every
                // document close; the bold file on top did not fit the deploy heap (64 MB)
                chain.add(face.cff() ? face
                        : FontFace.ofPath(regular, collectionIndex(name), files.get(name.replace("-Regular.", "-Bold."))));
            }
        }
        return new FontSet(familyName(faces.regular()), p, chain);
    }

    /** {@code dir} null or blank: Liberation Sans only; else the directory. */
    public static FontSet load(String dir, Faces faces, List<String> fallback) {
        if (dir == null || dir.isBlank()) {
            return liberationSans();
        }
        return fromDirectory(Path.of(dir), faces == null ? Faces.NOTO_SANS : faces,
                fallback == null ? NOTO_FALLBACK : fallback);
    }

    public String family() {
        return family;
    }

    /** The file names of the chain, primary first (for logs and docs). */
    public List<String> chain() {
        return faces.stream().map(FontFace::name).toList();
    }

    /** The font instances of one document (shared by all documents; see {@link FontFace#open}). */
    public Fonts open() {
        return new Fonts();
    }

    /** How many font instances chain face {@code face} (0 = primary regular) has parsed: at most one per file. */
    int created(int face) {
        return faces.get(face).created();
    }

    /** The first face of the chain that has {@code cp} (0 = primary), or -1 when none has it. */
    public int pick(int cp) {
        for (int i = 0; i < faces.size(); i++) {
            if (faces.get(i).covers(cp)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether chain face {@code face} has {@code cp}. */
    public boolean faceCovers(int face, int cp) {
        return faces.get(face).covers(cp);
    }

    /** Whether the primary face has {@code cp}. */
    public boolean primaryCovers(int cp) {
        return faces.getFirst().covers(cp);
    }

    /** Whether some face of the chain has a glyph for this code point. */
    public boolean covers(int cp) {
        return pick(cp) >= 0;
    }

    /**
     * Code points of {@code text} no face of the chain has (whitespace, controls and joiners are ignored), and
     * emoji (no face is configured for them). Calls sink for each.
     */
    public void missing(String text, IntConsumer sink) {
        if (text == null) {
            return;
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x7f || Character.isWhitespace(cp) || Character.isISOControl(cp) || ignorable(cp)) {
                continue;
            }
            if (Character.isEmojiPresentation(cp) || !covers(cp)) {
                sink.accept(cp);
            }
        }
    }

    /** Format characters that print nothing (ZWJ, ZWNJ, bidi marks, variation selectors). */
    static boolean ignorable(int cp) {
        int type = Character.getType(cp);
        return type == Character.FORMAT || cp >= 0xFE00 && cp <= 0xFE0F;
    }

    private static Map<String, Path> index(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("font directory " + dir + " does not exist (apiary.pdf.font-dir)");
        }
        try (Stream<Path> s = Files.find(dir, 4, (p, a) -> a.isRegularFile())) {
            Map<String, Path> files = new java.util.HashMap<>();
            s.forEach(p -> files.putIfAbsent(p.getFileName().toString(), p));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list font directory " + dir, e);
        }
    }

    private static Path require(Map<String, Path> files, String name, Path dir) {
        Path p = files.get(name);
        if (p == null) {
            throw new IllegalStateException("font " + name + " not found under " + dir
                    + " (apiary.pdf.font-dir; Debian package fonts-noto-core)");
        }
        return p;
    }

    /** NotoSansCJK-*.ttc holds JP, KR, SC, TC, HK; SC (2) prints Chinese, Japanese and Korean names. */
    private static int collectionIndex(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".ttc") ? 2 : 0;
    }

    private static byte[] resource(String file) {
        try (InputStream in = FontSet.class.getClassLoader().getResourceAsStream("liberation/" + file)) {
            return Objects.requireNonNull(in, "font resource liberation/" + file + " (openpdf-fonts-extra)").readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String familyName(String file) {
        String n = file.replaceAll("\\.[tT][tTcC][fFcC]$", "");
        int dash = n.indexOf('-');
        return dash > 0 ? n.substring(0, dash) : n;
    }
}
