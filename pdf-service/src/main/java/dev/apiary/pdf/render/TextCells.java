package dev.apiary.pdf.render;

import org.openpdf.text.Element;
import org.openpdf.text.Font;
import org.openpdf.text.Phrase;
import org.openpdf.text.pdf.PdfContentByte;
import org.openpdf.text.pdf.PdfPCell;
import org.openpdf.text.pdf.PdfPTable;

import java.text.Bidi;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Table cells of wrapped text in any script. Text the primary font prints as is stays an OpenPDF {@link Phrase}
 * (laid out by the table); other text is broken into lines by {@link TextPainter#wrap} and drawn shaped by a cell
 * event. Long text is cut into several rows of at most {@value #LINES_PER_ROW} lines, so it flows across pages.
 */
final class TextCells {
    static final int LINES_PER_ROW = 14;
    private final TextPainter text;

    TextCells(TextPainter text) {
        this.text = text;
    }

    /** One cell of {@code s}; {@code width} is the room for text (the column minus the padding). */
    PdfPCell cell(String s, Font font, float leading, float width, boolean center, Consumer<PdfPCell> style) {
        List<PdfPCell> rows = rows(s, font, leading, width, center, Integer.MAX_VALUE, style);
        return rows.getFirst();
    }

    /** {@code s} as one or more cells (rows) of at most {@code maxLines} lines each, each styled by {@code style}. */
    List<PdfPCell> rows(String s, Font font, float leading, float width, boolean center, int maxLines,
                        Consumer<PdfPCell> style) {
        String t = s == null ? "" : s;
        if (text.simple(t)) {
            PdfPCell c = new PdfPCell(new Phrase(leading, t, font));
            style.accept(c);
            if (center) {
                c.setHorizontalAlignment(Element.ALIGN_CENTER);
            }
            return List.of(c);
        }
        List<String> lines = text.wrap(t, font.getBaseFont(), font.getSize(), width);
        List<PdfPCell> cells = new ArrayList<>();
        for (int from = 0; from < lines.size(); from += maxLines) {
            List<String> part = lines.subList(from, Math.min(lines.size(), from + maxLines));
            PdfPCell c = new PdfPCell();
            style.accept(c);
            c.setMinimumHeight(c.getEffectivePaddingTop() + c.getEffectivePaddingBottom() + part.size() * leading + 1);
            c.setCellEvent((cell, r, canvases) -> draw(canvases[PdfPTable.TEXTCANVAS], cell, r, part, font, leading,
                    center));
            cells.add(c);
        }
        return cells;
    }

    private void draw(PdfContentByte cb, PdfPCell cell, org.openpdf.text.Rectangle r, List<String> lines, Font font,
                      float leading, boolean center) {
        cb.saveState();
        cb.beginText();
        cb.setColorFill(font.getColor() == null ? java.awt.Color.BLACK : font.getColor());
        float left = r.getLeft() + cell.getEffectivePaddingLeft();
        float right = r.getRight() - cell.getEffectivePaddingRight();
        float y = r.getTop() - cell.getEffectivePaddingTop() - leading * 0.82f;
        for (String line : lines) {
            if (center) {
                text.show(cb, Element.ALIGN_CENTER, line, (left + right) / 2, y, font.getBaseFont(), font.getSize());
            } else if (rightToLeft(line)) {
                text.show(cb, Element.ALIGN_RIGHT, line, right, y, font.getBaseFont(), font.getSize());
            } else {
                text.show(cb, Element.ALIGN_LEFT, line, left, y, font.getBaseFont(), font.getSize());
            }
            y -= leading;
        }
        cb.endText();
        cb.restoreState();
    }

    /** Whether a line's own direction (its first strong character) is right to left. */
    boolean rightToLeft(String line) {
        if (text.rtl()) {
            return true;
        }
        char[] c = line.toCharArray();
        return Bidi.requiresBidi(c, 0, c.length) && !new Bidi(line, Bidi.DIRECTION_DEFAULT_LEFT_TO_RIGHT).baseIsLeftToRight();
    }
}
