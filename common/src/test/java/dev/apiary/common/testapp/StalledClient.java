package dev.apiary.common.testapp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client that asks for an event stream and then never reads: a raw socket with a small receive buffer, so the
 * server's writes to it really stop once a few KB are in flight.
 */
final class StalledClient implements AutoCloseable {

    private final Socket socket = new Socket();

    StalledClient(int port, String path, String key) throws IOException {
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + "Authorization: Bearer " + key + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Starts reading after all: everything up to the end of the response (its last chunk) or of the connection. */
    String readToEnd() throws IOException {
        socket.setSoTimeout(30_000);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            all.write(buf, 0, n);
            if (all.toString(StandardCharsets.UTF_8).endsWith("\r\n0\r\n\r\n")) break;
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
