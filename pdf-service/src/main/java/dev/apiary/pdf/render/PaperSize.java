package dev.apiary.pdf.render;

import org.openpdf.text.PageSize;
import org.openpdf.text.Rectangle;

import java.util.Locale;
import java.util.Optional;

public enum PaperSize {
    A4(PageSize.A4), LETTER(PageSize.LETTER);

    private final Rectangle rect;

    PaperSize(Rectangle rect) {
        this.rect = rect;
    }

    public Rectangle portrait() {
        return new Rectangle(rect.getWidth(), rect.getHeight());
    }

    public Rectangle landscape() {
        return new Rectangle(rect.getHeight(), rect.getWidth());
    }

    public static Optional<PaperSize> parse(String s) {
        if (s == null) {
            return Optional.of(A4);
        }
        try {
            return Optional.of(valueOf(s.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
