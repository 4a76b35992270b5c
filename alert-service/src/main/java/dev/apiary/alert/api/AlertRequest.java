package dev.apiary.alert.api;

import java.util.List;
import java.util.Map;

import dev.apiary.alert.core.Translations;

/** Body of {@code POST /api/alerts/v1/alerts} (snake_case JSON). */
public record AlertRequest(String schoolId, String subject, String text, String html, String voiceText,
                           String language, List<String> channels, List<Recipient> recipients,
                           Map<String, Translations.Variant> translations) {

    public record Recipient(String id, String name, String email, String phone, String language) {
    }
}
