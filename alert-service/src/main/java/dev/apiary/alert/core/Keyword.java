package dev.apiary.alert.core;

import java.util.Locale;
import java.util.Set;

/**
 * What an inbound SMS asks for, by Twilio's documented keyword rules: the whole message must be the one keyword
 * (a single word: "STOP" opts out, "STOP PLEASE" does not), letters in any case, surrounding whitespace ignored.
 */
public enum Keyword {
    /** STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT */
    OPT_OUT,
    /** START, YES, UNSTOP */
    OPT_IN,
    /** HELP, INFO */
    HELP,
    /** anything else: not a keyword */
    NONE;

    private static final Set<String> OUT = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    private static final Set<String> IN = Set.of("START", "YES", "UNSTOP");
    private static final Set<String> HELPS = Set.of("HELP", "INFO");

    public static Keyword of(String body) {
        if (body == null) {
            return NONE;
        }
        String word = body.strip().toUpperCase(Locale.ROOT);
        if (OUT.contains(word)) {
            return OPT_OUT;
        }
        if (IN.contains(word)) {
            return OPT_IN;
        }
        if (HELPS.contains(word)) {
            return HELP;
        }
        return NONE;
    }
}
