package dev.apiary.alert.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.apiary.alert.core.Channel;
import dev.apiary.alert.core.DeliveryStates;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.Keys;
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
    public Map<String, Object> summary(Map<String, String> meta, boolean withRejectedList) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", meta.get("id"));
        v.put("school_id", meta.get("school_id"));
        v.put("state", meta.get("state"));
        v.put("finished", finished(meta));
        v.put("created_at", time(meta.get("created_at")));
        v.put("finished_at", time(meta.get("finished_at")));
        v.put("canceled_at", time(meta.get("canceled_at")));
        v.put("recipients", num(meta.get("recipients")));
        v.put("deliveries", num(meta.get("total")));
        Map<String, Object> channels = new LinkedHashMap<>();
        for (String c : meta.getOrDefault("channels", "").split(",")) {
            Channel ch = Channel.parse(c).orElse(null);
            if (ch == null) {
                continue;
            }
            Map<String, Object> cv = new LinkedHashMap<>();
            cv.put("total", num(meta.get("n:" + c)));
            cv.put("finished", num(meta.get("final:" + c)));
            long reached = 0;
            Map<String, Long> states = new LinkedHashMap<>();
            for (String s : ch.states()) {
                long n = num(meta.get("c:" + c + ":" + s));
                states.put(s, n);
                if (DeliveryStates.REACHED.contains(s)) {
                    reached += n;
                }
            }
            cv.put("reached", reached);
            cv.put("states", states);
            channels.put(c, cv);
        }
        v.put("channels", channels);
        String rejected = meta.getOrDefault("rejected", "[]");
        List<?> list = JSON.readValue(rejected, List.class);
        v.put("rejected_count", list.size());
        if (withRejectedList) {
            v.put("rejected", list);
        }
        return v;
    }

    /** Recipients not reached so far: deliveries that ended unreached, plus recipients rejected up front. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> unreached(String alertId, Map<String, String> meta, int limit) {
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
        List<Map<String, String>> rejected = JSON.readValue(meta.getOrDefault("rejected", "[]"), List.class);
        rejected.forEach(r -> rids.add(r.get("recipient_id")));
        Map<String, String> names = rids.isEmpty() ? Map.of() : store.names(alertId, rids);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int k = 0; k < infos.size(); k++) {
            AlertStore.DeliveryInfo info = infos.get(k);
            String reason = why.get(k) == null ? null : why.get(k).toString();
            String state = states.get(Integer.toString(info.index())).toString();
            for (String r : info.recipientIds()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("recipient_id", r);
                row.put("name", names.get(r));
                row.put("channel", info.channel());
                row.put("state", state);
                row.put("reason", reason == null ? state : reason);
                rows.add(row);
            }
        }
        for (Map<String, String> r : rejected) {
            if (rows.size() >= limit) {
                break;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("recipient_id", r.get("recipient_id"));
            row.put("name", names.get(r.get("recipient_id")));
            row.put("channel", r.get("channel"));
            row.put("state", "rejected");
            row.put("reason", r.get("reason"));
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", alertId);
        out.put("finished", finished(meta));
        out.put("total", total + rejected.size());
        out.put("truncated", total + rejected.size() > rows.size());
        out.put("not_reached", rows);
        return out;
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
