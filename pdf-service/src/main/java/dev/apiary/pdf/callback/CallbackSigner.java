package dev.apiary.pdf.callback;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Callback signature: {@code X-Apiary-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>} with
 * {@code X-Apiary-Timestamp: <unix seconds>}. Receivers recompute it and reject old timestamps (replays).
 */
public final class CallbackSigner {
    public static final String TIMESTAMP_HEADER = "X-Apiary-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Apiary-Signature";

    private final byte[] secret;

    public CallbackSigner(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public String sign(long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean verify(long timestamp, String body, String signature) {
        return signature != null && MessageDigest.isEqual(sign(timestamp, body).getBytes(StandardCharsets.UTF_8),
                signature.getBytes(StandardCharsets.UTF_8));
    }
}
