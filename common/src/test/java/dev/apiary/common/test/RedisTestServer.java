package dev.apiary.common.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real Redis for tests, never the shared one on 6379: REDIS_URL if set; else a private {@code redis-server}
 * on a free port (one per test JVM; it dies with the JVM, its directory is removed); else Testcontainers
 * (com.redis testcontainers-redis) when Docker is there; else a failure that says how to install Redis.
 * Redis Cluster and Sentinel: {@link RedisClusterTestServer}, {@link RedisSentinelTestServer}.
 */
public final class RedisTestServer {

    private static RedisTestServer shared;

    private final String host;
    private final int port;
    private final boolean owned;
    private RedisProcess process;
    private Path dir;

    private RedisTestServer(String host, int port, boolean owned) {
        this.host = host;
        this.port = port;
        this.owned = owned;
    }

    /** The Redis of this test JVM. */
    public static synchronized RedisTestServer shared() {
        if (shared == null) shared = create();
        return shared;
    }

    /** A Redis of one's own (on its own port), which a test may {@link #stop()} and {@link #start()} again. */
    public static RedisTestServer startPrivate() {
        if (RedisProcess.binary() == null) throw new IllegalStateException(RedisProcess.installHint());
        RedisTestServer s = new RedisTestServer("127.0.0.1", RedisProcess.freePort(), true);
        s.start();
        return s;
    }

    private static RedisTestServer create() {
        String url = System.getenv("REDIS_URL");
        if (url != null && !url.isBlank()) {
            URI u = URI.create(url);
            return new RedisTestServer(u.getHost(), u.getPort() > 0 ? u.getPort() : 6379, false);
        }
        if (RedisProcess.binary() != null) return startPrivate();
        RedisTestServer container = fromTestcontainers();
        if (container != null) return container;
        throw new IllegalStateException(RedisProcess.installHint());
    }

    private static RedisTestServer fromTestcontainers() {
        try {
            Class<?> factory = Class.forName("org.testcontainers.DockerClientFactory");
            Object instance = factory.getMethod("instance").invoke(null);
            if (!(Boolean) factory.getMethod("isDockerAvailable").invoke(instance)) return null;
            Class<?> type = Class.forName("com.redis.testcontainers.RedisContainer");
            Object c = type.getConstructor(String.class).newInstance("redis:7");
            type.getMethod("start").invoke(c);
            String h = (String) type.getMethod("getHost").invoke(c);
            int p = (Integer) type.getMethod("getFirstMappedPort").invoke(c);
            return new RedisTestServer(h, p, false);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://" + host + ":" + port;
    }

    /** Points a Spring test at this Redis. */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", this::host);
        registry.add("spring.data.redis.port", this::port);
    }

    /** (Re)starts the private server on its port. */
    public synchronized void start() {
        if (!owned) throw new IllegalStateException("not a private server");
        if (process != null && process.isAlive()) return;
        if (dir == null) dir = RedisProcess.tempDir("apiary-redis-");
        process = RedisProcess.start(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no"), dir.resolve("redis.log"));
        Await.until(Duration.ofSeconds(10), "redis-server answers PING on " + port + " (log: " + process.log() + ")",
                () -> {
                    if (!process.isAlive()) throw new AssertionError("redis-server exited: see " + process.log());
                    return "+PONG".equals(command("PING"));
                });
    }

    /** Stops the private server (as an outage would); {@link #start()} brings it back on the same port. */
    public synchronized void stop() {
        if (process == null) return;
        process.kill();
        process = null;
    }

    /** Freezes the server (SIGSTOP): connections stay open, commands time out, until {@link #resume()}. */
    public synchronized void pause() {
        if (process == null) throw new IllegalStateException("not running");
        process.pause();
    }

    public synchronized void resume() {
        if (process != null) process.resume();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** FLUSHALL: a clean slate between tests. */
    public void flushAll() {
        command("FLUSHALL");
    }

    /** Sends one inline command and answers the first reply line (null when unreachable). */
    public String command(String inline) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r') line.append((char) c);
            return line.toString();
        } catch (IOException e) {
            return null;
        }
    }

}
