package dev.apiary.alert.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.alert.store.AlertStore.DeliveryInfo;
import dev.apiary.alert.store.AlertStore.DeliveryView;
import dev.apiary.alert.store.AlertStore.Page;

/** Reads a page of one alert's deliveries in index order ({@link AlertStore#page}). */
final class DeliveryPages {
    private DeliveryPages() {
    }

    static Page read(StringRedisTemplate redis, String id, Map<String, String> meta, String channel, String state,
                     int cursor, int limit) {
        int total = Integer.parseInt(meta.getOrDefault("total", "0"));
        int from = cursor;
        int to = total;
        if (channel != null) {
            String r = meta.get("range:" + channel);
            if (r == null) {
                return new Page(List.of(), null);
            }
            String[] p = r.split(",");
            from = Math.max(from, Integer.parseInt(p[0]));
            to = Integer.parseInt(p[1]);
        }
        List<DeliveryView> out = new ArrayList<>();
        int i = from;
        while (i < to && out.size() < limit) {
            int end = Math.min(to, i + 500);
            List<Object> fields = new ArrayList<>();
            for (int k = i; k < end; k++) {
                fields.add(Integer.toString(k));
            }
            List<Object> states = redis.opsForHash().multiGet(Keys.states(id), fields);
            List<Object> matched = new ArrayList<>();
            for (int k = 0; k < fields.size(); k++) {
                if (state == null || state.equals(states.get(k))) {
                    matched.add(fields.get(k));
                }
            }
            if (matched.size() > limit - out.size()) {
                matched = matched.subList(0, limit - out.size());
            }
            if (!matched.isEmpty()) {
                List<Object> infos = redis.opsForHash().multiGet(Keys.deliveries(id), matched);
                List<Object> pids = redis.opsForHash().multiGet(Keys.providerIds(id), matched);
                List<Object> why = redis.opsForHash().multiGet(Keys.reasons(id), matched);
                List<Object> st = redis.opsForHash().multiGet(Keys.states(id), matched);
                for (int k = 0; k < matched.size(); k++) {
                    int index = Integer.parseInt(matched.get(k).toString());
                    DeliveryInfo info = AlertStore.parseInfo(index, infos.get(k).toString());
                    out.add(new DeliveryView(id + "." + index, info.channel(), info.recipientIds(), info.address(),
                            str(st.get(k)), str(pids.get(k)), str(why.get(k)), info.language()));
                }
                if (out.size() >= limit) {
                    i = index(matched.getLast()) + 1;
                    break;
                }
            }
            i = end;
        }
        return new Page(out, i < to ? i : null);
    }

    private static int index(Object o) {
        return Integer.parseInt(o.toString());
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
