package dev.apiary.pdf.render;

import org.openpdf.text.Document;
import org.openpdf.text.Element;
import org.openpdf.text.Font;
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
 * "Page X of Y" counted per student. A long card continues on more pages, each with the student's name and id under
 * the header. Labels, dates and numbers follow the report's locale; Arabic lays the card out right to left. Parts
 * are independent, so the template is chunkable.
 *
 * <p>Everything that is the same on every page (header, footer, signature lines) is drawn once per document as a
 * form XObject ({@link CardForms}) and placed on each page, which keeps pages small and fast.
 */
public final class ReportCardTemplate implements ReportTemplate {
    static final Color ACCENT = new Color(0x1F, 0x3A, 0x5F);
    static final Color GRAY = new Color(0x66, 0x66, 0x66);
    static final Color LIGHT = new Color(0xEE, 0xEE, 0xEE);
    static final Color BORDER = new Color(0xBB, 0xBB, 0xBB);
    static final Color DARK = new Color(0x33, 0x33, 0x33);

    static final float MARGIN = 36;
    static final float BOTTOM = 44;
    private static final float[] COURSE_WIDTHS = {50, 150, 124};
    private static final String[] SUMMARY_KEYS = {"summary.school_days", "summary.present", "summary.absent",
            "summary.tardy", "summary.attendance", "summary.credits_earned", "summary.gpa"};
    private static final float SUMMARY_ROW = 15.5f;
    /** Height of the student's line on a continuation page. */
    private static final float CONTINUATION = 16;

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
        private final TextPainter txt;
        private final TextCells cells;
        private final Labels labels;
        private final boolean rtl;
        private final Rectangle page;
        private final float width;
        private final BaseFont regular;
        private final BaseFont bold;
        private final float numericWidth;
        private final float[] numericWidths;
        private final String[] numericHead;
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
        /** The student being laid out (its name and id repeat on its continuation pages). */
        private Student current;
        private boolean betweenCards;

        Run(RenderSession session, Rectangle page) {
            this.session = session;
            this.txt = session.text();
            this.cells = session.cells();
            this.labels = session.labels();
            this.rtl = labels.rtl();
            this.page = page;
            this.width = page.getWidth() - 2 * MARGIN;
            FontSet.Fonts f = session.fonts();
            this.regular = f.regular();
            this.bold = f.bold();
            this.numericWidth = width - COURSE_WIDTHS[0] - COURSE_WIDTHS[1] - COURSE_WIDTHS[2];
            this.numericWidths = new float[]{24, 24, 24, 24, 30, 34, numericWidth - 160};
            List<String> terms = session.school().terms(labels);
            this.numericHead = new String[]{terms.get(0), terms.get(1), terms.get(2), terms.get(3),
                    labels.get("col.average"), labels.get("col.final"), labels.get("col.credits")};
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
            if (rtl) {
                writer.setRunDirection(PdfWriter.RUN_DIRECTION_RTL);
            }
            PdfContentByte cb = writer.getDirectContent();
            CardForms forms = new CardForms(session, width);
            header = forms.header(cb, headerHeight);
            footer = forms.footer(cb);
            signatures = forms.signatures(cb);
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
                    // a new card starts on a page with the normal margins (continuation pages have a taller top)
                    betweenCards = true;
                    doc.setMargins(MARGIN, MARGIN, MARGIN + headerHeight + 8, BOTTOM);
                    doc.newPage();
                    betweenCards = false;
                    writer.releaseTemplate(previous);
                }
                first = false;
                pageInStudent = 0;
                current = s;
                total = cb.createTemplate(totalWidth, 10);
                card(doc, cb, s);
                int pages = pageInStudent + 1;
                session.pages(s.id(), pages);
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
            doc.add(heading(labels.get("section.attendance")));
            doc.add(summary(s));
            doc.add(heading(labels.get("section.advisor_comments")));
            doc.add(box(Fmt.nz(s.advisorComment()), f9, 11, true));
            PdfPTable legend = box(legend(), f7Gray, 8.5f, false);
            legend.setSpacingBefore(6);
            doc.add(legend);
            float sigTop = BOTTOM + 60;
            if (session.writer().getVerticalPosition(true) < sigTop + 8) {
                doc.newPage();
            }
            cb.addTemplate(signatures, MARGIN, sigTop - CardForms.SIGNATURE_HEIGHT);
        }

        /** "Grading scale: A ≥ 93 · ... T1–T4: term marks; Avg: average." (the scale only when there is one). */
        private String legend() {
            GradingScale scale = session.school().scale();
            String terms = numericHead[0] + "–" + numericHead[3];
            String cols = labels.format("scale.legend", terms, numericHead[4]);
            return scale.isEmpty() ? cols : labels.get("scale.title") + ": " + scale.legend(labels) + ". " + cols;
        }

        /** x of the start of a column that starts {@code offset} into a box of {@code w} at {@code left}. */
        private float startX(float left, float w, float offset) {
            return rtl ? left + w - offset : left + offset;
        }

        private int start() {
            return rtl ? Element.ALIGN_RIGHT : Element.ALIGN_LEFT;
        }

        /**
         * The student block (3 rows of label/value pairs) as one fixed-height cell drawn by a cell event: no
         * per-cell text layout for a dozen one-line cells.
         */
        private PdfPTable studentBlock(Student s) {
            String[][] rows = {
                    {labels.get("card.student"), Fmt.nz(s.displayName()), labels.get("card.student_id"), Fmt.nz(s.id())},
                    {labels.get("card.grade_level"), Fmt.num(s.gradeLevel()), labels.get("card.homeroom"),
                            Fmt.nz(s.homeroom())},
                    {labels.get("card.advisor"), Fmt.nz(s.advisor()), labels.get("card.date_of_birth"),
                            labels.date(s.dateOfBirth())}};
            PdfPTable t = table(1);
            t.setSpacingAfter(10);
            PdfPCell c = new PdfPCell();
            c.setBorder(Rectangle.NO_BORDER);
            c.setFixedHeight(44);
            c.setCellEvent((cell, r, canvases) -> {
                PdfContentByte cb = canvases[PdfPTable.TEXTCANVAS];
                cb.saveState();
                float w = r.getWidth();
                float[] offsets = {4, 0.14f * w + 4, 0.54f * w + 4, 0.68f * w + 4};
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
                        while (size > 5 && txt.width(text, bf, size) > room[col]) {
                            size -= 0.5f;
                        }
                        cb.setColorFill(label ? GRAY : Color.BLACK);
                        txt.show(cb, start(), text, startX(r.getLeft(), w, offsets[col]), y, bf, size);
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
            float[] widths = {COURSE_WIDTHS[0], COURSE_WIDTHS[1], COURSE_WIDTHS[2], numericWidth};
            t.setTotalWidth(rtl ? reversed(widths) : widths);
            t.setLockedWidth(true);
            t.setHeaderRows(1);
            t.setSpacingAfter(10);
            String[] head = {labels.get("col.code"), labels.get("col.course"), labels.get("col.teacher")};
            row(t, cell(head[0], f85White, COURSE_WIDTHS[0], ACCENT), cell(head[1], f85White, COURSE_WIDTHS[1], ACCENT),
                    cell(head[2], f85White, COURSE_WIDTHS[2], ACCENT), numeric(numericHead, ACCENT, true));
            for (Course c : courses) {
                String[] values = new String[7];
                for (int m = 0; m < 4; m++) {
                    values[m] = m < c.marks().size() ? labels.number(Fmt.mark(c.marks().get(m))) : "";
                }
                values[4] = labels.number(Fmt.fixed(c.average(), 1));
                values[5] = Fmt.nz(c.finalGrade());
                values[6] = labels.number(Fmt.fixed(c.credits(), 1));
                row(t, cell(Fmt.nz(c.code()), f85, COURSE_WIDTHS[0], LIGHT), cell(Fmt.nz(c.title()), f85, COURSE_WIDTHS[1], LIGHT),
                        cell(Fmt.nz(c.teacher()), f85, COURSE_WIDTHS[2], LIGHT), numeric(values, LIGHT, false));
                if (c.comment() != null && !c.comment().isBlank()) {
                    cells.rows(c.comment(), f75Italic, 9.2f, width - 16, false, TextCells.LINES_PER_ROW, comment -> {
                        comment.setColspan(4);
                        comment.setBorderWidth(0.5f);
                        comment.setBorderColor(BORDER);
                        comment.setPaddingTop(1);
                        comment.setPaddingRight(rtl ? 12 : 4);
                        comment.setPaddingBottom(4);
                        comment.setPaddingLeft(rtl ? 4 : 12);
                    }).forEach(t::addCell);
                }
            }
            return t;
        }

        /** A row of the courses table; right to left, its columns in the mirrored order. */
        private void row(PdfPTable t, PdfPCell... cells) {
            for (int i = 0; i < cells.length; i++) {
                t.addCell(cells[rtl ? cells.length - 1 - i : i]);
            }
        }

        private static float[] reversed(float[] a) {
            float[] r = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = a[a.length - 1 - i];
            }
            return r;
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
                float offset = 0;
                for (int i = 0; i < numericWidths.length - 1; i++) {
                    offset += numericWidths[i];
                    float x = startX(r.getLeft(), r.getWidth(), offset);
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
                offset = 0;
                for (int i = 0; i < values.length; i++) {
                    float cx = startX(r.getLeft(), r.getWidth(), offset + numericWidths[i] / 2);
                    txt.show(cb, Element.ALIGN_CENTER, values[i], cx, y, head || i == 5 ? bold : regular, 8.5f);
                    offset += numericWidths[i];
                }
                cb.endText();
                cb.restoreState();
            });
            return c;
        }

        /** A wrapped cell of a course column ({@code columnWidth} wide) on {@code background}. */
        private PdfPCell cell(String text, Font font, float columnWidth, Color background) {
            return cells.cell(text, font, font.getSize() * 1.2f, columnWidth - 8, false, c -> {
                c.setBorderWidth(0.5f);
                c.setBorderColor(BORDER);
                c.setPaddingTop(1.5f);
                c.setPaddingBottom(4);
                c.setPaddingLeft(4);
                c.setPaddingRight(4);
                c.setBackgroundColor(background);
            });
        }

        private PdfPTable table(int columns) {
            PdfPTable t = new PdfPTable(columns);
            t.setTotalWidth(width);
            t.setLockedWidth(true);
            if (rtl) {
                t.setRunDirection(PdfWriter.RUN_DIRECTION_RTL);
            }
            return t;
        }

        /** A section heading (any script). */
        private PdfPTable heading(String text) {
            PdfPTable t = box(text, f10Accent, 12, false);
            t.setSpacingAfter(4);
            return t;
        }

        /** Text in rows that may continue across pages; {@code border}: the comment box. */
        private PdfPTable box(String text, Font font, float leading, boolean border) {
            PdfPTable t = table(1);
            cells.rows(text, font, leading, width - (border ? 12 : 0), false, TextCells.LINES_PER_ROW, c -> {
                if (border) {
                    c.setBorderWidth(0.5f);
                    c.setBorderColor(BORDER);
                    c.setPadding(6);
                    c.setPaddingTop(3);
                } else {
                    c.setBorder(Rectangle.NO_BORDER);
                    c.setPadding(0);
                    c.setPaddingBottom(2);
                }
            }).forEach(t::addCell);
            return t;
        }

        /** Attendance and summary: a 2 x 7 grid drawn by one cell event. */
        private PdfPTable summary(Student s) {
            Attendance a = s.attendance();
            Integer days = session.school().schoolDays();
            GradingScale scale = session.school().scale();
            String[] values = {Fmt.num(days), a == null ? "" : Fmt.num(a.daysPresent()),
                    a == null ? "" : Fmt.num(a.daysAbsent()), a == null ? "" : Fmt.num(a.daysTardy()),
                    labels.number(Fmt.attendanceRate(a)), labels.number(Fmt.creditsEarned(s.courses(), scale)),
                    labels.number(Fmt.gpa(s.courses(), scale))};
            PdfPTable t = table(1);
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
                float w = r.getWidth() / SUMMARY_KEYS.length;
                for (int i = 1; i < SUMMARY_KEYS.length; i++) {
                    lines.moveTo(r.getLeft() + i * w, r.getBottom());
                    lines.lineTo(r.getLeft() + i * w, r.getTop());
                }
                lines.stroke();
                lines.restoreState();
                PdfContentByte cb = canvases[PdfPTable.TEXTCANVAS];
                cb.saveState();
                cb.beginText();
                cb.setColorFill(Color.BLACK);
                for (int i = 0; i < SUMMARY_KEYS.length; i++) {
                    float cx = startX(r.getLeft(), r.getWidth(), i * w + w / 2);
                    String head = labels.get(SUMMARY_KEYS[i]);
                    float size = 9;
                    while (size > 5 && txt.width(head, bold, size) > w - 4) {
                        size -= 0.5f;
                    }
                    txt.show(cb, Element.ALIGN_CENTER, head, cx, r.getTop() - 11.5f, bold, size);
                    txt.show(cb, Element.ALIGN_CENTER, values[i], cx, r.getTop() - SUMMARY_ROW - 11.5f, regular, 9);
                }
                cb.endText();
                cb.restoreState();
            });
            t.addCell(c);
            return t;
        }

        /** The student's name and id on a continuation page of their card, under the school header. */
        private void continuation(PdfContentByte cb, float y) {
            cb.saveState();
            cb.beginText();
            cb.setColorFill(ACCENT);
            float left = MARGIN;
            float right = page.getWidth() - MARGIN;
            txt.show(cb, start(), labels.format("card.continued", Fmt.nz(current.displayName()), Fmt.nz(current.id())),
                    rtl ? right : left, y + 3, bold, 9.5f);
            cb.endText();
            cb.setColorStroke(BORDER);
            cb.setLineWidth(0.5f);
            cb.moveTo(left, y);
            cb.lineTo(right, y);
            cb.stroke();
            cb.restoreState();
        }

        @Override
        public void onEndPage(PdfWriter writer, Document document) {
            PdfContentByte cb = writer.getDirectContent();
            float top = page.getHeight() - MARGIN;
            cb.addTemplate(header, MARGIN, top - headerHeight);
            cb.addTemplate(footer, MARGIN, 10);
            pageInStudent++;
            if (pageInStudent > 1 && current != null) {
                continuation(cb, top - headerHeight - 8 - CONTINUATION);
            }
            if (!betweenCards) {
                // the page after this one continues the same card: room for the student's line
                document.setMargins(MARGIN, MARGIN, MARGIN + headerHeight + 8 + CONTINUATION + 6, BOTTOM);
            }
            pageNumber(cb);
        }

        /** "Page X of Y" (the locale's words), Y being a form filled in when the card is complete. */
        private void pageNumber(PdfContentByte cb) {
            String pattern = labels.get("page.of");
            int k = pattern.indexOf("{1}");
            String before = new java.text.MessageFormat(pattern.substring(0, k), labels.locale())
                    .format(new Object[]{Integer.toString(pageInStudent)});
            String after = pattern.substring(k + 3);
            float afterWidth = txt.width(after, regular, 7.5f);
            cb.beginText();
            if (rtl) {
                // right to left: the words read from the right, the total is the leftmost
                float left = MARGIN;
                txt.show(cb, Element.ALIGN_LEFT, before.strip(), left + totalWidth + 2, 29, regular, 7.5f);
                cb.endText();
                cb.addTemplate(total, left, 27);
                return;
            }
            float right = page.getWidth() - MARGIN;
            txt.show(cb, Element.ALIGN_RIGHT, before, right - totalWidth - afterWidth, 29, regular, 7.5f);
            txt.show(cb, Element.ALIGN_RIGHT, after, right, 29, regular, 7.5f);
            cb.endText();
            cb.addTemplate(total, right - totalWidth - afterWidth, 27);
        }
    }
}
