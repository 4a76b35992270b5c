package dev.apiary.gradebook.source;

/** Source data (from the legacy app or a /calculate body) that breaks the contract; names the field. */
public class SourceFormatException extends RuntimeException {
    private final String field;

    public SourceFormatException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return getMessage().substring(field.length() + 2);
    }
}
