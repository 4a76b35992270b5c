package dev.apiary.pdf.render;

/** A character of a student's data that the font cannot print (it would be dropped from the PDF). */
public record GlyphWarning(String studentId, String character, String codePoint, String font) {

    public static GlyphWarning of(String studentId, int cp, String font) {
        return new GlyphWarning(studentId, new String(Character.toChars(cp)), String.format("U+%04X", cp), font);
    }

    public String message() {
        return "student " + studentId + ": character '" + character + "' (" + codePoint + ") is not in font " + font;
    }
}
