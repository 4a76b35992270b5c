package dev.apiary.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The configured API keys and who each one is. A token is compared, as a SHA-256 digest, against every key with
 * {@link MessageDigest#isEqual} (no early exit), so the time taken says nothing about which key or how much of it
 * matched.
 */
public final class ApiClients {

    private record Entry(byte[] digest, ApiClient client) {
    }

    private final List<Entry> entries;

    public ApiClients(SecurityProperties props) {
        List<Entry> list = new ArrayList<>();
        ApiClient legacy = new ApiClient(ApiClient.LEGACY, Set.of(ApiClient.ALL_SCHOOLS), Set.of());
        for (String k : props.apiKeys()) {
            if (k != null && !k.isBlank()) list.add(new Entry(sha256(k.trim()), legacy));
        }
        props.clients().forEach((name, c) -> {
            if (c.key() == null || c.key().isBlank()) {
                throw new IllegalStateException("apiary.security.clients." + name + ".key is not set");
            }
            if (c.schools().isEmpty()) {
                throw new IllegalStateException("apiary.security.clients." + name + ".schools is empty: list school ids or *");
            }
            list.add(new Entry(sha256(c.key().trim()), new ApiClient(name,
                    Set.copyOf(c.schools().stream().map(String::trim).toList()),
                    Set.copyOf(c.scopes().stream().map(String::trim).toList()))));
        });
        this.entries = List.copyOf(list);
    }

    public Optional<ApiClient> find(String token) {
        byte[] digest = sha256(token);
        ApiClient found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), digest) && found == null) found = e.client();
        }
        return Optional.ofNullable(found);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
