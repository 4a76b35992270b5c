package dev.apiary.common.test;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;

/**
 * One {@code redis-server} (or sentinel) started by a test JVM, which dies with that JVM even on kill -9: it runs
 * under a small {@code sh} guard that waits on its stdin, a pipe only this JVM holds; when the JVM goes, the pipe
 * closes and the guard kills the server. Scratch directories are removed at JVM exit.
 */
final class RedisProcess {

    // the guard: start the server, wait for EOF on stdin (this JVM's end of the pipe), then kill it
    private static final String GUARD = "\"$0\" \"$@\" & r=$!; trap 'kill -9 $r 2>/dev/null' EXIT HUP INT TERM; "
            + "cat >/dev/null; kill -9 $r 2>/dev/null; wait $r";

    private static final Set<RedisProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRS = ConcurrentHashMap.newKeySet();

    private static final String OWNER_FILE = "owner.pid";

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LIVE.forEach(RedisProcess::kill);
            DIRS.forEach(RedisProcess::deleteTree);
        }, "redis-test-cleanup"));
        sweepOrphans();
    }

    private final Process guard;
    private final ProcessHandle server;
    private final Path log;

    private RedisProcess(Process guard, ProcessHandle server, Path log) {
        this.guard = guard;
        this.server = server;
        this.log = log;
    }

    /** Starts {@code redis-server args...}, output to {@code log}. */
    static RedisProcess start(List<String> args, Path log) {
        String binary = binary();
        if (binary == null) throw new IllegalStateException(installHint());
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", GUARD, binary));
        cmd.addAll(args);
        try {
            Process guard = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Optional<ProcessHandle> server;
            while ((server = guard.children().findFirst()).isEmpty()) {
                if (!guard.isAlive() || System.nanoTime() > deadline) {
                    guard.destroyForcibly();
                    throw new IllegalStateException("could not start redis-server: see " + log);
                }
                Thread.sleep(5);
            }
            RedisProcess p = new RedisProcess(guard, server.get(), log);
            LIVE.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean isAlive() {
        return server.isAlive();
    }

    Path log() {
        return log;
    }

    /** SIGKILL, as a crash would; waits until the server is gone. */
    void kill() {
        LIVE.remove(this);
        server.destroyForcibly();
        try (OutputStream in = guard.getOutputStream()) {
            in.flush();
        } catch (IOException ignored) {
            // the guard is gone already
        }
        try {
            server.onExit().get(10, TimeUnit.SECONDS);
            guard.waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
        guard.destroyForcibly();
    }

    /** SIGSTOP: the server hangs (commands time out) until {@link #resume()}. */
    void pause() {
        signal("STOP");
    }

    void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process p = new ProcessBuilder("kill", "-" + name, String.valueOf(server.pid())).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + server.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A scratch directory removed at JVM exit (or by {@link #deleteTree}); one left by a JVM that was killed is removed
     * by the next test JVM (its owner's pid is written in it).
     */
    static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            DIRS.add(dir);
            Files.writeString(dir.resolve(OWNER_FILE), String.valueOf(ProcessHandle.current().pid()));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the scratch directories of test JVMs that died without their shutdown hook (kill -9). */
    private static void sweepOrphans() {
        try (var dirs = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")), "apiary-redis-*")) {
            for (Path dir : dirs) {
                Path owner = dir.resolve(OWNER_FILE);
                if (!Files.isRegularFile(owner)) continue;
                long pid = Long.parseLong(Files.readString(owner).trim());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                deleteTree(dir);
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: another JVM may sweep the same directory at the same time
        }
    }

    static void deleteTree(Path dir) {
        DIRS.remove(dir);
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException ignored) {
            // best effort: a file written while we delete (a dying server's last log line)
        }
    }

    static String binary() {
        for (String dirName : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/local/bin").split(File.pathSeparator)) {
            File f = new File(dirName, "redis-server");
            if (f.canExecute()) return f.getAbsolutePath();
        }
        File f = new File("/usr/bin/redis-server");
        return f.canExecute() ? f.getAbsolutePath() : null;
    }

    static String cliBinary() {
        String server = binary();
        if (server != null) {
            File cli = new File(new File(server).getParentFile(), "redis-cli");
            if (cli.canExecute()) return cli.getAbsolutePath();
        }
        throw new IllegalStateException("redis-cli is missing: " + installHint());
    }

    static String installHint() {
        return "Tests need a real Redis: install redis-server (Debian/Ubuntu: sudo apt-get install -y redis-server "
                + "redis-tools; macOS: brew install redis), or set REDIS_URL=redis://host:port to a Redis the tests may "
                + "flush, or run Docker so Testcontainers can start one (standalone only).";
    }

    /**
     * A port nobody listens on, below the kernel's ephemeral range (so an outgoing connection cannot take it between
     * the choice and the server's bind) and not handed out before by this JVM.
     */
    static int freePort() {
        int low = 15000;
        int high = ephemeralLow();
        for (int tries = 0; tries < 1000; tries++) {
            int port = ThreadLocalRandom.current().nextInt(low, high);
            if (!HANDED_OUT.add(port)) continue;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port found");
    }

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > 16000 ? low : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
