package dev.apiary.gradebook.events;

import dev.apiary.common.events.Event;
import dev.apiary.common.events.EventHub;
import dev.apiary.common.events.StreamOptions;
import dev.apiary.common.events.TopicStreams;
import dev.apiary.gradebook.view.Views;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Map;

/**
 * The live streams of sections on this instance (common's event hub): {@code ready} on connect, then
 * {@code score} (a student's new grades) and {@code reload} (refetch the section) for the changes this instance
 * applies. At most 10 sends a second per section; waiting events coalesce per student (the newest grades win)
 * and reloads into one.
 */
@Component
public class SectionEvents {

    private final TopicStreams streams;

    public SectionEvents(EventHub hub) {
        this.streams = hub.topics("section", StreamOptions.defaults().withMaxEventsPerSecond(10));
    }

    /** Streams the section to this request until {@code endsAt} (the viewer's token expiry; null: no limit). */
    public void open(long sectionId, Instant endsAt, HttpServletRequest request, HttpServletResponse response) {
        streams.open(Long.toString(sectionId), Event.of("ready", Map.of("section_id", sectionId)), endsAt, request,
                response);
    }

    public int listeners(long sectionId) {
        return streams.clients(Long.toString(sectionId));
    }

    public void score(Views.ScoreEvent event) {
        streams.publish(Long.toString(event.sectionId()),
                Event.of("score", event).coalescing("student:" + event.student().id()));
    }

    public void reload(Views.ReloadEvent event) {
        streams.publish(Long.toString(event.sectionId()), Event.of("reload", event).coalescing("reload"));
    }
}
