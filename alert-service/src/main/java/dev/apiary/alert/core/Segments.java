package dev.apiary.alert.core;

/**
 * SMS segment count: GSM-7 160/153 per segment, otherwise UCS-2 70/67 (UTF-16 code units). A split never
 * separates an extension character from its escape, nor a surrogate pair (checked against the vectors of
 * Twilio's rules that sandbox/providers shares).
 */
public final class Segments {
    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXT = "^{}\\[~]|€\f";

    private Segments() {
    }

    public static int count(String body) {
        int septets = 0;
        boolean gsm = true;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (GSM_BASIC.indexOf(c) >= 0) {
                septets++;
            } else if (GSM_EXT.indexOf(c) >= 0) {
                septets += 2;
            } else {
                gsm = false;
                break;
            }
        }
        if (gsm) {
            return septets <= 160 ? 1 : parts(body, 153, true);
        }
        return body.length() <= 70 ? 1 : parts(body, 67, false);
    }

    private static int parts(String body, int capacity, boolean gsm) {
        int parts = 1;
        int used = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            int units = 1;
            if (gsm && GSM_EXT.indexOf(c) >= 0) {
                units = 2;
            } else if (!gsm && Character.isHighSurrogate(c) && i + 1 < body.length()
                    && Character.isLowSurrogate(body.charAt(i + 1))) {
                units = 2;
                i++;
            }
            if (used + units > capacity) {
                parts++;
                used = 0;
            }
            used += units;
        }
        return parts;
    }
}
