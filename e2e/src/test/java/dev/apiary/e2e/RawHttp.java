package dev.apiary.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 on a plain socket, for what an HTTP client library will not do: send a request header and hold the body
 * back (a connection nginx keeps open waiting for it), or read the answer while a large body is still being sent.
 * The socket is bound to a chosen loopback address, so per-address limits of a probe do not touch other tests.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    /** Connects from {@code localAddress} (any 127.x.y.z works on Linux) to nginx. */
    static RawHttp connect(String localAddress, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(30_000);
        return new RawHttp(s);
    }

    /** Writes a request header (CRLFs added; ends with the blank line). */
    RawHttp sendHeader(String method, String path, String... headerLines) throws IOException {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n");
        for (String h : headerLines) sb.append(h).append("\r\n");
        sb.append("\r\n");
        out().write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        out().flush();
        return this;
    }

    OutputStream out() throws IOException {
        return socket.getOutputStream();
    }

    /** A response: status, headers (lower-case names), body (Content-Length bodies only: what nginx sends here). */
    record Answer(int status, Map<String, String> headers, String body) {
        @Override
        public String toString() {
            return status + " " + headers.get("content-type") + " " + body;
        }
    }

    /** Reads one response. */
    Answer read() throws IOException {
        InputStream in = socket.getInputStream();
        String statusLine;
        try {
            statusLine = line(in);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no answer in " + socket.getSoTimeout() / 1000
                    + " s (is nginx waiting for a body it should have refused without reading?)");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("not HTTP: " + statusLine);
        Map<String, String> headers = new TreeMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0) headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Answer(Integer.parseInt(parts[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') b.write(c);
        }
        if (c == -1 && b.size() == 0) throw new IOException("connection closed before an answer");
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** Whether an answer (or the connection's end) is waiting to be read. */
    boolean answered() {
        try {
            return socket.getInputStream().available() > 0 || socket.isInputShutdown();
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }
}
