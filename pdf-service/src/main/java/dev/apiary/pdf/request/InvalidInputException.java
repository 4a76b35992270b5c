package dev.apiary.pdf.request;

/** Bad request data; {@code field} is the JSON path of the offending field (e.g. {@code students[3].courses[0].final}). */
public class InvalidInputException extends RuntimeException {
    private final String field;
    private final boolean tooLarge;

    public InvalidInputException(String field, String message) {
        this(field, message, false);
    }

    public InvalidInputException(String field, String message, boolean tooLarge) {
        super(message);
        this.field = field;
        this.tooLarge = tooLarge;
    }

    public String field() {
        return field;
    }

    /** True when the request is over a size limit (answer 413). */
    public boolean tooLarge() {
        return tooLarge;
    }
}
