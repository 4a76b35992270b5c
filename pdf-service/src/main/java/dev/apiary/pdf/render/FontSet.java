package dev.apiary.pdf.render;

import org.openpdf.text.pdf.BaseFont;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Objects;

/**
 * The four TrueType faces a document uses, embedded as subsets (Identity-H). By default Liberation Sans from
 * openpdf-fonts-extra; a font directory may supply others. Font bytes are loaded once; each document gets its own
 * {@link BaseFont} instances ({@link #open()}) because subsetting at document close is not safe to share between
 * threads. Also answers which characters the regular face lacks, for warnings.
 */
public final class FontSet {

    /** Face file names, looked up in the font directory (or the Liberation resources when there is none). */
    public record Faces(String regular, String bold, String italic, String boldItalic) {
        public static final Faces LIBERATION_SANS = new Faces("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
                "LiberationSans-Italic.ttf", "LiberationSans-BoldItalic.ttf");
    }

    /** One document's fonts. */
    public record Fonts(BaseFont regular, BaseFont bold, BaseFont italic, BaseFont boldItalic) {
    }

    private final String family;
    private final byte[] regular;
    private final byte[] bold;
    private final byte[] italic;
    private final byte[] boldItalic;
    private final BitSet bmpCovered = new BitSet(0x10000);
    private final BaseFont probe;

    private FontSet(String family, byte[] regular, byte[] bold, byte[] italic, byte[] boldItalic) {
        this.family = family;
        this.regular = regular;
        this.bold = bold;
        this.italic = italic;
        this.boldItalic = boldItalic;
        this.probe = create("regular.ttf", regular);
        BaseFont probeBold = create("bold.ttf", bold);
        for (int cp = 0; cp < 0x10000; cp++) {
            if (probe.charExists(cp) && probeBold.charExists(cp)) {
                bmpCovered.set(cp);
            }
        }
    }

    /** Liberation Sans from the openpdf-fonts-extra jar. */
    public static FontSet liberationSans() {
        Faces f = Faces.LIBERATION_SANS;
        return new FontSet("Liberation Sans", resource(f.regular()), resource(f.bold()), resource(f.italic()),
                resource(f.boldItalic()));
    }

    /** Faces from {@code dir}; a missing face file is an error (fail at startup, not at render time). */
    public static FontSet fromDirectory(Path dir, Faces faces) {
        byte[] r = read(dir.resolve(faces.regular()));
        return new FontSet(familyName(faces.regular()), r, read(dir.resolve(faces.bold())),
                read(dir.resolve(faces.italic())), read(dir.resolve(faces.boldItalic())));
    }

    /** {@code dir} null or blank: Liberation Sans; else the directory. */
    public static FontSet load(String dir, Faces faces) {
        if (dir == null || dir.isBlank()) {
            return liberationSans();
        }
        return fromDirectory(Path.of(dir), faces == null ? Faces.LIBERATION_SANS : faces);
    }

    public String family() {
        return family;
    }

    /** Fresh font instances for one document. */
    public Fonts open() {
        return new Fonts(create("regular.ttf", regular), create("bold.ttf", bold), create("italic.ttf", italic),
                create("bolditalic.ttf", boldItalic));
    }

    /** Whether the regular and bold faces have a glyph for this code point. */
    public boolean covers(int cp) {
        if (cp < 0x10000) {
            return bmpCovered.get(cp);
        }
        return probe.charExists(cp);
    }

    /** Code points of {@code text} the fonts lack (whitespace and controls are ignored). Calls sink for each. */
    public void missing(String text, java.util.function.IntConsumer sink) {
        if (text == null) {
            return;
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x7f || Character.isWhitespace(cp) || Character.isISOControl(cp)) {
                continue;
            }
            if (!covers(cp)) {
                sink.accept(cp);
            }
        }
    }

    private static BaseFont create(String name, byte[] bytes) {
        try {
            return BaseFont.createFont(name, BaseFont.IDENTITY_H, BaseFont.EMBEDDED, false, bytes, null);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load font " + name + ": " + e.getMessage(), e);
        }
    }

    private static byte[] resource(String file) {
        try (InputStream in = FontSet.class.getClassLoader().getResourceAsStream("liberation/" + file)) {
            return Objects.requireNonNull(in, "font resource liberation/" + file + " (openpdf-fonts-extra)").readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read font file " + p, e);
        }
    }

    private static String familyName(String file) {
        String n = file.replaceAll("\\.[tT][tT][fF]$", "");
        int dash = n.indexOf('-');
        return dash > 0 ? n.substring(0, dash) : n;
    }
}
