package dev.apiary.pdf.render;

import org.openpdf.text.Document;
import org.openpdf.text.Element;
import org.openpdf.text.Font;
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
    /** Course columns per page: a wider class continues on the next page. */
    static final int MAX_COLUMNS = 14;

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
            String klass = s.homeroom() == null || s.homeroom().isBlank()
                    ? session.labels().get("class.no_homeroom") : s.homeroom();
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
        Labels labels = session.labels();
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
            int nc = columns.size();
            String[][] finals = new String[rows.size()][nc];
            String[] rowAverages = new String[rows.size()];
            double[] sums = new double[nc];
            int[] counts = new int[nc];
            double allSum = 0;
            int allCount = 0;
            for (int ri = 0; ri < rows.size(); ri++) {
                Row r = rows.get(ri);
                double sum = 0;
                int count = 0;
                for (int i = 0; i < r.titles().length; i++) {
                    int col = columns.get(r.titles()[i]);
                    finals[ri][col] = r.finals()[i];
                    if (!Double.isNaN(r.averages()[i])) {
                        sums[col] += r.averages()[i];
                        counts[col]++;
                        sum += r.averages()[i];
                        count++;
                    }
                }
                rowAverages[ri] = count == 0 ? "" : labels.number(Fmt.fixed(sum / count, 1));
                allSum += sum;
                allCount += count;
                session.studentDone();
            }
            String[] classAverages = new String[nc];
            for (int i = 0; i < nc; i++) {
                classAverages[i] = counts[i] == 0 ? "" : labels.number(Fmt.fixed(sums[i] / counts[i], 1));
            }
            String overall = allCount == 0 ? "" : labels.number(Fmt.fixed(allSum / allCount, 1));
            List<String> titles = new ArrayList<>(columns.keySet());
            // a wide class continues on further pages, MAX_COLUMNS courses at a time (id and name repeat)
            for (int from = 0; from < Math.max(1, nc); from += MAX_COLUMNS) {
                int to = Math.min(nc, from + MAX_COLUMNS);
                if (from > 0) {
                    doc.newPage();
                }
                String heading = labels.format("class.title", e.getKey(), Integer.toString(rows.size()))
                        + (nc > MAX_COLUMNS ? " · " + labels.format("class.courses", Integer.toString(from + 1),
                        Integer.toString(to), Integer.toString(nc)) : "");
                PdfPTable p = new PdfPTable(1);
                p.setTotalWidth(width);
                p.setLockedWidth(true);
                p.setSpacingAfter(6);
                session.cells().rows(heading, title, 14, width, false, 4, c -> {
                    c.setBorder(Rectangle.NO_BORDER);
                    c.setPadding(0);
                    c.setPaddingBottom(2);
                }).forEach(p::addCell);
                doc.add(p);
                doc.add(table(session, width, titles.subList(from, to), from, to == nc, rows, finals, rowAverages,
                        classAverages, overall, head, body, bold));
            }
        }
    }

    /** The table of courses {@code from} to {@code from + titles.size()}; the average column in the last part. */
    private static PdfPTable table(RenderSession session, float width, List<String> titles, int from, boolean last,
                                   List<Row> rows, String[][] finals, String[] rowAverages, String[] classAverages,
                                   String overall, Font head, Font body, Font bold) {
        int n = titles.size();
        float[] widths = new float[n + 2 + (last ? 1 : 0)];
        widths[0] = 62;
        widths[1] = 120;
        if (last) {
            widths[n + 2] = 34;
        }
        float rest = (width - 182 - (last ? 34 : 0)) / Math.max(1, n);
        for (int i = 0; i < n; i++) {
            widths[i + 2] = rest;
        }
        PdfPTable t = new PdfPTable(widths.length);
        t.setTotalWidth(widths);
        t.setLockedWidth(true);
        t.setHeaderRows(1);
        Labels labels = session.labels();
        if (labels.rtl()) {
            t.setRunDirection(org.openpdf.text.pdf.PdfWriter.RUN_DIRECTION_RTL);
        }
        TextCells tc = session.cells();
        Color accent = ReportCardTemplate.ACCENT;
        Color light = ReportCardTemplate.LIGHT;
        t.addCell(cell(tc, labels.get("class.student_id"), head, accent, false, widths[0]));
        t.addCell(cell(tc, labels.get("class.student"), head, accent, false, widths[1]));
        for (String c : titles) {
            t.addCell(cell(tc, c, head, accent, true, rest));
        }
        if (last) {
            t.addCell(cell(tc, labels.get("class.average"), head, accent, true, widths[n + 2]));
        }
        for (int ri = 0; ri < rows.size(); ri++) {
            Row r = rows.get(ri);
            Color bg = ri % 2 == 1 ? light : null;
            t.addCell(cell(tc, r.id(), body, bg, false, widths[0]));
            t.addCell(cell(tc, r.name(), body, bg, false, widths[1]));
            for (int i = from; i < from + n; i++) {
                t.addCell(cell(tc, finals[ri][i] == null ? "–" : finals[ri][i], bold, bg, true, rest));
            }
            if (last) {
                t.addCell(cell(tc, rowAverages[ri], body, bg, true, widths[n + 2]));
            }
        }
        t.addCell(cell(tc, "", bold, light, false, widths[0]));
        t.addCell(cell(tc, labels.get("class.class_average"), bold, light, false, widths[1]));
        for (int i = from; i < from + n; i++) {
            t.addCell(cell(tc, classAverages[i], bold, light, true, rest));
        }
        if (last) {
            t.addCell(cell(tc, overall, bold, light, true, widths[n + 2]));
        }
        return t;
    }

    private static PdfPCell cell(TextCells cells, String text, Font font, Color bg, boolean center, float width) {
        return cells.cell(text, font, font.getSize() * 1.2f, width - 4, center, c -> {
            c.setBorderWidth(0.5f);
            c.setBorderColor(ReportCardTemplate.BORDER);
            c.setPaddingTop(1);
            c.setPaddingBottom(3);
            if (bg != null) {
                c.setBackgroundColor(bg);
            }
        });
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
            TextPainter txt = session.text();
            Labels labels = session.labels();
            boolean rtl = labels.rtl();
            int start = rtl ? Element.ALIGN_RIGHT : Element.ALIGN_LEFT;
            int end = rtl ? Element.ALIGN_LEFT : Element.ALIGN_RIGHT;
            txt.show(cb, start, Fmt.nz(session.school().name()), rtl ? right : MARGIN, page.getHeight() - MARGIN - 8,
                    f.bold(), 11);
            cb.setColorFill(ReportCardTemplate.GRAY);
            txt.show(cb, end, labels.get("class.summary") + " · " + Fmt.nz(session.school().term()),
                    rtl ? MARGIN : right, page.getHeight() - MARGIN - 8, f.regular(), 8.5f);
            String pattern = labels.get("page.of");
            int k = pattern.indexOf("{1}");
            String before = new java.text.MessageFormat(pattern.substring(0, k), labels.locale())
                    .format(new Object[]{Integer.toString(writer.getPageNumber())});
            String after = pattern.substring(k + 3);
            float afterWidth = txt.width(after, f.regular(), 7.5f);
            if (rtl) {
                txt.show(cb, Element.ALIGN_LEFT, before.strip(), MARGIN + 32, MARGIN - 2, f.regular(), 7.5f);
                cb.endText();
                cb.addTemplate(total, MARGIN, MARGIN - 4);
                return;
            }
            txt.show(cb, Element.ALIGN_RIGHT, before, right - 30 - afterWidth, MARGIN - 2, f.regular(), 7.5f);
            txt.show(cb, Element.ALIGN_RIGHT, after, right, MARGIN - 2, f.regular(), 7.5f);
            right -= afterWidth;
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
