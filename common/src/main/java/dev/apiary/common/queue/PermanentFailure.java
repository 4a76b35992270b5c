package dev.apiary.common.queue;

/** A failure that no retry can mend: the entry goes straight to the dead-letter stream. */
public class PermanentFailure extends RuntimeException {
    public PermanentFailure(String message) {
        super(message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
