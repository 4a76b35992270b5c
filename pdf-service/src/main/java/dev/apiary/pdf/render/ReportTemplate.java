package dev.apiary.pdf.render;

import java.util.Iterator;

/** A kind of group report. Implementations are stateless; all per-document state lives in the render call. */
public interface ReportTemplate {

    /** The name clients send as {@code "template"}. */
    String name();

    /**
     * Whether the students may be split into parts rendered independently (in parallel, on any instance) and
     * merged in order. A template that needs all students at once (e.g. to group them) answers false.
     */
    boolean chunkable();

    /** Lays out {@code students} into the session's document; calls {@code session.open(...)} first. */
    void render(RenderSession session, PaperSize paper, Iterator<Student> students) throws Exception;
}
