package dev.apiary.pdf.render;

/**
 * Something the report's reader should know about one student's card: a character no font of the chain prints
 * ({@code missing_glyph}: it would be dropped from the PDF), or a card that spans several pages
 * ({@code multi_page}).
 */
public record RenderWarning(Kind kind, String studentId, String character, String codePoint, Integer pages,
                            String message) {

    public enum Kind {
        missing_glyph, multi_page
    }

    public static RenderWarning missingGlyph(String studentId, int cp, String font) {
        String c = new String(Character.toChars(cp));
        String code = String.format("U+%04X", cp);
        return new RenderWarning(Kind.missing_glyph, studentId, c, code, null,
                "student " + studentId + ": character '" + c + "' (" + code + ") is not in font " + font);
    }

    public static RenderWarning multiPage(String studentId, int pages) {
        return new RenderWarning(Kind.multi_page, studentId, null, null, pages,
                "student " + studentId + ": the report card spans " + pages + " pages");
    }
}
