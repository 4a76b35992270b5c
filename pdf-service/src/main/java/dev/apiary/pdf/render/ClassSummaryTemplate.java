package dev.apiary.pdf.render;

import org.openpdf.text.Document;
import org.openpdf.text.Element;
import org.openpdf.text.Font;
import org.openpdf.text.Paragraph;
import org.openpdf.text.Phrase;
import org.openpdf.text.Rectangle;
import org.openpdf.text.pdf.PdfContentByte;
import org.openpdf.text.pdf.PdfPCell;
import org.openpdf.text.pdf.PdfPTable;
import org.openpdf.text.pdf.PdfPageEventHelper;
import org.openpdf.text.pdf.PdfTemplate;
import org.openpdf.text.pdf.PdfWriter;

import java.awt.Color;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One table per class (the student's {@code homeroom}), landscape: a row per student, a column per course title
 * with the final grade, the student's mean of course averages, and a last row with each course's class average.
 * Each class starts on a new page; "Page X of Y" counts the whole document.
 *
 * <p>It groups students, so it needs all of them before printing: not chunkable. It keeps only a compact row per
 * student (id, name, and the (final, average) of each course), not the parsed students.
 */
public final class ClassSummaryTemplate implements ReportTemplate {
    private static final float MARGIN = 30;

    @Override
    public String name() {
        return "class_summary";
    }

    @Override
    public boolean chunkable() {
        return false;
    }

    private record Row(String id, String name, String[] titles, String[] finals, double[] averages) {
    }

    @Override
    public void render(RenderSession session, PaperSize paper, Iterator<Student> students) throws Exception {
        Map<String, String> interned = new HashMap<>();
        Map<String, List<Row>> classes = new TreeMap<>();
        while (students.hasNext()) {
            Student s = students.next();
            session.check(s.id(), s.displayName());
            int n = s.courses().size();
            String[] titles = new String[n];
            String[] finals = new String[n];
            double[] avgs = new double[n];
            for (int i = 0; i < n; i++) {
                Course c = s.courses().get(i);
                session.check(s.id(), c.title());
                titles[i] = interned.computeIfAbsent(Fmt.nz(c.title()), k -> k);
                finals[i] = interned.computeIfAbsent(Fmt.nz(c.finalGrade()), k -> k);
                avgs[i] = c.average() == null ? Double.NaN : c.average();
            }
            String klass = s.homeroom() == null || s.homeroom().isBlank() ? "(no homeroom)" : s.homeroom();
            classes.computeIfAbsent(klass, k -> new ArrayList<>())
                    .add(new Row(Fmt.nz(s.id()), s.displayName(), titles, finals, avgs));
        }
        Rectangle page = paper.landscape();
        FontSet.Fonts f = session.fonts();
        Font head = new Font(f.bold(), 7, Font.NORMAL, Color.WHITE);
        Font body = new Font(f.regular(), 7.5f);
        Font bold = new Font(f.bold(), 7.5f);
        Font title = new Font(f.bold(), 12, Font.NORMAL, ReportCardTemplate.ACCENT);
        Footer footer = new Footer(session, page);
        session.open(page, MARGIN, MARGIN, MARGIN + 24, MARGIN + 14, footer);
        Document doc = session.document();
        float width = page.getWidth() - 2 * MARGIN;
        boolean first = true;
        for (Map.Entry<String, List<Row>> e : classes.entrySet()) {
            if (!first) {
                doc.newPage();
            }
            first = false;
            List<Row> rows = e.getValue();
            Map<String, Integer> columns = new LinkedHashMap<>();
            for (Row r : rows) {
                for (String t : r.titles()) {
                    columns.putIfAbsent(t, columns.size());
                }
            }
            Paragraph p = new Paragraph(14, "Class " + e.getKey() + " · " + rows.size() + " students", title);
            p.setSpacingAfter(6);
            doc.add(p);
            int nc = columns.size();
            float[] widths = new float[nc + 3];
            widths[0] = 62;
            widths[1] = 120;
            widths[nc + 2] = 34;
            float rest = (width - 216) / Math.max(1, nc);
            for (int i = 0; i < nc; i++) {
                widths[i + 2] = rest;
            }
            PdfPTable t = new PdfPTable(widths.length);
            t.setTotalWidth(widths);
            t.setLockedWidth(true);
            t.setHeaderRows(1);
            t.addCell(cell("Student ID", head, ReportCardTemplate.ACCENT, false));
            t.addCell(cell("Student", head, ReportCardTemplate.ACCENT, false));
            for (String c : columns.keySet()) {
                t.addCell(cell(c, head, ReportCardTemplate.ACCENT, true));
            }
            t.addCell(cell("Avg", head, ReportCardTemplate.ACCENT, true));
            double[] sums = new double[nc];
            int[] counts = new int[nc];
            double allSum = 0;
            int allCount = 0;
            boolean shade = false;
            for (Row r : rows) {
                String[] finals = new String[nc];
                double sum = 0;
                int count = 0;
                for (int i = 0; i < r.titles().length; i++) {
                    int col = columns.get(r.titles()[i]);
                    finals[col] = r.finals()[i];
                    if (!Double.isNaN(r.averages()[i])) {
                        sums[col] += r.averages()[i];
                        counts[col]++;
                        sum += r.averages()[i];
                        count++;
                    }
                }
                Color bg = shade ? ReportCardTemplate.LIGHT : null;
                shade = !shade;
                t.addCell(cell(r.id(), body, bg, false));
                t.addCell(cell(r.name(), body, bg, false));
                for (String fin : finals) {
                    t.addCell(cell(fin == null ? "–" : fin, bold, bg, true));
                }
                t.addCell(cell(count == 0 ? "" : Fmt.fixed(sum / count, 1), body, bg, true));
                allSum += sum;
                allCount += count;
                session.studentDone();
            }
            t.addCell(cell("", bold, ReportCardTemplate.LIGHT, false));
            t.addCell(cell("Class average", bold, ReportCardTemplate.LIGHT, false));
            for (int i = 0; i < nc; i++) {
                t.addCell(cell(counts[i] == 0 ? "" : Fmt.fixed(sums[i] / counts[i], 1), bold, ReportCardTemplate.LIGHT, true));
            }
            t.addCell(cell(allCount == 0 ? "" : Fmt.fixed(allSum / allCount, 1), bold, ReportCardTemplate.LIGHT, true));
            doc.add(t);
        }
    }

    private static PdfPCell cell(String text, Font font, Color bg, boolean center) {
        PdfPCell c = new PdfPCell(new Phrase(font.getSize() * 1.2f, text, font));
        c.setBorderWidth(0.5f);
        c.setBorderColor(ReportCardTemplate.BORDER);
        c.setPaddingTop(1);
        c.setPaddingBottom(3);
        if (bg != null) {
            c.setBackgroundColor(bg);
        }
        if (center) {
            c.setHorizontalAlignment(Element.ALIGN_CENTER);
        }
        return c;
    }

    /** School name + title on top, "Page X of Y" over the whole document at the bottom. */
    private static final class Footer extends PdfPageEventHelper {
        private final RenderSession session;
        private final Rectangle page;
        private PdfTemplate total;

        Footer(RenderSession session, Rectangle page) {
            this.session = session;
            this.page = page;
        }

        @Override
        public void onOpenDocument(PdfWriter writer, Document document) {
            total = writer.getDirectContent().createTemplate(30, 10);
        }

        @Override
        public void onEndPage(PdfWriter writer, Document document) {
            PdfContentByte cb = writer.getDirectContent();
            FontSet.Fonts f = session.fonts();
            float right = page.getWidth() - MARGIN;
            cb.beginText();
            cb.setColorFill(ReportCardTemplate.ACCENT);
            cb.setFontAndSize(f.bold(), 11);
            cb.showTextAligned(Element.ALIGN_LEFT, Fmt.nz(session.school().name()), MARGIN, page.getHeight() - MARGIN - 8, 0);
            cb.setColorFill(ReportCardTemplate.GRAY);
            cb.setFontAndSize(f.regular(), 8.5f);
            cb.showTextAligned(Element.ALIGN_RIGHT, "CLASS SUMMARY · " + Fmt.nz(session.school().term()), right,
                    page.getHeight() - MARGIN - 8, 0);
            cb.setFontAndSize(f.regular(), 7.5f);
            cb.showTextAligned(Element.ALIGN_RIGHT, "Page " + writer.getPageNumber() + " of ", right - 30, MARGIN - 2, 0);
            cb.endText();
            cb.addTemplate(total, right - 30, MARGIN - 4);
        }

        @Override
        public void onCloseDocument(PdfWriter writer, Document document) {
            total.beginText();
            total.setFontAndSize(session.fonts().regular(), 7.5f);
            total.setTextMatrix(0, 2);
            total.showText(Integer.toString(writer.getPageNumber() - 1));
            total.endText();
        }
    }
}
