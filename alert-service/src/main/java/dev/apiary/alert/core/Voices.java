package dev.apiary.alert.core;

import java.util.Arrays;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.twilio.twiml.voice.Say;

/**
 * The one list of languages an alert may use: the voices of Twilio's {@code <Say>} (twilio-java's
 * {@link Say.Language}, e.g. {@code en-US}, {@code es-MX}, {@code arb}) plus bare language subtags that pick a
 * default voice ({@code es} → {@code es-MX}). A language is a BCP 47 tag, compared case-insensitively; anything
 * else (malformed, or a tag without a voice) is unsupported.
 */
public final class Voices {
    private static final Map<String, Say.Language> BY_TAG = Arrays.stream(Say.Language.values())
            .collect(Collectors.toMap(l -> l.toString().toLowerCase(Locale.ROOT), Function.identity(), (a, b) -> a));
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("en", "en-US"), Map.entry("es", "es-MX"), Map.entry("fr", "fr-FR"), Map.entry("de", "de-DE"),
            Map.entry("pt", "pt-BR"), Map.entry("it", "it-IT"), Map.entry("zh", "cmn-CN"), Map.entry("ja", "ja-JP"),
            Map.entry("ko", "ko-KR"), Map.entry("vi", "vi-VN"), Map.entry("ru", "ru-RU"), Map.entry("ar", "arb"),
            Map.entry("hi", "hi-IN"), Map.entry("pl", "pl-PL"), Map.entry("nl", "nl-NL"));

    public static final Say.Language FALLBACK = Say.Language.EN_US;

    /** The languages (bare subtags) a translation may be written in: each has a default voice. */
    public static final java.util.SortedSet<String> LANGUAGES =
            java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(DEFAULTS.keySet()));

    private Voices() {
    }

    /** The voice of a BCP 47 tag, or empty when the tag is malformed or has no voice. */
    public static Optional<Say.Language> voice(String tag) {
        if (tag == null || tag.isBlank() || tag.length() > 35) {
            return Optional.empty();
        }
        String t = tag.trim();
        try {
            new Locale.Builder().setLanguageTag(t);   // well-formed BCP 47 (throws otherwise)
        } catch (IllformedLocaleException e) {
            return Optional.empty();
        }
        String key = t.toLowerCase(Locale.ROOT);
        Say.Language exact = BY_TAG.get(key);
        if (exact != null) {
            return Optional.of(exact);
        }
        String dflt = DEFAULTS.get(key);
        return dflt == null ? Optional.empty() : Optional.ofNullable(BY_TAG.get(dflt.toLowerCase(Locale.ROOT)));
    }

    public static boolean supported(String tag) {
        return voice(tag).isPresent();
    }

    /** The voice to speak in: the tag's, or {@link #FALLBACK} for none (only validated tags reach a call). */
    public static Say.Language voiceOrDefault(String tag) {
        return voice(tag).orElse(FALLBACK);
    }
}
