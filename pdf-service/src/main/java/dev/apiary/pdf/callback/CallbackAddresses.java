package dev.apiary.pdf.callback;

import org.apache.hc.client5.http.DnsResolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Resolves callback hosts and refuses an answer with any address the {@link CallbackPolicy} does not allow. It is the
 * HTTP client's {@link DnsResolver}: the client connects to exactly the addresses checked here, one lookup per
 * connection, so a DNS answer that changes after the check (DNS rebinding) cannot steer the connection elsewhere.
 */
public final class CallbackAddresses implements DnsResolver {

    /** The name lookup: the system resolver in production, a scripted one in tests. */
    @FunctionalInterface
    public interface NameLookup {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    private final CallbackPolicy policy;
    private final NameLookup lookup;

    public CallbackAddresses(CallbackPolicy policy, NameLookup lookup) {
        this.policy = policy;
        this.lookup = lookup;
    }

    public CallbackPolicy policy() {
        return policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all = lookup.lookup(h);
        if (all == null || all.length == 0) {
            throw new UnknownHostException(h);
        }
        for (InetAddress a : all) {
            var why = policy.checkAddress(a);
            if (why.isPresent()) {
                // one bad address refuses the whole answer: a mixed answer is how rebinding attacks start
                throw new CallbackRefusedException("host '" + h + "' " + why.get());
            }
        }
        return all;
    }

    /** Never used for connecting; answers the name itself rather than asking DNS for more. */
    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }

    /** Empty when {@code url} may be called now (URL rules and every address it resolves to), else why not. */
    public Optional<String> check(String url) {
        CallbackPolicy.Checked<CallbackPolicy.Target> target = policy.checkUrl(url);
        if (!target.isOk()) {
            return Optional.of(target.refusal());
        }
        try {
            resolve(target.value().host());
            return Optional.empty();
        } catch (CallbackRefusedException e) {
            return Optional.of(e.getMessage());
        } catch (UnknownHostException e) {
            return Optional.of("host '" + target.value().host() + "' does not resolve");
        }
    }
}
