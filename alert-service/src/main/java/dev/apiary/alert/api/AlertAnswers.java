package dev.apiary.alert.api;

import java.util.List;
import java.util.Map;

import dev.apiary.alert.core.AlertPlan;
import dev.apiary.alert.store.AlertStore;

/** The JSON answers of the alerts API (snake_case on the wire), as records so the OpenAPI document shows them. */
public final class AlertAnswers {
    private AlertAnswers() {
    }

    /** {@code 202} to a create (and to its idempotent replay). */
    public record Created(String id, int deliveries, List<AlertPlan.Rejection> rejected,
                          Map<String, Map<String, Integer>> languages, String statusUrl,
                          String pageUrl) {
    }

    /** One channel's counts. */
    public record ChannelCounts(long total, long finished, long reached, Map<String, Long> states) {
    }

    /**
     * An alert's progress: counts per channel and state. {@code rejected} (recipients refused up front) is listed in
     * the API answer and left out (null) of the progress stream's events.
     */
    public record Summary(String id, String schoolId, String client, String sentBy, String state, boolean finished,
                          String createdAt, String finishedAt, String canceledAt, long recipients, long deliveries,
                          Map<String, ChannelCounts> channels, int rejectedCount, List<AlertPlan.Rejection> rejected,
                          Map<String, Map<String, Integer>> languages) {
    }

    /** A page of deliveries; {@code next_cursor} is null on the last page. */
    public record DeliveriesPage(List<AlertStore.DeliveryView> deliveries, String nextCursor) {
    }

    /** One recipient not reached (so far) on one channel. */
    public record NotReachedRow(String recipientId, String name, String channel, String language, String state,
                                String reason) {
    }

    public record NotReached(String id, boolean finished, int total, boolean truncated,
                             List<NotReachedRow> notReached) {
    }

    public record Canceled(String id, long canceled, String state) {
    }

    public record PageLink(String pageUrl) {
    }

    /** A school's alerts, newest first; {@code next_cursor} is null on the last page. */
    public record AlertList(List<Summary> items, String nextCursor) {
    }
}
