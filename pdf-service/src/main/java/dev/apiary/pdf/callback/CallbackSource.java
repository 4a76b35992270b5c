package dev.apiary.pdf.callback;

import java.util.Optional;

/**
 * What a callback says, read when it is sent (so a retry sends the current status). Provided by the report
 * feature; this package knows nothing of reports beyond their id.
 */
@FunctionalInterface
public interface CallbackSource {

    /** The payload for {@code reportId}, or empty when the report no longer exists (nothing to send). */
    Optional<Payload> payload(String reportId);

    /** @param state the report's state (the event is {@code report.<state>}); @param json the body */
    record Payload(String state, String json) {
    }
}
