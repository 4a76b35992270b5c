package dev.apiary.common.queue;

import java.util.Map;

/** One queue entry handed to a {@link WorkHandler}; {@code attempt} starts at 1. */
public record WorkItem(String id, Map<String, String> fields, int attempt) {
    public String field(String name) {
        return fields.get(name);
    }
}
