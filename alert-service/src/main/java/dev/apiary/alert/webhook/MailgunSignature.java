package dev.apiary.alert.webhook;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The three fields a Mailgun webhook's signature needs ({@code signature.timestamp}, {@code .token},
 * {@code .signature}), read with the streaming parser: no tree or object is built for anything else, so an unsigned
 * body costs a token scan of at most the webhook body limit (64 KB) and nothing more.
 */
record MailgunSignature(String timestamp, String token, String signature) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The fields, or null when the body is not a JSON object with a complete {@code signature} object. */
    static MailgunSignature read(byte[] body) {
        String ts = null;
        String tok = null;
        String sig = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("signature".equals(name) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        String s = v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT ? p.getString() : null;
                        switch (field) {
                            case "timestamp" -> ts = s;
                            case "token" -> tok = s;
                            case "signature" -> sig = s;
                            default -> p.skipChildren();
                        }
                        if (s == null) {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (StreamReadException e) {
            return null;
        }
        if (ts == null || tok == null || sig == null || ts.isBlank() || tok.isBlank() || sig.isBlank()) {
            return null;
        }
        return new MailgunSignature(ts, tok, sig);
    }
}
