package dev.apiary.alert.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns recipients x channels into deliveries: one per distinct address per channel (a phone shared by
 * several guardians gets one SMS and one call, an email shared gets one email), in channel order
 * email, sms, voice. Recipients without a usable address for a channel are listed as rejected.
 */
public final class AlertPlan {

    public record Recipient(String id, String name, String email, String phone, String language) {
    }

    public record Delivery(Channel channel, String address, List<String> recipientIds, String language) {
    }

    public record Rejection(String recipientId, String channel, String reason) {
    }

    public record Plan(List<Delivery> deliveries, List<Rejection> rejected) {
        public List<Delivery> of(Channel c) {
            return deliveries.stream().filter(d -> d.channel() == c).toList();
        }
    }

    private AlertPlan() {
    }

    public static Plan build(List<Channel> channels, List<Recipient> recipients, Addresses addresses,
                             String defaultLanguage) {
        List<Delivery> deliveries = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        for (Channel c : Channel.values()) {
            if (!channels.contains(c)) {
                continue;
            }
            Map<String, List<String>> byAddress = new LinkedHashMap<>();
            Map<String, String> languages = new LinkedHashMap<>();
            for (Recipient r : recipients) {
                String raw = c == Channel.EMAIL ? r.email() : r.phone();
                if (raw == null || raw.isBlank()) {
                    rejected.add(new Rejection(r.id(), c.id(), c == Channel.EMAIL ? "no_email" : "no_phone"));
                    continue;
                }
                Optional<String> addr = c == Channel.EMAIL ? addresses.email(raw) : addresses.phone(raw);
                if (addr.isEmpty()) {
                    rejected.add(new Rejection(r.id(), c.id(), c == Channel.EMAIL ? "invalid_email" : "invalid_phone"));
                    continue;
                }
                byAddress.computeIfAbsent(addr.get(), a -> new ArrayList<>()).add(r.id());
                languages.putIfAbsent(addr.get(), r.language() == null || r.language().isBlank()
                        ? defaultLanguage : r.language());
            }
            byAddress.forEach((a, ids) -> deliveries.add(new Delivery(c, a, List.copyOf(ids), languages.get(a))));
        }
        return new Plan(List.copyOf(deliveries), List.copyOf(rejected));
    }
}
