package dev.apiary.sandbox.providers.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * How many segments Twilio bills for an SMS body, from Twilio's documented rules (its glossary pages on the SMS
 * character limit and on GSM-7): a body whose every character is in the GSM 03.38 default alphabet or its
 * extension table is sent as GSM-7 (160 septets in one segment, 153 per segment when split, an extension-table
 * character taking two: the escape and the character); any other character makes the whole body UCS-2 (70 UTF-16
 * units in one segment, 67 per segment when split). A split never separates an escape from its character, nor the
 * two halves of a surrogate pair: such a pair starts the next segment.
 */
public final class SmsSegments {

    public enum Encoding {
        GSM_7(160, 153), UCS_2(70, 67);

        final int single;
        final int perPart;

        Encoding(int single, int perPart) {
            this.single = single;
            this.perPart = perPart;
        }
    }

    /** The encoding Twilio picks, the units (septets or UTF-16 units) the body takes and the segments billed. */
    public record Count(Encoding encoding, int units, int segments) {
    }

    /** GSM 03.38 default alphabet, positions 0x00-0x7F in rows of 16 (0x1B, the escape, is not a character). */
    private static final String[] DEFAULT_ALPHABET = {
            "@£$¥èéùìòÇ\nØø\rÅå",
            "Δ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ",
            " !\"#¤%&'()*+,-./",
            "0123456789:;<=>?",
            "¡ABCDEFGHIJKLMNO",
            "PQRSTUVWXYZÄÖÑÜ§",
            "¿abcdefghijklmno",
            "pqrstuvwxyzäöñüà"};

    /** The extension table: form feed, ^ { } \ [ ~ ] | and €, each sent as escape + character. */
    private static final String EXTENSION = "\f^{}\\[~]|€";

    private SmsSegments() {
    }

    public static int count(String body) {
        return measure(body).segments();
    }

    public static Count measure(String body) {
        List<Integer> gsm = gsmSeptets(body);
        if (gsm != null) {
            return pack(Encoding.GSM_7, gsm);
        }
        List<Integer> ucs = new ArrayList<>();
        body.codePoints().forEach(cp -> ucs.add(Character.charCount(cp)));
        return pack(Encoding.UCS_2, ucs);
    }

    /** The septets of each character, or null when a character is outside GSM-7. */
    private static List<Integer> gsmSeptets(String body) {
        List<Integer> sizes = new ArrayList<>(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\u001B' && inDefaultAlphabet(c)) {
                sizes.add(1);
            } else if (EXTENSION.indexOf(c) >= 0) {
                sizes.add(2);
            } else {
                return null;
            }
        }
        return sizes;
    }

    private static boolean inDefaultAlphabet(char c) {
        for (String row : DEFAULT_ALPHABET) {
            if (row.indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** One segment if everything fits; else parts of {@code perPart} units, an indivisible character never split. */
    private static Count pack(Encoding encoding, List<Integer> sizes) {
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        if (total <= encoding.single) {
            return new Count(encoding, total, 1);
        }
        int segments = 1;
        int used = 0;
        for (int size : sizes) {
            if (used + size > encoding.perPart) {
                segments++;
                used = 0;
            }
            used += size;
        }
        return new Count(encoding, total, segments);
    }
}
