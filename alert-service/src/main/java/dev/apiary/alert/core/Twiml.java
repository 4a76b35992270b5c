package dev.apiary.alert.core;

import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Say;

/**
 * The TwiML of an alert call: the text read out in the recipient's language, twice. Built with twilio-java's
 * {@link VoiceResponse} and {@link Say} builders: the language is one of {@link Say.Language} (never caller text) and
 * the text is escaped by the XML writer, so no input can add an element.
 */
public final class Twiml {

    private Twiml() {
    }

    /** The {@code language} attribute a call in {@code language} uses. */
    public static String sayLanguage(String language) {
        return Voices.voiceOrDefault(language).toString();
    }

    public static String say(String text, String language) {
        Say.Language lang = Voices.voiceOrDefault(language);
        VoiceResponse response = new VoiceResponse.Builder()
                .say(new Say.Builder(text).language(lang).build())
                .pause(new Pause.Builder().length(1).build())
                .say(new Say.Builder(text).language(lang).build())
                .build();
        try {
            return response.toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException("TwiML not writable", e);
        }
    }
}
