package dev.apiary.alert.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/** The NIO client against real servers: the JDK's HttpServer/HttpsServer and raw sockets for exact bytes. */
@Timeout(120) // an exchange that never completes must fail the test, not hang it
class NioHttpTest {
    private final ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private NioHttp http;

    @BeforeEach
    void client() throws IOException {
        http = new NioHttp("nio-http-test", null, Duration.ofSeconds(2), Duration.ofSeconds(30), 8);
    }

    @AfterEach
    void close() throws Exception {
        http.close();
        for (AutoCloseable c : closing) {
            c.close();
        }
        vt.close();
    }

    private static byte[] get(NioHttp.Origin o, String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + o.authority() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] post(NioHttp.Origin o, String path, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return ("POST " + path + " HTTP/1.1\r\nHost: " + o.authority() + "\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + b.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** An HttpServer: /echo answers the body with Content-Length, /chunked a large body chunked. */
    private NioHttp.Origin jdkServer(Set<InetSocketAddress> peers) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        routes(s, peers, null);
        s.start();
        closing.add(() -> s.stop(0));
        return new NioHttp.Origin(false, "127.0.0.1", s.getAddress().getPort());
    }

    private void routes(HttpServer s, Set<InetSocketAddress> peers, CountDownLatch together) {
        s.setExecutor(vt);
        s.createContext("/echo", x -> {
            if (peers != null) {
                peers.add(x.getRemoteAddress());
            }
            byte[] body = x.getRequestBody().readAllBytes();
            if (together != null) {
                together.countDown();
                try {
                    together.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            x.getResponseHeaders().add("X-Method", x.getRequestMethod());
            x.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                x.getResponseBody().write(body);
            }
            x.close();
        });
        s.createContext("/chunked", x -> {
            x.sendResponseHeaders(200, 0); // length 0: chunked
            try (OutputStream out = x.getResponseBody()) {
                out.write(bigBody());
            }
        });
    }

    private static byte[] bigBody() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 200_000; i++) {
            sb.append("line ").append(i).append(" ünïcödé\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void originsAndHostHeaders() {
        NioHttp.Origin twilio = NioHttp.Origin.of(java.net.URI.create("https://api.twilio.com/2010-04-01/Accounts"));
        assertThat(twilio).isEqualTo(new NioHttp.Origin(true, "api.twilio.com", 443));
        assertThat(twilio.authority()).isEqualTo("api.twilio.com");
        NioHttp.Origin v6 = NioHttp.Origin.of(java.net.URI.create("http://[::1]:8090/"));
        assertThat(v6).isEqualTo(new NioHttp.Origin(false, "::1", 8090));
        assertThat(v6.authority()).isEqualTo("[::1]:8090");
    }

    @Test
    void sequentialRequestsReuseOneKeepAliveConnection() throws Exception {
        Set<InetSocketAddress> peers = ConcurrentHashMap.newKeySet();
        NioHttp.Origin o = jdkServer(peers);
        for (int i = 0; i < 20; i++) {
            NioHttp.Response r = http.send(o, post(o, "/echo", "hello " + i), Duration.ofSeconds(5)).await();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello " + i);
            assertThat(r.header("x-method")).isEqualTo("POST");
        }
        NioHttp.Response empty = http.send(o, get(o, "/echo"), Duration.ofSeconds(5)).await();
        assertThat(empty.body()).isEmpty();
        assertThat(http.connectionsOpened()).isEqualTo(1);
        assertThat(peers).hasSize(1);
    }

    @Test
    void chunkedResponsesLargerThanTheReadBufferArriveWhole() throws Exception {
        NioHttp.Origin o = jdkServer(null);
        for (int i = 0; i < 3; i++) {
            NioHttp.Response r = http.send(o, get(o, "/chunked"), Duration.ofSeconds(5)).await();
            assertThat(r.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
            assertThat(r.body()).isEqualTo(bigBody());
        }
        assertThat(http.connectionsOpened()).isEqualTo(1);
    }

    /** A raw server: each accepted connection is handed to {@code handler} on a virtual thread. */
    private NioHttp.Origin rawServer(RawHandler handler) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closing.add(ss);
        vt.execute(() -> {
            while (!ss.isClosed()) {
                try {
                    Socket s = ss.accept();
                    closing.add(s);
                    vt.execute(() -> {
                        try (s) {
                            handler.handle(s, s.getInputStream(), s.getOutputStream());
                        } catch (IOException e) {
                            // the test's client hung up
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return new NioHttp.Origin(false, "127.0.0.1", ss.getLocalPort());
    }

    interface RawHandler {
        void handle(Socket s, InputStream in, OutputStream out) throws IOException;
    }

    /** Reads one request head (no body) or returns null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        return null;
    }

    @Test
    void chunkExtensionsTrailersAndBytewiseDeliveryAreParsed() throws Exception {
        NioHttp.Origin o = rawServer((s, in, out) -> {
            while (readHead(in) != null) {
                byte[] resp = ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
                        + "5;ext=1\r\nhello\r\n1\r\n \r\n6\r\nworld!\r\n0\r\nX-Trailer: t\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                for (byte b : resp) { // one byte per write: every parser state split across reads
                    out.write(b);
                    out.flush();
                }
            }
        });
        for (int i = 0; i < 2; i++) {
            NioHttp.Response r = http.send(o, get(o, "/"), Duration.ofSeconds(5)).await();
            assertThat(r.bodyText()).isEqualTo("hello world!");
            assertThat(r.header("X-A")).isEqualTo("1");
        }
        assertThat(http.connectionsOpened()).isEqualTo(1);
    }

    @Test
    void aBodyWithoutLengthIsReadUntilTheServerCloses() throws Exception {
        NioHttp.Origin o = rawServer((s, in, out) -> {
            readHead(in);
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        });
        NioHttp.Response r = http.send(o, get(o, "/"), Duration.ofSeconds(5)).await();
        assertThat(r.bodyText()).isEqualTo("until the end");
        NioHttp.Response again = http.send(o, get(o, "/"), Duration.ofSeconds(5)).await();
        assertThat(again.bodyText()).isEqualTo("until the end");
        assertThat(http.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void connectionCloseIsHonouredAndAnIdleConnectionTheServerClosedIsNotReused() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        NioHttp.Origin o = rawServer((s, in, out) -> {
            int n = connections.incrementAndGet();
            readHead(in);
            // 1st connection: "Connection: close"; 2nd: keep-alive, then the server closes it while idle
            String conn = n == 1 ? "Connection: close\r\n" : "";
            out.write(("HTTP/1.1 200 OK\r\n" + conn + "Content-Length: 2\r\n\r\nok").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        });
        assertThat(http.send(o, get(o, "/"), Duration.ofSeconds(5)).await().bodyText()).isEqualTo("ok");
        assertThat(http.send(o, get(o, "/"), Duration.ofSeconds(5)).await().bodyText()).isEqualTo("ok");
        assertThat(http.connectionsOpened()).isEqualTo(2);
        // the second connection went back to the pool; the server's close drops it there
        await("the closed idle connection dropped", () -> http.idleConnections() == 0);
        assertThat(http.send(o, get(o, "/"), Duration.ofSeconds(5)).await().bodyText()).isEqualTo("ok");
        assertThat(http.connectionsOpened()).isEqualTo(3);
    }

    @Test
    void aRequestTheServerDropsFailsAndIsNotSentAgain() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        NioHttp.Origin o = rawServer((s, in, out) -> {
            if (readHead(in) != null) {
                requests.incrementAndGet();
            } // and close without answering
        });
        NioHttp.Exchange ex = http.send(o, get(o, "/"), Duration.ofSeconds(5));
        assertThatThrownBy(ex::await).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThat(requests.get()).isEqualTo(1);
        assertThat(http.connectionsOpened()).isEqualTo(1);
    }

    @Test
    void aResponseThatDoesNotComeTimesOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        closing.add(release::countDown);
        NioHttp.Origin o = rawServer((s, in, out) -> {
            readHead(in);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long t0 = System.nanoTime();
        NioHttp.Exchange ex = http.send(o, get(o, "/"), Duration.ofMillis(400));
        assertThatThrownBy(ex::await).isInstanceOf(HttpTimeoutException.class);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(390L, 3000L);
        assertThat(http.idleConnections()).isZero();
    }

    @Test
    void aServerThatNeverCompletesTheTlsHandshakeHitsTheConnectTimeout() throws Exception {
        try (NioHttp tls = new NioHttp("nio-http-test-tls", null, Duration.ofMillis(300), Duration.ofSeconds(30), 8)) {
            CountDownLatch release = new CountDownLatch(1);
            closing.add(release::countDown);
            NioHttp.Origin plain = rawServer((s, in, out) -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            NioHttp.Origin o = new NioHttp.Origin(true, "localhost", plain.port());
            NioHttp.Exchange ex = tls.send(o, get(o, "/"), Duration.ofSeconds(20));
            assertThatThrownBy(ex::await).isInstanceOf(HttpConnectTimeoutException.class);
        }
    }

    @Test
    void hundredsOfConcurrentRequestsAreInFlightAtOnce() throws Exception {
        int n = 300;
        CountDownLatch together = new CountDownLatch(n);
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        routes(s, null, together);
        s.start();
        closing.add(() -> s.stop(0));
        NioHttp.Origin o = new NioHttp.Origin(false, "127.0.0.1", s.getAddress().getPort());
        List<NioHttp.Exchange> exs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            exs.add(http.send(o, post(o, "/echo", "request " + i), Duration.ofSeconds(30)));
        }
        // the server answers none until all n are in: they are in flight together
        assertThat(together.await(20, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < n; i++) {
            assertThat(exs.get(i).await().bodyText()).isEqualTo("request " + i);
        }
        assertThat(http.connectionsOpened()).isEqualTo(n);
        assertThat(http.idleConnections()).isEqualTo(8); // the cap
        // and they are reused afterwards
        assertThat(http.send(o, post(o, "/echo", "again"), Duration.ofSeconds(5)).await().bodyText()).isEqualTo("again");
        assertThat(http.connectionsOpened()).isEqualTo(n);
    }

    // ---------------------------------------------------------------- TLS

    /** A keystore with a self-signed certificate for localhost, made by the JDK's keytool. */
    private static KeyStore keystore(Path dir) throws Exception {
        Path ks = dir.resolve("server.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        KeyStore k = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            k.load(in, "changeit".toCharArray());
        }
        return k;
    }

    @Test
    void httpsWithKeepAliveChunkedBodiesAndCertificateChecks(@TempDir Path dir) throws Exception {
        KeyStore ks = keystore(dir);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext serverCtx = SSLContext.getInstance("TLS");
        serverCtx.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext clientCtx = SSLContext.getInstance("TLS");
        clientCtx.init(null, tmf.getTrustManagers(), null);

        Set<InetSocketAddress> peers = ConcurrentHashMap.newKeySet();
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(serverCtx));
        routes(s, peers, null);
        s.start();
        closing.add(() -> s.stop(0));
        int port = s.getAddress().getPort();

        try (NioHttp tls = new NioHttp("nio-http-test-tls", clientCtx, Duration.ofSeconds(5), Duration.ofSeconds(30), 8)) {
            NioHttp.Origin o = new NioHttp.Origin(true, "localhost", port);
            assertThat(o.authority()).isEqualTo("localhost:" + port);
            for (int i = 0; i < 10; i++) {
                NioHttp.Response r = tls.send(o, post(o, "/echo", "secret " + i), Duration.ofSeconds(10)).await();
                assertThat(r.bodyText()).isEqualTo("secret " + i);
            }
            NioHttp.Response big = tls.send(o, get(o, "/chunked"), Duration.ofSeconds(10)).await();
            assertThat(big.body()).isEqualTo(bigBody()); // many TLS records, split across reads
            List<NioHttp.Exchange> exs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                exs.add(tls.send(o, post(o, "/echo", "parallel " + i), Duration.ofSeconds(10)));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(exs.get(i).await().bodyText()).isEqualTo("parallel " + i);
            }
            assertThat(tls.connectionsOpened()).isBetween(1, 21);
            assertThat(peers.size()).isEqualTo(tls.connectionsOpened());

            // the certificate names localhost only: the same server by its address fails verification
            NioHttp.Origin wrongName = new NioHttp.Origin(true, "127.0.0.1", port);
            assertThatThrownBy(() -> tls.send(wrongName, get(wrongName, "/echo"), Duration.ofSeconds(10)).await())
                    .isInstanceOf(SSLHandshakeException.class);
        }
        // the JDK's default trust store does not trust the self-signed certificate
        NioHttp.Origin o = new NioHttp.Origin(true, "localhost", port);
        assertThatThrownBy(() -> http.send(o, get(o, "/echo"), Duration.ofSeconds(10)).await())
                .isInstanceOf(SSLHandshakeException.class);
    }
}
