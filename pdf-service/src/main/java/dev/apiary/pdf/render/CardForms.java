package dev.apiary.pdf.render;

import org.openpdf.text.Element;
import org.openpdf.text.Image;
import org.openpdf.text.pdf.PdfContentByte;
import org.openpdf.text.pdf.PdfTemplate;

import java.awt.Color;

import static dev.apiary.pdf.render.ReportCardTemplate.ACCENT;
import static dev.apiary.pdf.render.ReportCardTemplate.BORDER;
import static dev.apiary.pdf.render.ReportCardTemplate.GRAY;

/**
 * What is the same on every page of a report card document, drawn once as form XObjects: the school header, the
 * footer line and the signature lines. Mirrored for right-to-left locales (logo and school name on the right).
 */
final class CardForms {
    static final float SIGNATURE_HEIGHT = 30;
    private final RenderSession session;
    private final TextPainter txt;
    private final Labels labels;
    private final float width;
    private final boolean rtl;

    CardForms(RenderSession session, float width) {
        this.session = session;
        this.txt = session.text();
        this.labels = session.labels();
        this.width = width;
        this.rtl = labels.rtl();
    }

    /** x of a point {@code x} from the start edge (left, or right when right to left). */
    private float x(float x) {
        return rtl ? width - x : x;
    }

    /** The start alignment (left, or right when right to left), and the end one. */
    private int start() {
        return rtl ? Element.ALIGN_RIGHT : Element.ALIGN_LEFT;
    }

    private int end() {
        return rtl ? Element.ALIGN_LEFT : Element.ALIGN_RIGHT;
    }

    PdfTemplate header(PdfContentByte cb, float h) throws Exception {
        School school = session.school();
        FontSet.Fonts f = session.fonts();
        PdfTemplate t = cb.createTemplate(width, h);
        float x = 0;
        Image logo = session.logo();
        if (logo != null) {
            float box = Math.min(h - 10, 56);
            float scale = Math.min(box / logo.getWidth(), box / logo.getHeight());
            float lw = logo.getWidth() * scale;
            float lh = logo.getHeight() * scale;
            t.addImage(logo, lw, 0, 0, lh, rtl ? width - lw : 0, h - lh - 2);
            x = lw + 8;
        }
        float room = width * 0.68f - x;
        float nameSize = 14;
        String name = Fmt.nz(school.name());
        while (nameSize > 8 && txt.width(name, f.bold(), nameSize) > room) {
            nameSize -= 0.5f;
        }
        t.beginText();
        t.setColorFill(ACCENT);
        txt.show(t, start(), name, x(x), h - 13, f.bold(), nameSize);
        t.setColorFill(GRAY);
        float y = h - 25;
        if (school.district() != null) {
            txt.show(t, start(), school.district(), x(x), y, f.regular(), 8.5f);
            y -= 10.5f;
        }
        for (String line : school.address().subList(0, Math.min(4, school.address().size()))) {
            txt.show(t, start(), line, x(x), y, f.regular(), 8.5f);
            y -= 10.5f;
        }
        t.setColorFill(ACCENT);
        txt.show(t, end(), labels.get("card.title"), x(width), h - 12, f.bold(), 11);
        t.setColorFill(Color.BLACK);
        txt.show(t, end(), Fmt.nz(school.term()), x(width), h - 24, f.regular(), 8.5f);
        t.setColorFill(GRAY);
        if (school.issued() != null) {
            txt.show(t, end(), labels.format("card.issued", labels.date(school.issued())), x(width), h - 34.5f,
                    f.regular(), 8.5f);
        }
        t.endText();
        t.setColorStroke(ACCENT);
        t.setLineWidth(1.5f);
        t.moveTo(0, 1);
        t.lineTo(width, 1);
        t.stroke();
        return t;
    }

    PdfTemplate footer(PdfContentByte cb) {
        PdfTemplate t = cb.createTemplate(width, 30);
        t.setColorStroke(BORDER);
        t.setLineWidth(1);
        t.moveTo(0, 24);
        t.lineTo(width, 24);
        t.stroke();
        t.beginText();
        txt.show(t, start(), Fmt.nz(session.school().name()) + " · " + labels.get("footer.confidential"), x(0), 12,
                session.fonts().regular(), 7);
        t.endText();
        return t;
    }

    PdfTemplate signatures(PdfContentByte cb) {
        FontSet.Fonts f = session.fonts();
        PdfTemplate t = cb.createTemplate(width, SIGNATURE_HEIGHT);
        float w = (width - 40) / 3f;
        String line = labels.get("signature.line");
        String principal = session.school().principal();
        String[][] blocks = {{labels.get("signature.advisor"), line},
                {labels.get("signature.principal"), principal == null ? line : principal},
                {labels.get("signature.parent"), line}};
        t.setLineWidth(1);
        for (int i = 0; i < 3; i++) {
            float x = i * (w + 20);
            t.moveTo(x, SIGNATURE_HEIGHT - 1);
            t.lineTo(x + w, SIGNATURE_HEIGHT - 1);
        }
        t.stroke();
        t.beginText();
        for (int i = 0; i < 3; i++) {
            float x = x(i * (w + 20));
            t.setColorFill(Color.BLACK);
            txt.show(t, start(), blocks[i][0], x, SIGNATURE_HEIGHT - 11, f.bold(), 8);
            t.setColorFill(GRAY);
            txt.show(t, start(), blocks[i][1], x, SIGNATURE_HEIGHT - 21, f.regular(), 7.5f);
        }
        t.endText();
        return t;
    }
}
