package dev.apiary.pdf.render;

import org.openpdf.text.pdf.BaseFont;
import org.openpdf.text.pdf.GlyphLayoutManager;
import org.openpdf.text.pdf.PdfContentByte;

import java.awt.font.GlyphVector;

/**
 * Puts a run shaped by Java's font layout (HarfBuzz inside the JDK: Arabic joining, Indic reordering and conjuncts,
 * Thai and Hebrew marks) on the page through OpenPDF's {@link GlyphLayoutManager}: the glyph codes, the positions
 * the layout computed (TJ adjustments, text rise for marks) and ToUnicode entries for glyphs that have no character
 * of their own, so text extraction keeps every letter.
 */
final class Shaper extends GlyphLayoutManager {

    /**
     * Shows {@code glyphs}, the shaped form of {@code text} in {@code font}, at the current text position. A
     * left-to-right run is wrapped in a span whose {@code /ActualText} is {@code text}: Indic conjuncts and reordered
     * vowel signs are glyphs no single character maps to, and extraction reads the span's text instead. A
     * right-to-left run is not: its glyphs are in visual order, each mapped to its character (Arabic to its
     * presentation form), and readers reorder them themselves (poppler reverses the run), which an ActualText in
     * logical order would undo.
     */
    void show(PdfContentByte cb, BaseFont font, float size, String text, GlyphVector glyphs, boolean rtl) {
        completeCmap(cb, font, text, glyphs);
        if (!rtl) {
            beginMarkedContentSequence(cb, text);
        }
        if (hasNoAdjustments(glyphs)) {
            cb.showText(glyphs);
        } else {
            adjustAndShowText(cb, size, glyphs);
        }
        if (!rtl) {
            endMarkedContentSequence(cb);
        }
    }
}
