package dev.apiary.pdf.render;

import org.openpdf.text.Element;
import org.openpdf.text.pdf.BaseFont;
import org.openpdf.text.pdf.PdfContentByte;

import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.text.BreakIterator;
import java.text.Bidi;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays out one line of any script for one document: splits it into runs by Unicode bidi level
 * ({@link java.text.Bidi}) and by the font of the chain that has the characters, orders the runs visually, shapes
 * the runs that need it ({@link Shaper}: right-to-left, Indic, Thai, combining marks) and draws them. Text the
 * primary font prints as is (Latin, Greek, Cyrillic without marks) takes a fast path with no shaping.
 */
public final class TextPainter {
    private static final FontRenderContext FRC = new FontRenderContext(new AffineTransform(), false, true);

    private final FontSet set;
    private final FontSet.Fonts fonts;
    private final boolean rtl;
    private final Locale locale;
    private final Shaper shaper = new Shaper();

    /** {@code rtl}: the paragraph direction of the document (Arabic, Hebrew locales). */
    TextPainter(FontSet set, FontSet.Fonts fonts, Locale locale, boolean rtl) {
        this.set = set;
        this.fonts = fonts;
        this.locale = locale;
        this.rtl = rtl;
    }

    /** Whether the document's paragraphs run right to left. */
    public boolean rtl() {
        return rtl;
    }

    /** A run of one font and one direction, in visual position. */
    private record Run(String text, BaseFont font, int face, boolean rtl, GlyphVector glyphs, float width) {
    }

    /** A laid-out line: runs left to right. */
    private record Line(List<Run> runs, float width) {
    }

    /** Whether {@code text} is printed by the primary font as is, left to right (the fast path). */
    public boolean simple(String text) {
        if (rtl) {
            return false;
        }
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x0300) {
                continue;
            }
            if (c < 0x0370 || c >= 0x0590 && c < 0x1E00 || Character.isSurrogate(c) || !set.primaryCovers(c)) {
                return false;
            }
        }
        return true;
    }

    public float width(String text, BaseFont font, float size) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        if (simple(text)) {
            return font.getWidthPoint(text, size);
        }
        return layout(text, font, size).width();
    }

    /**
     * Draws {@code text} aligned at {@code x} (left, center or right as {@link Element}), baseline {@code y}; call
     * between beginText and endText.
     */
    public void show(PdfContentByte cb, int align, String text, float x, float y, BaseFont font, float size) {
        if (text == null || text.isEmpty()) {
            return;
        }
        if (simple(text)) {
            cb.setFontAndSize(font, size);
            cb.showTextAligned(align, text, x, y, 0);
            return;
        }
        Line line = layout(text, font, size);
        float left = switch (align) {
            case Element.ALIGN_CENTER -> x - line.width() / 2;
            case Element.ALIGN_RIGHT -> x - line.width();
            default -> x;
        };
        for (Run r : line.runs()) {
            cb.setFontAndSize(r.font(), size);
            cb.setTextMatrix(left, y);
            if (r.glyphs() != null) {
                shaper.show(cb, r.font(), size, r.text(), r.glyphs(), r.rtl());
            } else {
                cb.showText(r.text());
            }
            left += r.width();
        }
    }

    /** Breaks {@code text} into lines of at most {@code max} points (line-break rules of the locale: CJK, Thai). */
    public List<String> wrap(String text, BaseFont font, float size, float max) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\\R", -1)) {
            wrapParagraph(paragraph, font, size, max, lines);
        }
        return lines;
    }

    private void wrapParagraph(String text, BaseFont font, float size, float max, List<String> out) {
        BreakIterator breaks = BreakIterator.getLineInstance(locale);
        breaks.setText(text);
        int start = 0;
        int lastFit = -1;
        for (int end = breaks.next(); end != BreakIterator.DONE; end = breaks.next()) {
            if (width(text.substring(start, end).stripTrailing(), font, size) <= max) {
                lastFit = end;
                continue;
            }
            if (lastFit > start) {
                out.add(text.substring(start, lastFit).stripTrailing());
                start = lastFit;
                if (width(text.substring(start, end).stripTrailing(), font, size) <= max) {
                    lastFit = end;
                    continue;
                }
            }
            start = hardBreak(text, start, end, font, size, max, out);
            lastFit = end;
        }
        if (start < text.length() || out.isEmpty()) {
            out.add(text.substring(start).stripTrailing());
        }
    }

    /** A word longer than the line: cut between characters (grapheme clusters); answers where the rest starts. */
    private int hardBreak(String text, int start, int end, BaseFont font, float size, float max, List<String> out) {
        BreakIterator chars = BreakIterator.getCharacterInstance(locale);
        chars.setText(text);
        int lineStart = start;
        int last = start;
        for (int b = chars.following(start); b != BreakIterator.DONE && b <= end; b = chars.next()) {
            if (width(text.substring(lineStart, b), font, size) > max && last > lineStart) {
                out.add(text.substring(lineStart, last));
                lineStart = last;
            }
            last = b;
        }
        return lineStart;
    }

    private Line layout(String text, BaseFont like, float size) {
        char[] chars = text.toCharArray();
        byte[] levels = new byte[chars.length];
        if (rtl || Bidi.requiresBidi(chars, 0, chars.length)) {
            // a line's direction is its first strong character's; without one, the document's
            Bidi bidi = new Bidi(text, rtl ? Bidi.DIRECTION_DEFAULT_RIGHT_TO_LEFT : Bidi.DIRECTION_DEFAULT_LEFT_TO_RIGHT);
            for (int i = 0; i < chars.length; i++) {
                levels[i] = (byte) bidi.getLevelAt(i);
            }
        }
        List<Run> runs = new ArrayList<>();
        List<Byte> runLevels = new ArrayList<>();
        int start = 0;
        int face = -2;
        for (int i = 0; i < chars.length; ) {
            int cp = Character.codePointAt(chars, i);
            int f = faceOf(cp, face);
            if (face != -2 && (f != face || levels[i] != levels[start])) {
                runs.add(run(text.substring(start, i), face, levels[start], like, size));
                runLevels.add(levels[start]);
                start = i;
            }
            face = f;
            i += Character.charCount(cp);
        }
        if (start < chars.length) {
            runs.add(run(text.substring(start), face, levels[start], like, size));
            runLevels.add(levels[start]);
        }
        Run[] visual = runs.toArray(new Run[0]);
        byte[] lv = new byte[visual.length];
        for (int i = 0; i < lv.length; i++) {
            lv[i] = runLevels.get(i);
        }
        Bidi.reorderVisually(lv, 0, visual, 0, visual.length);
        float width = 0;
        for (Run r : visual) {
            width += r.width();
        }
        return new Line(List.of(visual), width);
    }

    /** The face for {@code cp}: spaces, digits, punctuation and marks stay in the current face when it has them. */
    private int faceOf(int cp, int current) {
        if (current >= 0) {
            int type = Character.getType(cp);
            boolean neutral = Character.isWhitespace(cp) || FontSet.ignorable(cp)
                    || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                    || type == Character.ENCLOSING_MARK
                    || Character.UnicodeScript.of(cp) == Character.UnicodeScript.COMMON;
            if (neutral && set.faceCovers(current, cp)) {
                return current;
            }
        }
        int f = set.pick(cp);
        return f < 0 ? 0 : f;
    }

    private Run run(String text, int face, byte level, BaseFont like, float size) {
        BaseFont font = fonts.face(face, like);
        boolean rtlRun = (level & 1) == 1;
        if (needsShaping(text, face, rtlRun)) {
            Font awt = fonts.awt(face, font).deriveFont(size);
            char[] c = text.toCharArray();
            GlyphVector gv = awt.layoutGlyphVector(FRC, c, 0, c.length,
                    rtlRun ? Font.LAYOUT_RIGHT_TO_LEFT : Font.LAYOUT_LEFT_TO_RIGHT);
            float w = (float) gv.getGlyphPosition(gv.getNumGlyphs()).getX();
            return new Run(text, font, face, rtlRun, gv, w);
        }
        return new Run(text, font, face, rtlRun, null, font.getWidthPoint(text, size));
    }

    /** CJK and symbol runs print glyph by glyph; right-to-left, Indic, Thai and marked runs are shaped. */
    private boolean needsShaping(String text, int face, boolean rtlRun) {
        if (rtlRun) {
            return true;
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            Character.UnicodeScript s = Character.UnicodeScript.of(cp);
            if (Character.getType(cp) == Character.NON_SPACING_MARK
                    || Character.getType(cp) == Character.COMBINING_SPACING_MARK
                    || s == Character.UnicodeScript.DEVANAGARI || s == Character.UnicodeScript.BENGALI
                    || s == Character.UnicodeScript.TAMIL || s == Character.UnicodeScript.THAI
                    || s == Character.UnicodeScript.ARABIC || s == Character.UnicodeScript.HEBREW) {
                return true;
            }
        }
        return false;
    }
}
