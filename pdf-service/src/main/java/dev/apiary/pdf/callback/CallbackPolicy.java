package dev.apiary.pdf.callback;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where callbacks may go, without any I/O:
 * <ul>
 *   <li>a URL: http(s), no user info, the host on the host allow-list (exact, or a {@code *.domain} suffix), port 80
 *       or 443 unless the port allow-list names it;</li>
 *   <li>an address the host resolved to: a public one, never loopback, private (RFC 1918, shared 100.64/10, ULA
 *       fc00::/7), link-local (169.254/16 with the cloud metadata address, fe80::/10), multicast, unspecified or
 *       reserved, also not inside an IPv4-mapped, IPv4-compatible or NAT64 IPv6 address; unless the address
 *       allow-list names that exact IP.</li>
 * </ul>
 */
public final class CallbackPolicy {
    static final Set<Integer> DEFAULT_PORTS = Set.of(80, 443);

    private final List<String> allowedHosts;
    private final Set<InetAddress> allowedAddresses;
    private final Set<Integer> allowedPorts;

    public CallbackPolicy(List<String> allowedHosts, Collection<InetAddress> allowedAddresses,
                          Collection<Integer> allowedPorts) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
        this.allowedAddresses = Set.copyOf(allowedAddresses);
        this.allowedPorts = Set.copyOf(allowedPorts);
    }

    /** A URL that may be called, with the host to resolve (IPv6 literals without brackets). */
    public record Target(URI uri, String host, int port) {
    }

    /** The target when the URL may be called (its addresses still to be checked), else why not. */
    public Checked<Target> checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return Checked.refused("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Checked.refused("must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Checked.refused("must not contain user info");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return Checked.refused("has no host");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!allowedHost(host)) {
            return Checked.refused("host '" + host + "' is not on the callback allow-list (apiary.pdf.callback.allowed-hosts)");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (!DEFAULT_PORTS.contains(port) && !allowedPorts.contains(port)) {
            return Checked.refused("port " + port + " is not allowed: only 80 and 443 (or apiary.pdf.callback.allowed-ports)");
        }
        return Checked.ok(new Target(uri, host, port));
    }

    /** Empty when a connection to {@code address} is allowed, else why not. */
    public Optional<String> checkAddress(InetAddress address) {
        if (allowedAddresses.contains(address)) {
            return Optional.empty();
        }
        return blockedRange(address).map(range -> "resolves to " + address.getHostAddress() + ", a " + range
                + " address (not on apiary.pdf.callback.allowed-addresses)");
    }

    /** Which non-public range {@code address} is in, if any. */
    static Optional<String> blockedRange(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return blockedV4(b);
        }
        if (address instanceof Inet6Address) {
            for (IpRange r : V6) {
                if (r.contains(b)) {
                    return Optional.of(r.kind());
                }
            }
            for (IpRange r : V4_IN_V6) {
                if (r.contains(b)) {
                    // the IPv4 address inside: ::ffff:127.0.0.1 or 64:ff9b::a9fe:a9fe reach what the IPv4 one reaches
                    return blockedV4(new byte[]{b[12], b[13], b[14], b[15]}).map(k -> k + " (" + r.kind() + ")");
                }
            }
            return Optional.empty();
        }
        return Optional.of("unknown kind of");
    }

    private static Optional<String> blockedV4(byte[] b) {
        for (IpRange r : V4) {
            if (r.contains(b)) {
                return Optional.of(r.kind());
            }
        }
        return Optional.empty();
    }

    private boolean allowedHost(String host) {
        for (String a : allowedHosts) {
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

    /** An address prefix ({@code bits} leading bits of {@code prefix}). */
    record IpRange(byte[] prefix, int bits, String kind) {
        static IpRange of(String cidr, String kind) {
            int slash = cidr.indexOf('/');
            return new IpRange(InetAddress.ofLiteral(cidr.substring(0, slash)).getAddress(),
                    Integer.parseInt(cidr.substring(slash + 1)), kind);
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    static final List<IpRange> V4 = List.of(
            IpRange.of("0.0.0.0/8", "unspecified"),
            IpRange.of("10.0.0.0/8", "private"),
            IpRange.of("100.64.0.0/10", "private (shared address space)"),
            IpRange.of("127.0.0.0/8", "loopback"),
            IpRange.of("169.254.0.0/16", "link-local"),
            IpRange.of("172.16.0.0/12", "private"),
            IpRange.of("192.0.0.0/24", "reserved"),
            IpRange.of("192.168.0.0/16", "private"),
            IpRange.of("198.18.0.0/15", "reserved"),
            IpRange.of("224.0.0.0/4", "multicast"),
            IpRange.of("240.0.0.0/4", "reserved"));
    static final List<IpRange> V6 = List.of(
            IpRange.of("::/128", "unspecified"),
            IpRange.of("::1/128", "loopback"),
            IpRange.of("fc00::/7", "private (unique local)"),
            IpRange.of("fe80::/10", "link-local"),
            IpRange.of("fec0::/10", "private (site-local)"),
            IpRange.of("ff00::/8", "multicast"));
    /** IPv6 forms that carry an IPv4 address in their last 32 bits. */
    static final List<IpRange> V4_IN_V6 = List.of(
            // built from bytes: InetAddress turns the literal ::ffff:0:0 into the IPv4 address 0.0.0.0
            new IpRange(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, 96, "IPv4-mapped"),
            IpRange.of("::/96", "IPv4-compatible"),
            IpRange.of("64:ff9b::/96", "NAT64"));

    /** A value, or why there is none. */
    public record Checked<T>(T value, String refusal) {
        static <T> Checked<T> ok(T value) {
            return new Checked<>(value, null);
        }

        static <T> Checked<T> refused(String why) {
            return new Checked<>(null, why);
        }

        public boolean isOk() {
            return refusal == null;
        }
    }
}
