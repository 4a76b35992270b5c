package dev.apiary.alert.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short-lived signed token that lets a browser view one alert's progress page and its event stream
 * without the service API key: {@code base64url(alertId.expiryEpochSeconds).base64url(HMAC-SHA256)}.
 */
public final class ViewToken {
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    private final byte[] secret;

    public ViewToken(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public String mint(String alertId, Instant expires) {
        String payload = ENC.encodeToString((alertId + "." + expires.getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        return payload + "." + ENC.encodeToString(mac(payload));
    }

    /** True if the token is ours, names this alert and has not expired. */
    public boolean valid(String token, String alertId, Instant now) {
        if (token == null) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            return false;
        }
        String payload = token.substring(0, dot);
        try {
            if (!MessageDigest.isEqual(mac(payload), DEC.decode(token.substring(dot + 1)))) {
                return false;
            }
            String plain = new String(DEC.decode(payload), StandardCharsets.UTF_8);
            int sep = plain.lastIndexOf('.');
            return plain.substring(0, sep).equals(alertId)
                    && Long.parseLong(plain.substring(sep + 1)) > now.getEpochSecond();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret, "HmacSHA256"));
            return m.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
