package dev.apiary.alert.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.apiary.alert.core.Translations.Problem;
import dev.apiary.alert.core.Translations.Variant;

class TranslationsTest {
    static final List<Channel> ALL = List.of(Channel.EMAIL, Channel.SMS, Channel.VOICE);

    static Variant v(String subject, String text, String voice) {
        return new Variant(subject, text, null, voice);
    }

    @Test
    void everyLanguageATranslationMayUseHasAVoiceToReadItAloud() {
        assertThat(Translations.SUPPORTED).contains("en", "es", "fr", "vi", "zh", "hi", "ar")
                .allSatisfy(l -> assertThat(Voices.voice(l)).as(l).isPresent());
    }

    @Test
    void eachRecipientGetsTheirLanguageByExactTagThenPrimaryLanguageElseTheAlerts() {
        Set<String> available = Set.of("es", "vi", "zh-TW");
        assertThat(Translations.pick("es", available, "en")).isEqualTo("es");
        assertThat(Translations.pick("es-MX", available, "en")).isEqualTo("es");
        assertThat(Translations.pick("ES", available, "en")).isEqualTo("es");
        assertThat(Translations.pick("zh-TW", available, "en")).isEqualTo("zh-TW");
        assertThat(Translations.pick("zh", available, "en")).isEqualTo("zh-TW");
        assertThat(Translations.pick("fr", available, "en")).isEqualTo("en");
        assertThat(Translations.pick(null, available, "en")).isEqualTo("en");
        assertThat(Translations.pick("", available, "en")).isEqualTo("en");
        assertThat(Translations.pick("en-GB", available, "en")).isEqualTo("en");
        assertThat(Translations.pick("es", Set.of(), "en")).isEqualTo("en");
        // an alert written in Spanish with an English translation
        assertThat(Translations.pick("es-MX", Set.of("en"), "es")).isEqualTo("es");
        assertThat(Translations.pick("en-US", Set.of("en"), "es")).isEqualTo("en");
    }

    @Test
    void goodTranslationsPass() {
        Map<String, Variant> t = new LinkedHashMap<>();
        t.put("es", v("Escuela cerrada", "Hoy no hay clases.", "Hoy no hay clases, repito."));
        t.put("vi", v("Trường đóng cửa", "Hôm nay trường đóng cửa.", null));
        t.put("zh-TW", v("停課", "今天停課。", null));
        assertThat(Translations.check(t, ALL, "en")).isEmpty();
        assertThat(Translations.check(null, ALL, "en")).isEmpty();
        assertThat(Translations.normalized(Map.of("ZH-tw", v("a", "b", null)))).containsOnlyKeys("zh-TW");
    }

    @Test
    void badTranslationsNameTheirField() {
        Map<String, Variant> t = new LinkedHashMap<>();
        t.put("xx", v("s", "t", null));                                // unknown language
        t.put("not a tag", v("s", "t", null));
        t.put("es", v("s", null, null));                               // missing text
        t.put("fr", v(null, "Bonjour", null));                         // missing subject with email
        t.put("vi", v("s", "x".repeat(1601), null));                   // too long for sms
        t.put("de", v("s", "kurz", "y".repeat(4001)));                 // too long for voice
        t.put("en", v("s", "t", null));                                // the alert's own language
        t.put("pt", null);
        List<Problem> p = Translations.check(t, ALL, "en");
        assertThat(p).extracting(Problem::field).containsExactly("translations.xx", "translations.not a tag",
                "translations.es.text", "translations.fr.subject", "translations.vi.text",
                "translations.de.voice_text", "translations.en", "translations.pt");
        assertThat(p.get(4).message()).contains("too long for sms");
    }

    @Test
    void limitsDependOnTheChannels() {
        Map<String, Variant> t = Map.of("es", v(null, "x".repeat(3000), null));
        assertThat(Translations.check(t, List.of(Channel.EMAIL), "en")).extracting(Problem::field)
                .containsExactly("translations.es.subject");
        assertThat(Translations.check(t, List.of(Channel.SMS), "en")).extracting(Problem::field)
                .containsExactly("translations.es.text");
        assertThat(Translations.check(Map.of("es", v(null, null, "solo voz")), List.of(Channel.VOICE), "en")).isEmpty();
        assertThat(Translations.check(Map.of("es", v(null, null, "solo voz")), List.of(Channel.SMS), "en"))
                .extracting(Problem::field).containsExactly("translations.es.text");
    }
}
