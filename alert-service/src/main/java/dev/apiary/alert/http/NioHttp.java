package dev.apiary.alert.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A small non-blocking HTTP/1.1 client on {@code java.nio}: one selector thread, a keep-alive pool per origin
 * (host, port, TLS) with a cap on idle connections, Content-Length, chunked and read-until-close bodies, TLS through
 * {@link SSLEngine}, a connect timeout and a per-request deadline.
 * <p>
 * Made for many requests in flight at little memory: a request in flight is a connection (socket channel and
 * selection key), one {@link Exchange} (the future, the request bytes until written, the response parser state)
 * and nothing else — no thread, no per-connection buffers. The selector thread reads into one shared buffer; a
 * response's head and body are copied out only as their bytes arrive. TLS connections keep only the bytes of an
 * incomplete record between reads.
 * <p>
 * No request is ever retried here (Twilio's POSTs are not idempotent): a failure, also on a reused keep-alive
 * connection the server closed meanwhile, completes the exchange exceptionally and the caller decides. Idle
 * connections stay registered for reading, so a server's close is noticed and the connection dropped before it is
 * reused; idle connections are closed after {@code idleTimeout} (keep it below the server's keep-alive timeout).
 */
public final class NioHttp implements AutoCloseable {
    private static final int READ_BUFFER = 64 * 1024;
    private static final int MAX_HEAD = 64 * 1024;
    private static final long SCAN_BUSY_NANOS = 50_000_000L;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** Where requests go: plain or TLS, host and port. */
    public record Origin(boolean tls, String host, int port) {
        public static Origin of(URI uri) {
            boolean tls = "https".equalsIgnoreCase(uri.getScheme());
            if (!tls && !"http".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("not an http(s) URI: " + uri.getScheme());
            }
            String host = uri.getHost();
            if (host == null) {
                throw new IllegalArgumentException("no host in " + uri);
            }
            if (host.startsWith("[") && host.endsWith("]")) { // IPv6 literal
                host = host.substring(1, host.length() - 1);
            }
            return new Origin(tls, host, uri.getPort() < 0 ? (tls ? 443 : 80) : uri.getPort());
        }

        /** The Host header's value. */
        public String authority() {
            String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return port == (tls ? 443 : 80) ? h : h + ":" + port;
        }
    }

    /** A complete response. {@code headers}: name, value, name, value, ... as received. */
    public record Response(int status, List<String> headers, byte[] body) {
        /** The first value of the header {@code name} (case-insensitive), or null. */
        public String header(String name) {
            for (int i = 0; i < headers.size(); i += 2) {
                if (headers.get(i).equalsIgnoreCase(name)) {
                    return headers.get(i + 1);
                }
            }
            return null;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final SSLContext ssl;
    private final long connectTimeoutNanos;
    private final long idleTimeoutNanos;
    private final int maxIdlePerOrigin;
    private final Selector selector;
    private final Thread loop;
    private final ConcurrentLinkedQueue<Exchange> submitted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger opened = new AtomicInteger();
    private volatile int idleCount;
    private volatile boolean closed;

    // selector thread only
    private final Map<Origin, ArrayDeque<Conn>> idle = new HashMap<>();
    private final ByteBuffer readBuf = ByteBuffer.allocateDirect(READ_BUFFER);
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private int busy;
    private long nextScan;

    /**
     * @param ssl              for https origins; null = the JDK default context (system trust store)
     * @param connectTimeout   TCP connect plus TLS handshake
     * @param idleTimeout      an idle keep-alive connection is closed after this
     * @param maxIdlePerOrigin idle connections kept per origin (more are closed when their request is done)
     */
    public NioHttp(String name, SSLContext ssl, Duration connectTimeout, Duration idleTimeout, int maxIdlePerOrigin)
            throws IOException {
        this.ssl = ssl;
        this.connectTimeoutNanos = connectTimeout.toNanos();
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.maxIdlePerOrigin = Math.max(0, maxIdlePerOrigin);
        this.selector = Selector.open();
        this.loop = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
        this.loop.start();
    }

    /** Keep-alive connections open and idle now. */
    public int idleConnections() {
        return idleCount;
    }

    /** Connections opened so far (keep-alive reuse shows as fewer connections than requests). */
    public int connectionsOpened() {
        return opened.get();
    }

    /**
     * Sends {@code request} (a complete HTTP/1.1 request: head and body) to {@code origin}. The exchange completes
     * with the response, or exceptionally with an {@link IOException} ({@link HttpTimeoutException} when
     * {@code timeout} — counted from now until the whole response is in — passes first).
     */
    public Exchange send(Origin origin, byte[] request, Duration timeout) {
        Exchange ex = new Exchange(origin, request, System.nanoTime() + timeout.toNanos());
        if (closed) {
            ex.completeExceptionally(new IOException("client closed"));
            return ex;
        }
        submitted.add(ex);
        selector.wakeup();
        return ex;
    }

    /** One request in flight, and its response parser. Completed on the selector thread. */
    public static final class Exchange extends CompletableFuture<Response> {
        private static final int HEAD = 0, BODY = 1, BODY_TO_EOF = 2, CHUNK_SIZE = 3, CHUNK_EXT = 4, CHUNK_DATA = 5,
                CHUNK_END = 6, TRAILER = 7;
        final Origin origin;
        final long deadline;
        ByteBuffer out;
        volatile Thread waiter;
        Conn conn;
        // response parser
        private int phase;
        private byte[] buf; // the head while phase == HEAD, then the body
        private int len;
        private int status;
        private List<String> headers;
        private long remaining; // Content-Length left, or of the current chunk
        private boolean keepAlive;
        private int lineLen;

        Exchange(Origin origin, byte[] request, long deadline) {
            this.origin = origin;
            this.out = request == null ? null : ByteBuffer.wrap(request);
            this.deadline = deadline;
        }

        /** An exchange that failed before it was sent. */
        public static Exchange failed(IOException e) {
            Exchange ex = new Exchange(null, null, 0);
            ex.completeExceptionally(e);
            return ex;
        }

        /**
         * Waits for the response on the calling thread with a plain park (a virtual thread's parked stack stays as
         * short as its caller's); interrupting the thread cancels the exchange and closes its connection.
         */
        public Response await() throws IOException, InterruptedException {
            if (!isDone()) {
                waiter = Thread.currentThread();
                while (!isDone()) {
                    LockSupport.park(this);
                    if (Thread.interrupted()) {
                        cancel(false);
                        throw new InterruptedException();
                    }
                }
            }
            try {
                return get();
            } catch (ExecutionException | CompletionException e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                if (c instanceof IOException io) {
                    throw io;
                }
                throw new IOException(c);
            } catch (CancellationException e) {
                throw new IOException("canceled", e);
            }
        }

        void succeed(Response r) {
            complete(r);
            wake();
        }

        void fail(Throwable t) {
            completeExceptionally(t);
            wake();
        }

        private void wake() {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }

        /** Feeds response bytes; true once the response is complete. */
        boolean feed(ByteBuffer src) throws IOException {
            while (src.hasRemaining()) {
                switch (phase) {
                    case HEAD -> {
                        byte b = src.get();
                        append(b);
                        if (b == '\n' && len >= 4 && buf[len - 2] == '\r' && buf[len - 3] == '\n' && buf[len - 4] == '\r') {
                            if (endOfHead()) {
                                return true;
                            }
                        } else if (len > MAX_HEAD) {
                            throw new IOException("response head too large");
                        }
                    }
                    case BODY -> {
                        int n = (int) Math.min(src.remaining(), remaining);
                        append(src, n);
                        remaining -= n;
                        if (remaining == 0) {
                            return true;
                        }
                    }
                    case BODY_TO_EOF -> append(src, src.remaining());
                    case CHUNK_SIZE -> {
                        byte b = src.get();
                        int d = Character.digit(b, 16);
                        if (d >= 0) {
                            if (remaining > (Long.MAX_VALUE >> 4)) {
                                throw new IOException("bad chunk size");
                            }
                            remaining = remaining * 16 + d;
                        } else if (b == ';' || b == ' ' || b == '\t') {
                            phase = CHUNK_EXT;
                        } else if (b == '\n') {
                            if (endOfChunkSize()) {
                                return true;
                            }
                        } else if (b != '\r') {
                            throw new IOException("bad chunk size");
                        }
                    }
                    case CHUNK_EXT -> {
                        if (src.get() == '\n' && endOfChunkSize()) {
                            return true;
                        }
                    }
                    case CHUNK_DATA -> {
                        int n = (int) Math.min(src.remaining(), remaining);
                        append(src, n);
                        remaining -= n;
                        if (remaining == 0) {
                            phase = CHUNK_END;
                        }
                    }
                    case CHUNK_END -> {
                        byte b = src.get();
                        if (b == '\n') {
                            phase = CHUNK_SIZE;
                        } else if (b != '\r') {
                            throw new IOException("bad chunk end");
                        }
                    }
                    case TRAILER -> {
                        byte b = src.get();
                        if (b == '\n') {
                            if (lineLen == 0) {
                                return true;
                            }
                            lineLen = 0;
                        } else if (b != '\r') {
                            lineLen++;
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            }
            return false;
        }

        /** The connection reached end of stream: true if that completes the response (read-until-close body). */
        boolean eof() {
            return phase == BODY_TO_EOF;
        }

        private boolean endOfChunkSize() {
            if (remaining == 0) {
                phase = TRAILER;
                lineLen = 0;
                return false;
            }
            phase = CHUNK_DATA;
            return false;
        }

        /** Parses the head; true if the response has no body. */
        private boolean endOfHead() throws IOException {
            String head = new String(buf, 0, len - 4, StandardCharsets.ISO_8859_1);
            int eol = head.indexOf("\r\n");
            String statusLine = eol < 0 ? head : head.substring(0, eol);
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("not an HTTP/1.x response");
            }
            int code;
            try {
                code = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("bad status line");
            }
            boolean http11 = statusLine.charAt(7) == '1';
            List<String> hs = new ArrayList<>();
            long contentLength = -1;
            boolean chunked = false;
            boolean close = !http11;
            int pos = eol < 0 ? head.length() : eol + 2;
            while (pos < head.length()) {
                int end = head.indexOf("\r\n", pos);
                if (end < 0) {
                    end = head.length();
                }
                int colon = head.indexOf(':', pos);
                if (colon > pos && colon < end) {
                    String name = head.substring(pos, colon).trim();
                    String value = head.substring(colon + 1, end).trim();
                    hs.add(name);
                    hs.add(value);
                    switch (name.toLowerCase(Locale.ROOT)) {
                        case "content-length" -> {
                            try {
                                contentLength = Long.parseLong(value);
                            } catch (NumberFormatException e) {
                                throw new IOException("bad Content-Length");
                            }
                        }
                        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                        case "connection" -> {
                            String v = value.toLowerCase(Locale.ROOT);
                            if (v.contains("close")) {
                                close = true;
                            } else if (v.contains("keep-alive")) {
                                close = false;
                            }
                        }
                        default -> {
                        }
                    }
                }
                pos = end + 2;
            }
            if (code >= 100 && code < 200) { // interim response (100 Continue, 103): the real one follows
                len = 0;
                return false;
            }
            status = code;
            headers = hs;
            keepAlive = !close;
            buf = null;
            len = 0;
            if (code == 204 || code == 304) {
                return true;
            }
            if (chunked) {
                phase = CHUNK_SIZE;
                remaining = 0;
                return false;
            }
            if (contentLength >= 0) {
                if (contentLength > Integer.MAX_VALUE - 16) {
                    throw new IOException("response too large");
                }
                remaining = contentLength;
                phase = BODY;
                return contentLength == 0;
            }
            phase = BODY_TO_EOF;
            keepAlive = false;
            return false;
        }

        private void append(byte b) {
            ensure(1);
            buf[len++] = b;
        }

        private void append(ByteBuffer src, int n) {
            ensure(n);
            src.get(buf, len, n);
            len += n;
        }

        private void ensure(int n) {
            if (buf == null) {
                int hint = phase == BODY ? (int) Math.min(remaining, 64 * 1024) : 256;
                buf = new byte[Math.max(n, hint)];
            } else if (len + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
            }
        }

        Response response() {
            byte[] body = buf == null ? new byte[0] : buf.length == len ? buf : java.util.Arrays.copyOf(buf, len);
            buf = null;
            return new Response(status, headers, body);
        }
    }

    /** A connection (selector thread only). */
    private static final class Conn {
        final Origin origin;
        final SocketChannel ch;
        SelectionKey key;
        SSLEngine engine;
        boolean handshaking;
        boolean connected;
        long connectDeadline;
        byte[] tlsIn;          // an incomplete TLS record from the last read
        ByteBuffer netPending; // TLS bytes wrapped but not yet written
        Exchange ex;
        long idleSince;

        Conn(Origin origin, SocketChannel ch) {
            this.origin = origin;
            this.ch = ch;
        }
    }

    // ---------------------------------------------------------------- selector thread

    private void run() {
        try {
            while (!closed) {
                long timeoutMs = busy > 0 ? SCAN_BUSY_NANOS / 1_000_000 : 1000;
                selector.select(timeoutMs);
                Exchange ex;
                while ((ex = submitted.poll()) != null) {
                    start(ex);
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    handle(k);
                }
                long now = System.nanoTime();
                if (now - nextScan >= 0) {
                    scan(now);
                    nextScan = now + SCAN_BUSY_NANOS;
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // closing
        } finally {
            shutdown();
        }
    }

    private void start(Exchange ex) {
        if (ex.isDone()) {
            return;
        }
        busy++;
        ArrayDeque<Conn> q = idle.get(ex.origin);
        Conn c;
        while (q != null && (c = q.pollLast()) != null) {
            idleCount--;
            if (c.ch.isOpen() && c.key.isValid()) {
                attach(c, ex);
                try {
                    flushRequest(c);
                } catch (IOException | RuntimeException e) {
                    fail(c, e);
                }
                return;
            }
        }
        try {
            SocketChannel ch = SocketChannel.open();
            c = new Conn(ex.origin, ch);
            attach(c, ex);
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.connectDeadline = System.nanoTime() + connectTimeoutNanos;
                c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
                opened.incrementAndGet();
                if (ch.connect(new InetSocketAddress(ex.origin.host(), ex.origin.port()))) {
                    connected(c);
                }
            } catch (IOException | RuntimeException e) {
                fail(c, e);
            }
        } catch (IOException e) {
            busy--;
            ex.fail(e);
        }
    }

    private static void attach(Conn c, Exchange ex) {
        c.ex = ex;
        ex.conn = c;
    }

    private void handle(SelectionKey k) {
        Conn c = (Conn) k.attachment();
        try {
            if (k.isValid() && k.isConnectable()) {
                if (c.ch.finishConnect()) {
                    connected(c);
                }
            }
            if (k.isValid() && k.isWritable()) {
                if (c.handshaking) {
                    handshake(c);
                } else {
                    flushRequest(c);
                }
            }
            if (k.isValid() && k.isReadable()) {
                readable(c);
            }
        } catch (IOException | RuntimeException e) {
            fail(c, e);
        }
    }

    private void connected(Conn c) throws IOException {
        c.connected = true;
        c.key.interestOps(SelectionKey.OP_READ);
        if (c.origin.tls()) {
            SSLContext ctx = ssl;
            if (ctx == null) {
                try {
                    ctx = SSLContext.getDefault();
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IOException(e);
                }
            }
            SSLEngine engine = ctx.createSSLEngine(c.origin.host(), c.origin.port());
            engine.setUseClientMode(true);
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setApplicationProtocols(new String[] {"http/1.1"});
            engine.setSSLParameters(p);
            c.engine = engine;
            if (netIn == null) {
                int packet = engine.getSession().getPacketBufferSize();
                netIn = ByteBuffer.allocateDirect(2 * packet);
                netOut = ByteBuffer.allocateDirect(packet);
                appIn = ByteBuffer.allocateDirect(engine.getSession().getApplicationBufferSize() + 64);
            }
            c.handshaking = true;
            engine.beginHandshake();
            handshake(c);
        } else {
            flushRequest(c);
        }
    }

    /** Drives the TLS handshake as far as it goes without reading; sends the request once it is done. */
    private void handshake(Conn c) throws IOException {
        if (!flushNet(c)) {
            return;
        }
        while (true) {
            switch (c.engine.getHandshakeStatus()) {
                case NEED_WRAP -> {
                    netOut.clear();
                    SSLEngineResult r = c.engine.wrap(EMPTY, netOut);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS closed during handshake");
                    }
                    netOut.flip();
                    if (!writeNet(c, netOut)) {
                        return;
                    }
                }
                case NEED_TASK -> runTasks(c.engine);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    c.key.interestOps(SelectionKey.OP_READ);
                    return;
                }
                default -> { // FINISHED, NOT_HANDSHAKING
                    if (c.handshaking) {
                        c.handshaking = false;
                        if (c.ex != null && c.ex.out != null) {
                            flushRequest(c);
                        }
                    }
                    return;
                }
            }
        }
    }

    private static void runTasks(SSLEngine engine) {
        Runnable t;
        while ((t = engine.getDelegatedTask()) != null) {
            t.run();
        }
    }

    /** Writes what is left of the request; read interest stays on, write interest while bytes are left. */
    private void flushRequest(Conn c) throws IOException {
        Exchange ex = c.ex;
        if (ex == null || ex.out == null || c.handshaking || !c.connected) {
            return;
        }
        if (c.engine == null) {
            c.ch.write(ex.out);
        } else {
            if (!flushNet(c)) {
                return;
            }
            while (ex.out.hasRemaining()) {
                netOut.clear();
                SSLEngineResult r = c.engine.wrap(ex.out, netOut);
                if (r.getStatus() != SSLEngineResult.Status.OK) {
                    throw new SSLException("TLS wrap: " + r.getStatus());
                }
                netOut.flip();
                if (!writeNet(c, netOut)) {
                    return;
                }
            }
        }
        if (ex.out.hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } else {
            ex.out = null; // the request bytes are garbage from here on
            c.key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** Writes TLS bytes; what the socket does not take is kept on the connection. False if some are left. */
    private static boolean writeNet(Conn c, ByteBuffer src) throws IOException {
        c.ch.write(src);
        if (src.hasRemaining()) {
            ByteBuffer copy = ByteBuffer.allocate(src.remaining());
            copy.put(src).flip();
            c.netPending = copy;
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            return false;
        }
        return true;
    }

    private static boolean flushNet(Conn c) throws IOException {
        if (c.netPending != null) {
            c.ch.write(c.netPending);
            if (c.netPending.hasRemaining()) {
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return false;
            }
            c.netPending = null;
        }
        return true;
    }

    private void readable(Conn c) throws IOException {
        if (c.engine == null) {
            readBuf.clear();
            int n = c.ch.read(readBuf);
            if (n < 0) {
                endOfStream(c);
                return;
            }
            readBuf.flip();
            received(c, readBuf);
            return;
        }
        netIn.clear();
        if (c.tlsIn != null) {
            netIn.put(c.tlsIn);
            c.tlsIn = null;
        }
        int n = c.ch.read(netIn);
        netIn.flip();
        boolean closedByPeer = false;
        while (netIn.hasRemaining() && c.key.isValid()) {
            appIn.clear();
            SSLEngineResult r = c.engine.unwrap(netIn, appIn);
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runTasks(c.engine);
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                    || r.getStatus() == SSLEngineResult.Status.OK && r.bytesConsumed() == 0 && r.bytesProduced() == 0
                    && r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_TASK
                    && r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                break;
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                throw new SSLException("TLS record larger than the application buffer");
            }
            appIn.flip();
            if (appIn.hasRemaining()) {
                received(c, appIn);
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                closedByPeer = true;
                break;
            }
            if (c.handshaking || c.engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                handshake(c);
            }
        }
        if (netIn.hasRemaining() && !closedByPeer && c.key.isValid()) {
            byte[] rest = new byte[netIn.remaining()];
            netIn.get(rest);
            c.tlsIn = rest;
        }
        if ((n < 0 || closedByPeer) && c.key.isValid()) {
            endOfStream(c);
        }
    }

    /** Response bytes (after TLS) for the connection's exchange. */
    private void received(Conn c, ByteBuffer data) throws IOException {
        Exchange ex = c.ex;
        if (ex == null) { // nothing asked: a server must not send here
            close(c);
            return;
        }
        if (ex.feed(data)) {
            boolean reuse = ex.keepAlive && !data.hasRemaining() && ex.out == null && !ex.isDone();
            Response r = ex.response();
            done(c);
            if (reuse) {
                release(c);
            } else {
                close(c);
            }
            ex.succeed(r);
        }
    }

    private void endOfStream(Conn c) throws IOException {
        Exchange ex = c.ex;
        if (ex != null && ex.eof()) {
            Response r = ex.response();
            done(c);
            close(c);
            ex.succeed(r);
            return;
        }
        if (ex != null) {
            throw new IOException("connection closed by the server before the response was complete");
        }
        close(c);
    }

    private void done(Conn c) {
        if (c.ex != null) {
            c.ex.conn = null;
            c.ex = null;
            busy--;
        }
    }

    /** Back to the origin's idle pool (the oldest idle one is closed beyond the cap). */
    private void release(Conn c) {
        if (maxIdlePerOrigin == 0) {
            close(c);
            return;
        }
        ArrayDeque<Conn> q = idle.computeIfAbsent(c.origin, o -> new ArrayDeque<>());
        while (q.size() >= maxIdlePerOrigin) {
            close(q.peekFirst());
        }
        c.idleSince = System.nanoTime();
        q.addLast(c);
        idleCount++;
    }

    private void fail(Conn c, Throwable t) {
        Exchange ex = c.ex;
        done(c);
        close(c);
        if (ex != null) {
            ex.fail(t instanceof IOException ? t : new IOException(t));
        }
    }

    private void close(Conn c) {
        if (c == null) {
            return;
        }
        if (c.ex == null) {
            ArrayDeque<Conn> q = idle.get(c.origin);
            if (q != null && q.remove(c)) {
                idleCount--;
            }
        }
        if (c.key != null) {
            c.key.cancel();
        }
        try {
            c.ch.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Deadlines of requests in flight and connects, canceled exchanges, idle connections past their time. */
    private void scan(long now) {
        List<Conn> expired = null;
        for (SelectionKey k : selector.keys()) {
            if (!k.isValid() || !(k.attachment() instanceof Conn c)) {
                continue;
            }
            Exchange ex = c.ex;
            if (ex == null) {
                if (now - c.idleSince - idleTimeoutNanos > 0) {
                    (expired == null ? expired = new ArrayList<>() : expired).add(c);
                }
            } else if (ex.isDone() || now - ex.deadline > 0 || (!c.connected || c.handshaking) && now - c.connectDeadline > 0) {
                (expired == null ? expired = new ArrayList<>() : expired).add(c);
            }
        }
        if (expired == null) {
            return;
        }
        for (Conn c : expired) {
            Exchange ex = c.ex;
            if (ex == null) {
                close(c);
            } else if (ex.isDone()) { // canceled by its caller
                done(c);
                close(c);
            } else if (!c.connected || c.handshaking) {
                fail(c, new HttpConnectTimeoutException("connect timed out: " + c.origin.authority()));
            } else {
                fail(c, new HttpTimeoutException("request timed out"));
            }
        }
    }

    private void shutdown() {
        for (SelectionKey k : selector.keys()) {
            if (k.attachment() instanceof Conn c) {
                if (c.ex != null) {
                    fail(c, new IOException("client closed"));
                } else {
                    close(c);
                }
            }
        }
        Exchange ex;
        while ((ex = submitted.poll()) != null) {
            ex.fail(new IOException("client closed"));
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
