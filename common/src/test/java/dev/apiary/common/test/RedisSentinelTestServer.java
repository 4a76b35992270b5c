package dev.apiary.common.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.test.context.DynamicPropertyRegistry;

import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;

/**
 * A real Redis Sentinel set-up for tests: a master, a replica and 3 sentinels (quorum 2) on free ports, ready once
 * every sentinel knows the master, its in-sync replica and the two other sentinels. The processes die with the test
 * JVM and their directory is removed. {@link #shared()} is one per test JVM, started when first asked for.
 */
public final class RedisSentinelTestServer {

    /** The name the sentinels monitor the master under ({@code spring.data.redis.sentinel.master}). */
    public static final String MASTER_NAME = "apiary";
    private static final Duration READY = Duration.ofSeconds(90);
    private static RedisSentinelTestServer shared;

    private final Path dir = RedisProcess.tempDir("apiary-redis-sentinel-");
    private final List<RedisNode> servers = new ArrayList<>();
    private final List<RedisNode> sentinels = new ArrayList<>();
    private final List<RedisProcess> processes = new ArrayList<>();

    private RedisSentinelTestServer() {
    }

    public static synchronized RedisSentinelTestServer shared() {
        if (shared == null) {
            RedisSentinelTestServer s = new RedisSentinelTestServer();
            try {
                s.create();
            } catch (RuntimeException | AssertionError e) {
                s.stop();
                throw e;
            }
            shared = s;
        }
        return shared;
    }

    private void create() {
        RedisNode master = new RedisNode("127.0.0.1", RedisProcess.freePort());
        RedisNode replica = new RedisNode("127.0.0.1", RedisProcess.freePort());
        servers.add(master);
        servers.add(replica);
        startServer(master, List.of());
        startServer(replica, List.of("--replicaof", master.host(), String.valueOf(master.port())));
        Await.until(Duration.ofSeconds(30), "replica in sync with the master",
                () -> "up".equals(replica.info("replication").get("master_link_status")));
        for (int i = 0; i < 3; i++) {
            RedisNode sentinel = new RedisNode("127.0.0.1", RedisProcess.freePort());
            sentinels.add(sentinel);
            Path conf = dir.resolve("sentinel-" + sentinel.port() + ".conf");
            write(conf, String.join("\n",
                    "port " + sentinel.port(),
                    "bind 127.0.0.1",
                    "protected-mode no",
                    "dir " + dir,
                    "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " 2",
                    // long enough that a loaded machine never looks like a dead master; tests fail over on purpose
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 10000",
                    "sentinel failover-timeout " + MASTER_NAME + " 20000",
                    "sentinel parallel-syncs " + MASTER_NAME + " 1", ""));
            processes.add(RedisProcess.start(List.of(conf.toString(), "--sentinel"),
                    dir.resolve("sentinel-" + sentinel.port() + ".log")));
        }
        awaitHealthy(READY);
    }

    private void startServer(RedisNode node, List<String> extra) {
        Path d = dir.resolve(String.valueOf(node.port()));
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a replica syncs at once (the default waits 5 s for more replicas to share the transfer)
        List<String> args = new ArrayList<>(List.of("--port", String.valueOf(node.port()), "--bind", "127.0.0.1",
                "--protected-mode", "no", "--save", "", "--repl-diskless-sync-delay", "0", "--appendonly", "no", "--dir", d.toString()));
        args.addAll(extra);
        processes.add(RedisProcess.start(args, d.resolve("redis.log")));
        Await.until(Duration.ofSeconds(20), node + " answers", node::answers);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points a Spring test at the sentinels ({@code spring.data.redis.sentinel.master} and {@code .nodes}). */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.sentinel.master", () -> MASTER_NAME);
        registry.add("spring.data.redis.sentinel.nodes",
                () -> String.join(",", sentinels.stream().map(RedisNode::address).toList()));
    }

    public List<RedisNode> sentinels() {
        return List.copyOf(sentinels);
    }

    /** The master and the replica. */
    public List<RedisNode> servers() {
        return List.copyOf(servers);
    }

    /** The master as the first sentinel tells it. */
    public RedisNode master() {
        return sentinel(sentinels.getFirst(), s -> node(s.getMasterAddrByName(MASTER_NAME)));
    }

    public RedisNode replica() {
        RedisNode master = master();
        return servers.stream().filter(n -> !n.equals(master)).findFirst().orElseThrow();
    }

    /**
     * {@code SENTINEL FAILOVER}: the replica becomes the master. Waits until every sentinel names it, it takes writes,
     * and the old master has been turned into its in-sync replica (Sentinel does that some seconds after the switch),
     * so the set-up is whole again and may be failed over once more.
     */
    public void failover() {
        awaitHealthy(READY);
        RedisNode before = master();
        RedisNode next = replica();
        Await.until(READY, "SENTINEL FAILOVER accepted", () -> {
            try {
                return "OK".equals(sentinel(sentinels.getFirst(), s -> s.failover(MASTER_NAME)));
            } catch (RuntimeException e) {
                // INPROG / NOGOODSLAVE while the sentinels still settle: ask again
                return false;
            }
        });
        Await.until(READY, "sentinels name " + next + " as master and " + before + " follows it", () -> {
            for (RedisNode s : sentinels) {
                if (!next.equals(sentinel(s, c -> node(c.getMasterAddrByName(MASTER_NAME))))) return false;
            }
            return healthy();
        });
    }

    /**
     * Waits until the replica has every write the master had when this was called (replication is asynchronous:
     * what a failover promotes is what the replica had).
     */
    public void awaitReplicated(Duration timeout) {
        RedisNode master = master();
        long offset = Long.parseLong(master.info("replication").get("master_repl_offset"));
        RedisNode replica = replica();
        Await.until(timeout, "replica " + replica + " at offset " + offset, () -> {
            Map<String, String> r = replica.info("replication");
            return Long.parseLong(r.getOrDefault("slave_repl_offset", r.get("master_repl_offset"))) >= offset;
        });
    }

    /** Waits until the master answers as master, the replica is in sync, and every sentinel sees the whole set-up. */
    public void awaitHealthy(Duration timeout) {
        Await.until(timeout, "sentinel set-up healthy (master, synced replica, 3 sentinels agreeing)", this::healthy);
    }

    private boolean healthy() {
        RedisNode master = master();
        if (!"master".equals(master.info("replication").get("role"))) return false;
        RedisNode replica = servers.stream().filter(n -> !n.equals(master)).findFirst().orElseThrow();
        Map<String, String> repl = replica.info("replication");
        if (!"slave".equals(repl.get("role")) || !"up".equals(repl.get("master_link_status"))
                || !String.valueOf(master.port()).equals(repl.get("master_port"))) {
            return false;
        }
        for (RedisNode s : sentinels) {
            boolean ok = sentinel(s, c -> {
                Map<String, String> m = c.master(MASTER_NAME);
                if (!master.equals(new RedisNode(m.get("ip"), Integer.parseInt(m.get("port"))))) return false;
                if (!"master".equals(m.get("flags")) || !"2".equals(m.get("num-other-sentinels"))) return false;
                List<Map<String, String>> replicas = c.replicas(MASTER_NAME);
                return replicas.stream().anyMatch(r -> replica.equals(new RedisNode(r.get("ip"), Integer.parseInt(r.get("port"))))
                        && "slave".equals(r.get("flags")) && "ok".equals(r.get("master-link-status")));
            });
            if (!ok) return false;
        }
        return true;
    }

    private static <T> T sentinel(RedisNode sentinel, Function<RedisSentinelCommands<String, String>, T> call) {
        RedisURI uri = RedisURI.builder().withHost(sentinel.host()).withPort(sentinel.port())
                .withTimeout(Duration.ofSeconds(2)).build();
        try (StatefulRedisSentinelConnection<String, String> c = RedisNode.CLIENT.connectSentinel(uri)) {
            return call.apply(c.sync());
        }
    }

    private static RedisNode node(SocketAddress address) {
        InetSocketAddress a = (InetSocketAddress) address;
        return new RedisNode(a.getHostString(), a.getPort());
    }

    /** Stops every process and removes the directory. */
    public synchronized void stop() {
        processes.forEach(RedisProcess::kill);
        RedisProcess.deleteTree(dir);
    }
}
