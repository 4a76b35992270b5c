package dev.apiary.alert.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.Keys;
import dev.apiary.common.events.Event;
import dev.apiary.common.events.EventHub;
import dev.apiary.common.events.Snapshot;
import dev.apiary.common.events.StateSource;
import dev.apiary.common.events.StateStreams;
import dev.apiary.common.events.StreamOptions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Alert progress as Server-Sent Events on common's {@link EventHub}: every delivery change is published on the
 * alert's Redis channel (by the Lua scripts, from any instance); a stream sends the summary on connect, then a fresh
 * one after changes (at most 4 a second, coalesced), and ends once the alert is finished. Events are named
 * {@code progress}; an alert that disappears ends its streams with {@code gone}.
 */
@Component
public class AlertProgress {
    private final StateStreams<AlertAnswers.Summary> streams;

    public AlertProgress(EventHub hub, AlertStore store, AlertViews views) {
        StateSource<AlertAnswers.Summary> source = new StateSource<>() {
            @Override
            public String channel(String id) {
                return Keys.events(id);
            }

            @Override
            public Optional<Snapshot<AlertAnswers.Summary>> read(String id) {
                Map<String, String> meta = store.meta(id);
                if (meta.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(Snapshot.of(views.summary(meta, false), AlertViews.finished(meta)));
            }
        };
        this.streams = hub.states("alert", "progress", source, StreamOptions.defaults().withMaxEventsPerSecond(4)
                .withGoneEvent(id -> Event.of("gone", Map.of("id", id))));
    }

    /** Streams the alert's progress to this request (its access was checked by the caller). */
    public void open(String alertId, HttpServletRequest request, HttpServletResponse response) {
        streams.open(alertId, request, response);
    }

    /** As {@link #open}, ending at {@code endsAt} (the page's view token expiry). */
    public void open(String alertId, Instant endsAt, HttpServletRequest request, HttpServletResponse response) {
        streams.open(alertId, endsAt, request, response);
    }
}
