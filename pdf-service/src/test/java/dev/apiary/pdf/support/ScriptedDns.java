package dev.apiary.pdf.support;

import dev.apiary.pdf.callback.CallbackAddresses;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A name lookup with scripted answers for some names (a DNS server whose answer changes between two lookups, as
 * in DNS rebinding); any other name goes to the system resolver.
 */
public final class ScriptedDns implements CallbackAddresses.NameLookup {
    private final Map<String, Deque<InetAddress[]>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    /** {@code host} answers each of {@code ips} to one lookup, in order; the last one to every lookup after. */
    public ScriptedDns answer(String host, String... ips) {
        Deque<InetAddress[]> q = new ArrayDeque<>();
        for (String ip : ips) {
            q.add(new InetAddress[]{InetAddress.ofLiteral(ip)});
        }
        answers.put(host, q);
        lookups.put(host, new AtomicInteger());
        return this;
    }

    public int lookups(String host) {
        AtomicInteger n = lookups.get(host);
        return n == null ? 0 : n.get();
    }

    @Override
    public InetAddress[] lookup(String host) throws UnknownHostException {
        Deque<InetAddress[]> q = answers.get(host);
        if (q == null) {
            return InetAddress.getAllByName(host);
        }
        lookups.get(host).incrementAndGet();
        synchronized (q) {
            return q.size() > 1 ? q.pollFirst() : q.peekFirst();
        }
    }
}
