package dev.apiary.sandbox.providers.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulator really did, per channel and recipient address: every request it saw, the sends it
 * accepted (provider ids) and the final outcome it decided for them. Tests and the benchmark compare the
 * alert-service's view against this.
 */
public final class GroundTruth {

    public static final class Entry {
        int attempts;
        final List<String> ids = new ArrayList<>();
        final List<Integer> rejections = new ArrayList<>();
        String finalStatus;
        String errorCode;
        /** What the last accepted send said: the SMS body, the call's TwiML, the email's subject and text. */
        String content;
        /** The W3C {@code traceparent} header of the last accepted send (null without one): whose trace sent it. */
        String traceparent;

        synchronized Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attempts", attempts);
            m.put("accepted", ids.size());
            m.put("ids", List.copyOf(ids));
            m.put("rejections", List.copyOf(rejections));
            m.put("final", finalStatus);
            m.put("error_code", errorCode);
            m.put("content", content);
            m.put("traceparent", traceparent);
            return m;
        }
    }

    private final Map<String, Map<String, Entry>> byChannel = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    private Entry entry(String channel, String to) {
        return byChannel.computeIfAbsent(channel, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(to, t -> new Entry());
    }

    public void attempt(String channel, String to) {
        Entry e = entry(channel, to);
        synchronized (e) {
            e.attempts++;
        }
    }

    public void rejected(String channel, String to, int code) {
        Entry e = entry(channel, to);
        synchronized (e) {
            e.rejections.add(code);
            if (e.ids.isEmpty()) {
                e.finalStatus = "rejected";
                e.errorCode = Integer.toString(code);
            }
        }
    }

    public void accepted(String channel, String to, String id, String finalStatus, String errorCode) {
        Entry e = entry(channel, to);
        synchronized (e) {
            e.ids.add(id);
            e.finalStatus = finalStatus;
            e.errorCode = errorCode;
        }
    }

    /** Records what an accepted send said (see {@code content} in the view). */
    public void content(String channel, String to, String content) {
        Entry e = entry(channel, to);
        synchronized (e) {
            e.content = content;
        }
    }

    /** Records the {@code traceparent} header an accepted send came with (see {@code traceparent} in the view). */
    public void traceparent(String channel, String to, String traceparent) {
        Entry e = entry(channel, to);
        synchronized (e) {
            e.traceparent = traceparent;
        }
    }

    public void count(String counter) {
        counters.computeIfAbsent(counter, c -> new AtomicLong()).incrementAndGet();
    }

    public Map<String, Object> view(String channel, String to) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var ch : byChannel.entrySet()) {
            if (channel != null && !channel.isBlank() && !channel.equals(ch.getKey())) {
                continue;
            }
            Map<String, Object> recipients = new LinkedHashMap<>();
            for (var r : ch.getValue().entrySet()) {
                if (to == null || to.isBlank() || to.equalsIgnoreCase(r.getKey())) {
                    recipients.put(r.getKey(), r.getValue().view());
                }
            }
            out.put(ch.getKey(), recipients);
        }
        return out;
    }

    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        counters.forEach((k, v) -> m.put(k, v.get()));
        for (var ch : byChannel.entrySet()) {
            long accepted = 0;
            long duplicates = 0;
            for (Entry e : ch.getValue().values()) {
                synchronized (e) {
                    accepted += e.ids.size();
                    duplicates += Math.max(0, e.ids.size() - 1);
                }
            }
            m.put(ch.getKey() + "_recipients", ch.getValue().size());
            m.put(ch.getKey() + "_accepted", accepted);
            m.put(ch.getKey() + "_duplicates", duplicates);
        }
        return m;
    }

    public void clear() {
        byChannel.clear();
        counters.clear();
    }
}
