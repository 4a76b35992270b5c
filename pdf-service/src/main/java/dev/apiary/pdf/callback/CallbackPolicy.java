package dev.apiary.pdf.callback;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which callback URLs are allowed: http(s) only, no user info, and the host on the allow-list (exact, or a
 * {@code *.domain} suffix). Nothing else is ever called, so a client cannot make the service reach internal hosts.
 */
public final class CallbackPolicy {
    private final List<String> allowed;

    public CallbackPolicy(List<String> allowedHosts) {
        this.allowed = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
    }

    /** Empty when allowed, else why not. */
    public Optional<String> check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not contain user info");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return Optional.of("has no host");
        }
        if (!allowedHost(host.toLowerCase(Locale.ROOT))) {
            return Optional.of("host '" + host + "' is not on the callback allow-list (apiary.pdf.callback.allowed-hosts)");
        }
        return Optional.empty();
    }

    private boolean allowedHost(String host) {
        for (String a : allowed) {
            if (a.startsWith("*.")) {
                if (host.endsWith(a.substring(1)) && host.length() > a.length() - 1) {
                    return true;
                }
            } else if (a.equals(host)) {
                return true;
            }
        }
        return false;
    }
}
