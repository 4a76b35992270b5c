package dev.apiary.pdf.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Two real HTTP servers on one port: {@link #ALLOWED_IP} (the callback allow-list names it) and {@link #VICTIM_IP}
 * (plain loopback, which callbacks must never reach). Each records what arrives per path; a path answers the
 * status codes it was told, in order, then 204.
 */
public final class CallbackReceivers {
    public static final String ALLOWED_IP = "127.0.0.2";
    public static final String VICTIM_IP = "127.0.0.1";
    public static final CallbackReceivers SHARED = start();

    public record Received(String path, String body, Map<String, String> headers) {
    }

    public final int port;
    private final List<Received> atAllowed = new CopyOnWriteArrayList<>();
    private final List<Received> atVictim = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> codes = new ConcurrentHashMap<>();

    private CallbackReceivers(int port) {
        this.port = port;
    }

    private static CallbackReceivers start() {
        for (int attempt = 0; attempt < 20; attempt++) {
            HttpServer allowed = null;
            try {
                allowed = HttpServer.create(new InetSocketAddress(ALLOWED_IP, 0), 0);
                int port = allowed.getAddress().getPort();
                HttpServer victim = HttpServer.create(new InetSocketAddress(VICTIM_IP, port), 0);
                CallbackReceivers r = new CallbackReceivers(port);
                allowed.createContext("/", ex -> r.receive(ex, r.atAllowed));
                victim.createContext("/", ex -> r.receive(ex, r.atVictim));
                allowed.start();
                victim.start();
                return r;
            } catch (BindException e) {
                allowed.stop(0);   // the port is taken on the other address: try another
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no port free on both " + ALLOWED_IP + " and " + VICTIM_IP);
    }

    private void receive(HttpExchange ex, List<Received> into) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new ConcurrentHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.getFirst()));
        String path = ex.getRequestURI().getPath();
        into.add(new Received(path, body, headers));
        Deque<Integer> q = codes.get(path);
        Integer code;
        synchronized (this) {
            code = q == null ? null : q.pollFirst();
        }
        ex.sendResponseHeaders(code == null ? 204 : code, -1);
        ex.close();
    }

    /** {@code path} answers these codes to its first requests, then 204. */
    public void answer(String path, int... statusCodes) {
        Deque<Integer> q = new ArrayDeque<>();
        for (int c : statusCodes) {
            q.add(c);
        }
        codes.put(path, q);
    }

    public String url(String host, String path) {
        return "http://" + host + ":" + port + path;
    }

    public List<Received> allowed(String path) {
        return atAllowed.stream().filter(r -> r.path().equals(path)).toList();
    }

    public List<Received> victim(String path) {
        return atVictim.stream().filter(r -> r.path().equals(path)).toList();
    }

    public int victimTotal() {
        return atVictim.size();
    }
}
