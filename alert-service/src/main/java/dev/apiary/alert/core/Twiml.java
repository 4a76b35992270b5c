package dev.apiary.alert.core;

import java.util.Locale;
import java.util.Map;

/** The TwiML of an alert call: the text read out in the recipient's language, twice. */
public final class Twiml {
    private static final Map<String, String> VOICES = Map.ofEntries(
            Map.entry("en", "en-US"), Map.entry("es", "es-MX"), Map.entry("fr", "fr-FR"), Map.entry("de", "de-DE"),
            Map.entry("pt", "pt-BR"), Map.entry("it", "it-IT"), Map.entry("zh", "zh-CN"), Map.entry("ja", "ja-JP"),
            Map.entry("ko", "ko-KR"), Map.entry("vi", "vi-VN"), Map.entry("ru", "ru-RU"), Map.entry("ar", "arb"),
            Map.entry("hi", "hi-IN"), Map.entry("pl", "pl-PL"), Map.entry("nl", "nl-NL"));

    private Twiml() {
    }

    public static String sayLanguage(String language) {
        if (language == null || language.isBlank()) {
            return "en-US";
        }
        String l = language.trim();
        if (l.contains("-") && l.length() >= 5) {
            return l;
        }
        return VOICES.getOrDefault(l.toLowerCase(Locale.ROOT), "en-US");
    }

    public static String say(String text, String language) {
        String lang = sayLanguage(language);
        String t = escape(text);
        return "<Response><Say language=\"" + lang + "\">" + t + "</Say><Pause length=\"1\"/>"
                + "<Say language=\"" + lang + "\">" + t + "</Say></Response>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
