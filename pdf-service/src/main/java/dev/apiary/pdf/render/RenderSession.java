package dev.apiary.pdf.render;

import org.openpdf.text.Document;
import org.openpdf.text.Image;
import org.openpdf.text.Rectangle;
import org.openpdf.text.pdf.PdfPageEvent;
import org.openpdf.text.pdf.PdfWriter;

/** What a template renders into: one PDF document (a part of a report, or all of it). */
public final class RenderSession {
    private final Document document;
    private final PdfWriter writer;
    private final FontSet fontSet;
    private final FontSet.Fonts fonts;
    private final TextPainter text;
    private final TextCells cells;
    private final Labels labels;
    private final School school;
    private final Image logo;
    private final WarningCollector warnings;
    private final RenderListener listener;
    private int studentsDone;

    RenderSession(Document document, PdfWriter writer, FontSet fontSet, School school, Image logo,
                  WarningCollector warnings, RenderListener listener) {
        this.document = document;
        this.writer = writer;
        this.fontSet = fontSet;
        this.fonts = fontSet.open();
        this.labels = Labels.of(school.locale());
        this.text = new TextPainter(fontSet, fonts, labels.locale(), labels.rtl());
        this.cells = new TextCells(text);
        this.school = school;
        this.logo = logo;
        this.warnings = warnings;
        this.listener = listener;
    }

    /** Sets margins and the page event, then opens the document. Call once, before adding content. */
    public void open(Rectangle pageSize, float left, float right, float top, float bottom, PdfPageEvent event) {
        document.setPageSize(pageSize);
        document.setMargins(left, right, top, bottom);
        if (event != null) {
            writer.setPageEvent(event);
        }
        document.open();
    }

    public Document document() {
        return document;
    }

    public PdfWriter writer() {
        return writer;
    }

    public FontSet.Fonts fonts() {
        return fonts;
    }

    /** Lays out and draws text of any script with this document's fonts. */
    public TextPainter text() {
        return text;
    }

    /** The report's words, dates and numbers in its locale. */
    public Labels labels() {
        return labels;
    }

    TextCells cells() {
        return cells;
    }

    public School school() {
        return school;
    }

    /** The school logo, or null. */
    public Image logo() {
        return logo;
    }

    /** Records a warning for every character of {@code text} the font lacks. */
    public void check(String studentId, String text) {
        fontSet.missing(text, cp -> warnings.add(studentId, cp, fontSet.family()));
    }

    /** Checks every printed text field of a student. */
    public void check(Student s) {
        String id = s.id();
        check(id, s.displayName());
        check(id, s.id());
        check(id, s.homeroom());
        check(id, s.advisor());
        check(id, s.advisorComment());
        for (Course c : s.courses()) {
            check(id, c.code());
            check(id, c.title());
            check(id, c.teacher());
            check(id, c.finalGrade());
            check(id, c.comment());
        }
    }

    /** Records that a student's card took {@code pages} pages (more than one: a warning). */
    public void pages(String studentId, int pages) {
        if (pages > 1) {
            warnings.multiPage(studentId, pages);
        }
    }

    /** Call after each student is laid out: counts it and lets the listener cancel. */
    public void studentDone() {
        studentsDone++;
        listener.studentRendered(studentsDone);
    }

    public int studentsDone() {
        return studentsDone;
    }
}
