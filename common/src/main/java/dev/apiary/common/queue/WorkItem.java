package dev.apiary.common.queue;

import java.util.Map;

/**
 * One queue entry handed to a {@link WorkHandler}. {@code attempt} starts at 1 and counts handler failures
 * (exceptions) only: an entry taken over from a dead consumer keeps its attempt. {@code crashes} is how often a
 * consumer died (crash, kill) while handling this entry; above 0 the earlier run may have done part of the work
 * without recording it, so a handler with outside effects (a message sent) checks before redoing them.
 */
public record WorkItem(String id, Map<String, String> fields, int attempt, int crashes) {
    public WorkItem(String id, Map<String, String> fields, int attempt) {
        this(id, fields, attempt, 0);
    }

    public String field(String name) {
        return fields.get(name);
    }

    /** The work may have been partly done before: a retry after a failure, or taken over from a dead consumer. */
    public boolean mayBePartlyDone() {
        return attempt > 1 || crashes > 0;
    }
}
