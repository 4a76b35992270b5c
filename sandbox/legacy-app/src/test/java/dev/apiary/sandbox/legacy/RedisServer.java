package dev.apiary.sandbox.legacy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** A private redis-server on a free port for this test JVM (never the shared 6379). */
final class RedisServer {
    private static RedisServer shared;
    final int port;
    private final Process process;

    private RedisServer() throws IOException, InterruptedException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("redis-server did not start (apt-get install redis-server)");
                }
                Thread.sleep(50);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    }

    static synchronized RedisServer shared() {
        if (shared == null) {
            try {
                shared = new RedisServer();
            } catch (IOException e) {
                throw new IllegalStateException("redis-server is not installed (apt-get install redis-server)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }
}
