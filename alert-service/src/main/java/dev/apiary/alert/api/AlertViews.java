package dev.apiary.alert.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.apiary.alert.core.AlertPlan;
import dev.apiary.alert.core.Channel;
import dev.apiary.alert.core.DeliveryStates;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.Keys;
import dev.apiary.common.tenancy.Owner;
import tools.jackson.databind.json.JsonMapper;

/** JSON views of an alert: its counts (API, SSE, page) and the list of recipients not reached. */
@Component
public class AlertViews {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final AlertStore store;
    private final org.springframework.data.redis.core.StringRedisTemplate redis;

    public AlertViews(AlertStore store, org.springframework.data.redis.core.StringRedisTemplate redis) {
        this.store = store;
        this.redis = redis;
    }

    public static boolean finished(Map<String, String> meta) {
        String s = meta.get("state");
        return "done".equals(s) || ("canceled".equals(s) && meta.get("finished_at") != null);
    }

    /** Counts per channel and state. */
    public AlertAnswers.Summary summary(Map<String, String> meta, boolean withRejectedList) {
        Map<String, AlertAnswers.ChannelCounts> channels = new LinkedHashMap<>();
        for (String c : meta.getOrDefault("channels", "").split(",")) {
            Channel ch = Channel.parse(c).orElse(null);
            if (ch == null) {
                continue;
            }
            long reached = 0;
            Map<String, Long> states = new LinkedHashMap<>();
            for (String s : ch.states()) {
                long n = num(meta.get("c:" + c + ":" + s));
                states.put(s, n);
                if (DeliveryStates.REACHED.contains(s)) {
                    reached += n;
                }
            }
            channels.put(c, new AlertAnswers.ChannelCounts(num(meta.get("n:" + c)), num(meta.get("final:" + c)),
                    reached, states));
        }
        List<AlertPlan.Rejection> rejected = rejected(meta);
        return new AlertAnswers.Summary(meta.get("id"), meta.get(Owner.SCHOOL_ID), meta.get(Owner.CLIENT),
                meta.get(Owner.ACTOR), meta.get("state"), finished(meta), time(meta.get("created_at")),
                time(meta.get("finished_at")), time(meta.get("canceled_at")), num(meta.get("recipients")),
                num(meta.get("total")), channels, rejected.size(), withRejectedList ? rejected : null, languages(meta));
    }

    /** Deliveries per channel and language (the language each one's text is in). */
    @SuppressWarnings("unchecked")
    public static Map<String, Map<String, Integer>> languages(Map<String, String> meta) {
        return JSON.readValue(meta.getOrDefault("languages", "{}"), Map.class);
    }

    /** The recipients refused up front (stored as JSON in the alert's {@code rejected} field). */
    @SuppressWarnings("unchecked")
    public static List<AlertPlan.Rejection> rejected(Map<String, String> meta) {
        List<Map<String, String>> raw = JSON.readValue(meta.getOrDefault("rejected", "[]"), List.class);
        return raw.stream().map(r -> new AlertPlan.Rejection(r.get("recipient_id"), r.get("channel"), r.get("reason")))
                .toList();
    }

    /** Recipients not reached so far: deliveries that ended unreached, plus recipients rejected up front. */
    public AlertAnswers.NotReached unreached(String alertId, Map<String, String> meta, int limit) {
        Map<Object, Object> states = redis.opsForHash().entries(Keys.states(alertId));
        List<Integer> idx = new ArrayList<>();
        states.forEach((k, s) -> {
            String st = s.toString();
            if (DeliveryStates.isFinal(st) && !DeliveryStates.REACHED.contains(st)) {
                idx.add(Integer.parseInt(k.toString()));
            }
        });
        idx.sort(Integer::compare);
        int total = idx.size();
        List<Integer> shown = idx.subList(0, Math.min(limit, idx.size()));
        List<AlertStore.DeliveryInfo> infos = store.infos(alertId, shown);
        List<Object> why = shown.isEmpty() ? List.of()
                : redis.opsForHash().multiGet(Keys.reasons(alertId), shown.stream().map(i -> (Object) i.toString()).toList());
        Set<String> rids = new LinkedHashSet<>();
        infos.forEach(i -> rids.addAll(i.recipientIds()));
        List<AlertPlan.Rejection> rejected = rejected(meta);
        rejected.forEach(r -> rids.add(r.recipientId()));
        Map<String, String> names = rids.isEmpty() ? Map.of() : store.names(alertId, rids);
        List<AlertAnswers.NotReachedRow> rows = new ArrayList<>();
        for (int k = 0; k < infos.size(); k++) {
            AlertStore.DeliveryInfo info = infos.get(k);
            String reason = why.get(k) == null ? null : why.get(k).toString();
            String state = states.get(Integer.toString(info.index())).toString();
            for (String r : info.recipientIds()) {
                rows.add(new AlertAnswers.NotReachedRow(r, names.get(r), info.channel(), info.language(), state,
                        reason == null ? state : reason));
            }
        }
        for (AlertPlan.Rejection r : rejected) {
            if (rows.size() >= limit) {
                break;
            }
            rows.add(new AlertAnswers.NotReachedRow(r.recipientId(), names.get(r.recipientId()), r.channel(), null,
                    "rejected", r.reason()));
        }
        return new AlertAnswers.NotReached(alertId, finished(meta), total + rejected.size(),
                total + rejected.size() > rows.size(), rows);
    }

    private static long num(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String time(String ms) {
        return ms == null ? null : Instant.ofEpochMilli(Long.parseLong(ms)).toString();
    }
}
