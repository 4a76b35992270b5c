package dev.apiary.common.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real Redis for tests, never the shared one on 6379: REDIS_URL if set; else a private {@code redis-server}
 * on a free port (one per test JVM, stopped at exit); else Testcontainers (com.redis testcontainers-redis) when
 * Docker is there; else a failure that says how to install Redis.
 */
public final class RedisTestServer {

    private static RedisTestServer shared;

    private final String host;
    private final int port;
    private final boolean owned;
    private Process process;
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
        String binary = redisServerBinary();
        if (binary == null) throw new IllegalStateException(installHint());
        RedisTestServer s = new RedisTestServer("127.0.0.1", freePort(), true);
        s.start();
        return s;
    }

    private static RedisTestServer create() {
        String url = System.getenv("REDIS_URL");
        if (url != null && !url.isBlank()) {
            URI u = URI.create(url);
            return new RedisTestServer(u.getHost(), u.getPort() > 0 ? u.getPort() : 6379, false);
        }
        if (redisServerBinary() != null) return startPrivate();
        RedisTestServer container = fromTestcontainers();
        if (container != null) return container;
        throw new IllegalStateException(installHint());
    }

    private static String installHint() {
        return "Tests need a real Redis: install redis-server (Debian/Ubuntu: sudo apt-get install -y redis-server; "
                + "macOS: brew install redis), or set REDIS_URL=redis://host:port to a Redis the tests may flush, "
                + "or run Docker so Testcontainers can start one.";
    }

    private static String redisServerBinary() {
        for (String dirName : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/local/bin").split(File.pathSeparator)) {
            File f = new File(dirName, "redis-server");
            if (f.canExecute()) return f.getAbsolutePath();
        }
        File f = new File("/usr/bin/redis-server");
        return f.canExecute() ? f.getAbsolutePath() : null;
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
        try {
            if (dir == null) dir = Files.createTempDirectory("apiary-redis-");
            ProcessBuilder pb = new ProcessBuilder(List.of(redisServerBinary(), "--port", String.valueOf(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                    "--protected-mode", "no"));
            pb.redirectErrorStream(true);
            pb.redirectOutput(dir.resolve("redis.log").toFile());
            process = pb.start();
            Process p = process;
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!"+PONG".equals(command("PING"))) {
                if (!process.isAlive()) throw new IllegalStateException("redis-server exited: see " + dir.resolve("redis.log"));
                if (System.nanoTime() > deadline) throw new IllegalStateException("redis-server did not answer PING on " + port);
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the private server (as an outage would); {@link #start()} brings it back on the same port. */
    public synchronized void stop() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
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

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
