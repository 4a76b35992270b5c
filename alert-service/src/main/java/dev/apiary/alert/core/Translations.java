package dev.apiary.alert.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An alert's text in several languages: the alert's own ({@code subject}, {@code text}, {@code voice_text} in its
 * {@code language}) plus {@code translations: {"es": {...}, ...}}. Checks a request's translations and picks each
 * recipient's variant: their language if the alert has it (exactly, else by its primary language: es-MX gets es),
 * else the alert's own.
 */
public final class Translations {
    public static final int SMS_MAX = 1600;
    public static final int VOICE_MAX = 4000;
    public static final int SUBJECT_MAX = 998;
    public static final int TEXT_MAX = 100_000;
    public static final int MAX_TRANSLATIONS = 30;

    /** One list with the voices: a translation in a language can always be read aloud in it. */
    public static final Set<String> SUPPORTED = Voices.LANGUAGES;

    /** One language's content; {@code voiceText} defaults to {@code text}, {@code html} is optional (email). */
    public record Variant(String subject, String text, String html, String voiceText) {
        public String spoken() {
            return voiceText == null || voiceText.isBlank() ? text : voiceText;
        }
    }

    /** A field of the request that is wrong, and why. */
    public record Problem(String field, String message) {
    }

    private Translations() {
    }

    /** The canonical form of a translation key ({@code ES-mx} → {@code es-MX}), or null if it is no language tag. */
    public static String canonical(String tag) {
        if (tag == null || !tag.trim().matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")) {
            return null;
        }
        return Locale.forLanguageTag(tag.trim()).toLanguageTag();
    }

    static String primary(String tag) {
        int dash = tag.indexOf('-');
        return (dash < 0 ? tag : tag.substring(0, dash)).toLowerCase(Locale.ROOT);
    }

    /**
     * Problems of a request's translations, each naming its field ({@code translations.es.text}); empty if fine.
     * {@code channels}: the alert's channel ids; {@code alertLanguage}: the language of its own text.
     */
    public static List<Problem> check(Map<String, Variant> translations, Collection<Channel> channels,
                                      String alertLanguage) {
        List<Problem> out = new ArrayList<>();
        if (translations == null || translations.isEmpty()) {
            return out;
        }
        if (translations.size() > MAX_TRANSLATIONS) {
            out.add(new Problem("translations", "at most " + MAX_TRANSLATIONS + " languages"));
            return out;
        }
        boolean sms = channels.contains(Channel.SMS);
        boolean email = channels.contains(Channel.EMAIL);
        boolean voice = channels.contains(Channel.VOICE);
        Set<String> seen = new TreeSet<>();
        String own = alertLanguage == null ? null : canonical(alertLanguage);
        for (Map.Entry<String, Variant> e : translations.entrySet()) {
            String f = "translations." + e.getKey();
            String tag = canonical(e.getKey());
            if (tag == null || !SUPPORTED.contains(primary(tag))) {
                out.add(new Problem(f, "unknown language (one of " + String.join(", ", SUPPORTED) + ")"));
                continue;
            }
            if (!seen.add(tag)) {
                out.add(new Problem(f, "the same language twice"));
                continue;
            }
            if (tag.equals(own)) {
                out.add(new Problem(f, "the alert's own language: its text goes in text, subject and voice_text"));
                continue;
            }
            Variant v = e.getValue();
            if (v == null) {
                out.add(new Problem(f, "an object with subject, text, voice_text"));
                continue;
            }
            String text = v.text();
            boolean noText = text == null || text.isBlank();
            if (noText && (sms || email || v.voiceText() == null || v.voiceText().isBlank())) {
                out.add(new Problem(f + ".text", "is required"));
            } else if (!noText && sms && text.length() > SMS_MAX) {
                out.add(new Problem(f + ".text", "too long for sms: " + text.length() + " > " + SMS_MAX + " characters"));
            } else if (!noText && text.length() > TEXT_MAX) {
                out.add(new Problem(f + ".text", "at most " + TEXT_MAX + " characters"));
            }
            if (email && (v.subject() == null || v.subject().isBlank())) {
                out.add(new Problem(f + ".subject", "is required for email"));
            } else if (v.subject() != null && v.subject().length() > SUBJECT_MAX) {
                out.add(new Problem(f + ".subject", "at most " + SUBJECT_MAX + " characters"));
            }
            String spoken = v.spoken();
            if (voice && spoken != null && spoken.length() > VOICE_MAX) {
                out.add(new Problem(v.voiceText() == null || v.voiceText().isBlank() ? f + ".text" : f + ".voice_text",
                        "too long for voice: at most " + VOICE_MAX + " characters"));
            }
            if (v.html() != null && v.html().length() > 500_000) {
                out.add(new Problem(f + ".html", "at most 500000 characters"));
            }
        }
        return out;
    }

    /** The translations keyed by canonical tag (call after {@link #check} found nothing). */
    public static Map<String, Variant> normalized(Map<String, Variant> translations) {
        Map<String, Variant> out = new LinkedHashMap<>();
        if (translations != null) {
            translations.forEach((k, v) -> out.put(canonical(k), v));
        }
        return out;
    }

    /**
     * The language a recipient gets: theirs if the alert has it (exact tag first, then one with the same primary
     * language: es-MX gets es, es gets es-MX), else the alert's own.
     */
    public static String pick(String recipientLanguage, Collection<String> available, String alertLanguage) {
        String want = recipientLanguage == null ? null : canonical(recipientLanguage);
        if (want == null || available.isEmpty()) {
            return alertLanguage;
        }
        String own = canonical(alertLanguage);
        if (want.equals(own)) {
            return alertLanguage;
        }
        for (String a : available) {
            if (a.equals(want)) {
                return a;
            }
        }
        String p = primary(want);
        if (own != null && primary(own).equals(p)) {
            return alertLanguage;
        }
        for (String a : available) {
            if (primary(a).equals(p)) {
                return a;
            }
        }
        return alertLanguage;
    }

    /** The plan with each delivery's language set to the variant it gets (the language its text is in). */
    public static AlertPlan.Plan assign(AlertPlan.Plan plan, Collection<String> available, String alertLanguage) {
        List<AlertPlan.Delivery> ds = plan.deliveries().stream()
                .map(d -> new AlertPlan.Delivery(d.channel(), d.address(), d.recipientIds(),
                        pick(d.language(), available, alertLanguage)))
                .toList();
        return new AlertPlan.Plan(ds, plan.rejected());
    }

    /** Deliveries per channel and language: {@code {"sms": {"en": 3, "es": 2}}}. */
    public static Map<String, Map<String, Integer>> counts(AlertPlan.Plan plan) {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        for (AlertPlan.Delivery d : plan.deliveries()) {
            out.computeIfAbsent(d.channel().id(), c -> new java.util.TreeMap<>()).merge(d.language(), 1, Integer::sum);
        }
        return out;
    }

    /** The fields an alert keeps its translations in: {@code t:<lang>:subject|text|html|voice_text}. */
    public static Map<String, String> fields(Map<String, Variant> normalized) {
        Map<String, String> out = new LinkedHashMap<>();
        normalized.forEach((lang, v) -> {
            out.put("t:" + lang + ":subject", v.subject() == null ? "" : v.subject());
            out.put("t:" + lang + ":text", v.text() == null ? "" : v.text());
            if (v.html() != null && !v.html().isBlank()) {
                out.put("t:" + lang + ":html", v.html());
            }
            out.put("t:" + lang + ":voice_text", v.spoken() == null ? "" : v.spoken());
        });
        return out;
    }

    /** A delivery's content from its alert's fields: the variant of {@code language}, else the alert's own. */
    public static Variant variant(Map<String, String> alertFields, String language) {
        if (language != null && alertFields.containsKey("t:" + language + ":text")) {
            return new Variant(alertFields.get("t:" + language + ":subject"), alertFields.get("t:" + language + ":text"),
                    alertFields.get("t:" + language + ":html"), alertFields.get("t:" + language + ":voice_text"));
        }
        String text = alertFields.getOrDefault("text", "");
        return new Variant(alertFields.getOrDefault("subject", ""), text, alertFields.get("html"),
                alertFields.getOrDefault("voice_text", text));
    }
}
