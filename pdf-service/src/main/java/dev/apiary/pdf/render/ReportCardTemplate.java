package dev.apiary.pdf.render;

import org.openpdf.text.Document;
import org.openpdf.text.Element;
import org.openpdf.text.Font;
import org.openpdf.text.Image;
import org.openpdf.text.Paragraph;
import org.openpdf.text.Phrase;
import org.openpdf.text.Rectangle;
import org.openpdf.text.pdf.BaseFont;
import org.openpdf.text.pdf.PdfContentByte;
import org.openpdf.text.pdf.PdfPCell;
import org.openpdf.text.pdf.PdfPTable;
import org.openpdf.text.pdf.PdfPageEventHelper;
import org.openpdf.text.pdf.PdfTemplate;
import org.openpdf.text.pdf.PdfWriter;

import java.awt.Color;
import java.util.Iterator;
import java.util.List;

/**
 * One report card per student, each starting on a new page (the legacy Prawn layout): school header with optional
 * logo, student block, courses table (term marks, average, final grade, credits, teacher comment), attendance and
 * summary, advisor's comments, grading scale, signature lines (advisor, principal, parent) and a footer with
 * "Page X of Y" counted per student. Parts are independent, so the template is chunkable.
 *
 * <p>Everything that is the same on every page (header, footer, signature lines, grading scale) is drawn once per
 * document as a form XObject and placed on each page, which keeps pages small and fast.
 */
public final class ReportCardTemplate implements ReportTemplate {
    static final Color ACCENT = new Color(0x1F, 0x3A, 0x5F);
    static final Color GRAY = new Color(0x66, 0x66, 0x66);
    static final Color LIGHT = new Color(0xEE, 0xEE, 0xEE);
    static final Color BORDER = new Color(0xBB, 0xBB, 0xBB);
    static final Color DARK = new Color(0x33, 0x33, 0x33);

    static final float MARGIN = 36;
    static final float BOTTOM = 44;
    static final String GRADING_SCALE = "Grading scale: A 93-100 · A- 90-92 · B+ 87-89 · B 83-86 · B- 80-82 · "
            + "C+ 77-79 · C 73-76 · C- 70-72 · D+ 67-69 · D 60-66 · F below 60. T1-T4: term marks; Avg: semester average.";
    private static final float[] COURSE_WIDTHS = {50, 150, 124};
    private static final String[] COURSE_HEAD = {"Code", "Course", "Teacher"};
    private static final String[] NUMERIC_HEAD = {"T1", "T2", "T3", "T4", "Avg", "Final", "Cr."};
    private static final String[] SUMMARY_HEAD = {"School days", "Present", "Absent", "Tardy", "Attendance",
            "Credits earned", "Semester GPA"};
    private static final float SUMMARY_ROW = 15.5f;
    private static final float SIGNATURE_HEIGHT = 30;

    @Override
    public String name() {
        return "report_card";
    }

    @Override
    public boolean chunkable() {
        return true;
    }

    @Override
    public void render(RenderSession session, PaperSize paper, Iterator<Student> students) throws Exception {
        new Run(session, paper.portrait()).render(students);
    }

    /** The state of one document. */
    private static final class Run extends PdfPageEventHelper {
        private final RenderSession session;
        private final Rectangle page;
        private final float width;
        private final BaseFont regular;
        private final BaseFont bold;
        private final float numericWidth;
        private final float[] numericWidths;
        private final Font f9;
        private final Font f85;
        private final Font f85White;
        private final Font f75Italic;
        private final Font f10Accent;
        private final Font f7Gray;
        private final float headerHeight;
        private final float totalWidth;
        private PdfTemplate header;
        private PdfTemplate footer;
        private PdfTemplate signatures;
        private PdfTemplate total;
        private int pageInStudent;

        Run(RenderSession session, Rectangle page) {
            this.session = session;
            this.page = page;
            this.width = page.getWidth() - 2 * MARGIN;
            FontSet.Fonts f = session.fonts();
            this.regular = f.regular();
            this.bold = f.bold();
            this.numericWidth = width - COURSE_WIDTHS[0] - COURSE_WIDTHS[1] - COURSE_WIDTHS[2];
            this.numericWidths = new float[]{24, 24, 24, 24, 30, 34, numericWidth - 160};
            this.f9 = new Font(f.regular(), 9);
            this.f85 = new Font(f.regular(), 8.5f);
            this.f85White = new Font(f.bold(), 8.5f, Font.NORMAL, Color.WHITE);
            this.f75Italic = new Font(f.italic(), 7.5f, Font.NORMAL, DARK);
            this.f10Accent = new Font(f.bold(), 10, Font.NORMAL, ACCENT);
            this.f7Gray = new Font(f.regular(), 7, Font.NORMAL, GRAY);
            this.headerHeight = 36 + 10.5f * (1 + Math.min(session.school().address().size(), 4));
            this.totalWidth = regular.getWidthPoint("999", 7.5f);
        }

        void render(Iterator<Student> students) throws Exception {
            session.open(page, MARGIN, MARGIN, MARGIN + headerHeight + 8, BOTTOM, this);
            PdfWriter writer = session.writer();
            PdfContentByte cb = writer.getDirectContent();
            header = header(cb);
            footer = footer(cb);
            signatures = signatures(cb);
            School school = session.school();
            session.check("school", school.name());
            session.check("school", school.district());
            session.check("school", school.principal());
            session.check("school", school.term());
            school.address().forEach(a -> session.check("school", a));
            Document doc = session.document();
            boolean first = true;
            while (students.hasNext()) {
                Student s = students.next();
                PdfTemplate previous = total;
                if (!first) {
                    doc.newPage();
                    writer.releaseTemplate(previous);
                }
                first = false;
                pageInStudent = 0;
                total = cb.createTemplate(totalWidth, 10);
                card(doc, cb, s);
                int pages = pageInStudent + 1;
                total.beginText();
                total.setFontAndSize(regular, 7.5f);
                total.setTextMatrix(0, 2);
                total.showText(Integer.toString(pages));
                total.endText();
                session.studentDone();
            }
        }

        private void card(Document doc, PdfContentByte cb, Student s) throws Exception {
            session.check(s);
            doc.add(studentBlock(s));
            doc.add(courses(s.courses()));
            doc.add(title("Attendance & summary"));
            doc.add(summary(s));
            doc.add(title("Advisor's comments"));
            doc.add(commentBox(s.advisorComment()));
            Paragraph scale = new Paragraph(8.5f, GRADING_SCALE, f7Gray);
            scale.setSpacingBefore(6);
            doc.add(scale);
            float sigTop = BOTTOM + 60;
            if (session.writer().getVerticalPosition(true) < sigTop + 8) {
                doc.newPage();
            }
            cb.addTemplate(signatures, MARGIN, sigTop - SIGNATURE_HEIGHT);
        }

        /**
         * The student block (3 rows of label/value pairs) as one fixed-height cell drawn by a cell event: no
         * per-cell text layout for a dozen one-line cells.
         */
        private PdfPTable studentBlock(Student s) {
            String[][] rows = {
                    {"Student", Fmt.nz(s.displayName()), "Student ID", Fmt.nz(s.id())},
                    {"Grade level", Fmt.num(s.gradeLevel()), "Homeroom", Fmt.nz(s.homeroom())},
                    {"Advisor", Fmt.nz(s.advisor()), "Date of birth", Fmt.nz(s.dateOfBirth())}};
            PdfPTable t = new PdfPTable(1);
            t.setTotalWidth(width);
            t.setLockedWidth(true);
            t.setSpacingAfter(10);
            PdfPCell c = new PdfPCell();
            c.setBorder(Rectangle.NO_BORDER);
            c.setFixedHeight(44);
            c.setCellEvent((cell, r, canvases) -> {
                PdfContentByte cb = canvases[PdfPTable.TEXTCANVAS];
                cb.saveState();
                float w = r.getWidth();
                float[] x = {r.getLeft() + 4, r.getLeft() + 0.14f * w + 4, r.getLeft() + 0.54f * w + 4, r.getLeft() + 0.68f * w + 4};
                float[] room = {0.14f * w - 8, 0.40f * w - 8, 0.14f * w - 8, 0.32f * w - 8};
                cb.beginText();
                for (int i = 0; i < 3; i++) {
                    float y = r.getTop() - 11 - 14 * i;
                    for (int col = 0; col < 4; col++) {
                        boolean label = col % 2 == 0;
                        boolean name = i == 0 && col == 1;
                        BaseFont bf = label || name ? bold : regular;
                        float size = name ? 11 : 9;
                        String text = rows[i][col];
                        while (size > 5 && bf.getWidthPoint(text, size) > room[col]) {
                            size -= 0.5f;
                        }
                        cb.setColorFill(label ? GRAY : Color.BLACK);
                        cb.setFontAndSize(bf, size);
                        cb.showTextAligned(Element.ALIGN_LEFT, text, x[col], y, 0);
                    }
                }
                cb.endText();
                cb.restoreState();
            });
            t.addCell(c);
            return t;
        }

        /**
         * Courses: code, title and teacher are real cells (they may wrap); the seven short numeric columns (T1-T4,
         * Avg, Final, Cr.) are one cell per row drawn by a cell event, which is several times cheaper than seven
         * laid-out cells and prints the same grid.
         */
        private PdfPTable courses(List<Course> courses) {
            PdfPTable t = new PdfPTable(4);
            t.setTotalWidth(new float[]{COURSE_WIDTHS[0], COURSE_WIDTHS[1], COURSE_WIDTHS[2], numericWidth});
            t.setLockedWidth(true);
            t.setHeaderRows(1);
            t.setSpacingAfter(10);
            for (int i = 0; i < 3; i++) {
                PdfPCell c = cell(COURSE_HEAD[i], f85White, false);
                c.setBackgroundColor(ACCENT);
                t.addCell(c);
            }
            t.addCell(numeric(NUMERIC_HEAD, ACCENT, true));
            for (Course c : courses) {
                t.addCell(shaded(Fmt.nz(c.code()), f85, false));
                t.addCell(shaded(Fmt.nz(c.title()), f85, false));
                t.addCell(shaded(Fmt.nz(c.teacher()), f85, false));
                String[] values = new String[7];
                for (int m = 0; m < 4; m++) {
                    values[m] = m < c.marks().size() ? Fmt.mark(c.marks().get(m)) : "";
                }
                values[4] = Fmt.fixed(c.average(), 1);
                values[5] = Fmt.nz(c.finalGrade());
                values[6] = Fmt.fixed(c.credits(), 1);
                t.addCell(numeric(values, LIGHT, false));
                if (c.comment() != null && !c.comment().isBlank()) {
                    PdfPCell comment = new PdfPCell(new Phrase(9.2f, c.comment(), f75Italic));
                    comment.setColspan(4);
                    comment.setBorderWidth(0.5f);
                    comment.setBorderColor(BORDER);
                    comment.setPaddingTop(1);
                    comment.setPaddingRight(4);
                    comment.setPaddingBottom(4);
                    comment.setPaddingLeft(12);
                    t.addCell(comment);
                }
            }
            return t;
        }

        private PdfPCell numeric(String[] values, Color background, boolean head) {
            PdfPCell c = new PdfPCell();
            c.setBorderWidth(0.5f);
            c.setBorderColor(BORDER);
            c.setBackgroundColor(background);
            c.setMinimumHeight(8.5f * 1.2f + 5.5f);
            c.setCellEvent((cell, r, canvases) -> {
                PdfContentByte lines = canvases[PdfPTable.LINECANVAS];
                lines.saveState();
                lines.setLineWidth(0.5f);
                lines.setColorStroke(BORDER);
                float x = r.getLeft();
                for (int i = 0; i < numericWidths.length - 1; i++) {
                    x += numericWidths[i];
                    lines.moveTo(x, r.getBottom());
                    lines.lineTo(x, r.getTop());
                }
                lines.stroke();
                lines.restoreState();
                PdfContentByte cb = canvases[PdfPTable.TEXTCANVAS];
                cb.saveState();
                float y = r.getTop() - 1.5f - 8.5f * 1.2f;
                cb.beginText();
                cb.setColorFill(head ? Color.WHITE : Color.BLACK);
                x = r.getLeft();
                for (int i = 0; i < values.length; i++) {
                    cb.setFontAndSize(head || i == 5 ? bold : regular, 8.5f);
                    cb.showTextAligned(Element.ALIGN_CENTER, values[i], x + numericWidths[i] / 2, y, 0);
                    x += numericWidths[i];
                }
                cb.endText();
                cb.restoreState();
            });
            return c;
        }

        private PdfPCell shaded(String text, Font font, boolean center) {
            PdfPCell c = cell(text, font, center);
            c.setBackgroundColor(LIGHT);
            return c;
        }

        private static PdfPCell cell(String text, Font font, boolean center) {
            PdfPCell c = new PdfPCell(new Phrase(font.getSize() * 1.2f, text, font));
            c.setBorderWidth(0.5f);
            c.setBorderColor(BORDER);
            c.setPaddingTop(1.5f);
            c.setPaddingBottom(4);
            c.setPaddingLeft(4);
            c.setPaddingRight(4);
            if (center) {
                c.setHorizontalAlignment(Element.ALIGN_CENTER);
            }
            return c;
        }

        private Paragraph title(String text) {
            Paragraph p = new Paragraph(12, text, f10Accent);
            p.setSpacingAfter(4);
            return p;
        }

        /** Attendance and summary: a 2 x 7 grid drawn by one cell event. */
        private PdfPTable summary(Student s) {
            Attendance a = s.attendance();
            Integer days = session.school().schoolDays();
            String[] values = {Fmt.num(days), a == null ? "" : Fmt.num(a.daysPresent()),
                    a == null ? "" : Fmt.num(a.daysAbsent()), a == null ? "" : Fmt.num(a.daysTardy()),
                    Fmt.attendanceRate(a), Fmt.creditsEarned(s.courses()), Fmt.gpa(s.courses())};
            PdfPTable t = new PdfPTable(1);
            t.setTotalWidth(width);
            t.setLockedWidth(true);
            t.setSpacingAfter(10);
            PdfPCell c = new PdfPCell();
            c.setBorder(Rectangle.NO_BORDER);
            c.setFixedHeight(2 * SUMMARY_ROW);
            c.setCellEvent((cell, r, canvases) -> {
                PdfContentByte bg = canvases[PdfPTable.BACKGROUNDCANVAS];
                bg.saveState();
                bg.setColorFill(LIGHT);
                bg.rectangle(r.getLeft(), r.getTop() - SUMMARY_ROW, r.getWidth(), SUMMARY_ROW);
                bg.fill();
                bg.restoreState();
                PdfContentByte lines = canvases[PdfPTable.LINECANVAS];
                lines.saveState();
                lines.setLineWidth(0.5f);
                lines.setColorStroke(BORDER);
                lines.rectangle(r.getLeft(), r.getBottom(), r.getWidth(), r.getHeight());
                lines.moveTo(r.getLeft(), r.getTop() - SUMMARY_ROW);
                lines.lineTo(r.getRight(), r.getTop() - SUMMARY_ROW);
                float w = r.getWidth() / SUMMARY_HEAD.length;
                for (int i = 1; i < SUMMARY_HEAD.length; i++) {
                    lines.moveTo(r.getLeft() + i * w, r.getBottom());
                    lines.lineTo(r.getLeft() + i * w, r.getTop());
                }
                lines.stroke();
                lines.restoreState();
                PdfContentByte cb = canvases[PdfPTable.TEXTCANVAS];
                cb.saveState();
                cb.beginText();
                cb.setColorFill(Color.BLACK);
                for (int i = 0; i < SUMMARY_HEAD.length; i++) {
                    float cx = r.getLeft() + i * w + w / 2;
                    cb.setFontAndSize(bold, 9);
                    cb.showTextAligned(Element.ALIGN_CENTER, SUMMARY_HEAD[i], cx, r.getTop() - 11.5f, 0);
                    cb.setFontAndSize(regular, 9);
                    cb.showTextAligned(Element.ALIGN_CENTER, values[i], cx, r.getTop() - SUMMARY_ROW - 11.5f, 0);
                }
                cb.endText();
                cb.restoreState();
            });
            t.addCell(c);
            return t;
        }

        private PdfPTable commentBox(String comment) {
            PdfPTable t = new PdfPTable(1);
            t.setWidthPercentage(100);
            PdfPCell c = new PdfPCell(new Phrase(11, Fmt.nz(comment), f9));
            c.setBorderWidth(0.5f);
            c.setBorderColor(BORDER);
            c.setPadding(6);
            c.setPaddingTop(3);
            t.addCell(c);
            return t;
        }

        // ---- per-document form XObjects

        private PdfTemplate header(PdfContentByte cb) throws Exception {
            School school = session.school();
            FontSet.Fonts f = session.fonts();
            float h = headerHeight;
            PdfTemplate t = cb.createTemplate(width, h);
            float x = 0;
            Image logo = session.logo();
            if (logo != null) {
                float box = Math.min(h - 10, 56);
                float scale = Math.min(box / logo.getWidth(), box / logo.getHeight());
                float lw = logo.getWidth() * scale;
                float lh = logo.getHeight() * scale;
                t.addImage(logo, lw, 0, 0, lh, 0, h - lh - 2);
                x = lw + 8;
            }
            float leftWidth = width * 0.68f - x;
            float nameSize = 14;
            String name = Fmt.nz(school.name());
            while (nameSize > 8 && f.bold().getWidthPoint(name, nameSize) > leftWidth) {
                nameSize -= 0.5f;
            }
            t.beginText();
            t.setColorFill(ACCENT);
            t.setFontAndSize(f.bold(), nameSize);
            t.showTextAligned(Element.ALIGN_LEFT, name, x, h - 13, 0);
            t.setColorFill(GRAY);
            t.setFontAndSize(f.regular(), 8.5f);
            float y = h - 25;
            if (school.district() != null) {
                t.showTextAligned(Element.ALIGN_LEFT, school.district(), x, y, 0);
                y -= 10.5f;
            }
            for (String line : school.address().subList(0, Math.min(4, school.address().size()))) {
                t.showTextAligned(Element.ALIGN_LEFT, line, x, y, 0);
                y -= 10.5f;
            }
            t.setColorFill(ACCENT);
            t.setFontAndSize(f.bold(), 11);
            t.showTextAligned(Element.ALIGN_RIGHT, "STUDENT REPORT CARD", width, h - 12, 0);
            t.setColorFill(Color.BLACK);
            t.setFontAndSize(f.regular(), 8.5f);
            t.showTextAligned(Element.ALIGN_RIGHT, Fmt.nz(school.term()), width, h - 24, 0);
            t.setColorFill(GRAY);
            if (school.issued() != null) {
                t.showTextAligned(Element.ALIGN_RIGHT, "Issued " + school.issued(), width, h - 34.5f, 0);
            }
            t.endText();
            t.setColorStroke(ACCENT);
            t.setLineWidth(1.5f);
            t.moveTo(0, 1);
            t.lineTo(width, 1);
            t.stroke();
            return t;
        }

        private PdfTemplate footer(PdfContentByte cb) {
            PdfTemplate t = cb.createTemplate(width, 30);
            t.setColorStroke(BORDER);
            t.setLineWidth(1);
            t.moveTo(0, 24);
            t.lineTo(width, 24);
            t.stroke();
            t.beginText();
            t.setFontAndSize(regular, 7);
            t.showTextAligned(Element.ALIGN_LEFT, Fmt.nz(session.school().name()) + " · Confidential student record",
                    0, 12, 0);
            t.endText();
            return t;
        }

        private PdfTemplate signatures(PdfContentByte cb) {
            FontSet.Fonts f = session.fonts();
            PdfTemplate t = cb.createTemplate(width, SIGNATURE_HEIGHT);
            float w = (width - 40) / 3f;
            String[][] blocks = {{"Advisor", "Signature and date"},
                    {"Principal", session.school().principal() == null ? "Signature and date" : session.school().principal()},
                    {"Parent / Guardian", "Signature and date"}};
            t.setLineWidth(1);
            for (int i = 0; i < 3; i++) {
                float x = i * (w + 20);
                t.moveTo(x, SIGNATURE_HEIGHT - 1);
                t.lineTo(x + w, SIGNATURE_HEIGHT - 1);
            }
            t.stroke();
            t.beginText();
            for (int i = 0; i < 3; i++) {
                float x = i * (w + 20);
                t.setColorFill(Color.BLACK);
                t.setFontAndSize(f.bold(), 8);
                t.showTextAligned(Element.ALIGN_LEFT, blocks[i][0], x, SIGNATURE_HEIGHT - 11, 0);
                t.setColorFill(GRAY);
                t.setFontAndSize(f.regular(), 7.5f);
                t.showTextAligned(Element.ALIGN_LEFT, blocks[i][1], x, SIGNATURE_HEIGHT - 21, 0);
            }
            t.endText();
            return t;
        }

        @Override
        public void onEndPage(PdfWriter writer, Document document) {
            PdfContentByte cb = writer.getDirectContent();
            float top = page.getHeight() - MARGIN;
            cb.addTemplate(header, MARGIN, top - headerHeight);
            cb.addTemplate(footer, MARGIN, 10);
            pageInStudent++;
            float right = page.getWidth() - MARGIN;
            cb.beginText();
            cb.setFontAndSize(regular, 7.5f);
            cb.showTextAligned(Element.ALIGN_RIGHT, "Page " + pageInStudent + " of ", right - totalWidth, 29, 0);
            cb.endText();
            cb.addTemplate(total, right - totalWidth, 27);
        }
    }
}
