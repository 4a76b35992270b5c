package dev.apiary.common.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.test.context.DynamicPropertyRegistry;

import io.lettuce.core.cluster.SlotHash;

/**
 * A real Redis Cluster for tests: 3 masters and 3 replicas ({@code redis-server --cluster-enabled yes} on free ports,
 * joined with {@code redis-cli --cluster create --cluster-replicas 1}), ready once every node reports
 * {@code cluster_state:ok} with all 16384 slots served and every replica in sync. The processes die with the test JVM
 * and their directory is removed.
 * <p>
 * {@link #shared()} is one cluster per test JVM, started when first asked for; {@link #startPrivate(Duration)} gives
 * one a test may break ({@link #kill(RedisNode)}) and {@link #stop()}.
 */
public final class RedisClusterTestServer {

    private static final Duration READY = Duration.ofSeconds(90);
    private static RedisClusterTestServer shared;

    private final Path dir;
    private final Duration nodeTimeout;
    private final Map<RedisNode, Node> nodes = new LinkedHashMap<>();

    private static final class Node {
        final int busPort;
        final Path dir;
        volatile RedisProcess process;

        Node(int busPort, Path dir) {
            this.busPort = busPort;
            this.dir = dir;
        }
    }

    private RedisClusterTestServer(Duration nodeTimeout) {
        this.dir = RedisProcess.tempDir("apiary-redis-cluster-");
        this.nodeTimeout = nodeTimeout;
    }

    /** The cluster of this test JVM (node timeout 5 s: no false failovers on a loaded machine). */
    public static synchronized RedisClusterTestServer shared() {
        if (shared == null) shared = startPrivate(Duration.ofSeconds(5));
        return shared;
    }

    /**
     * A cluster of one's own. {@code nodeTimeout} is how long a master may be unreachable before its replica takes
     * over by itself (short for outage tests).
     */
    public static RedisClusterTestServer startPrivate(Duration nodeTimeout) {
        RedisClusterTestServer c = new RedisClusterTestServer(nodeTimeout);
        try {
            c.create();
        } catch (RuntimeException | AssertionError e) {
            c.stop();
            throw e;
        }
        return c;
    }

    private void create() {
        for (int i = 0; i < 6; i++) {
            RedisNode node = new RedisNode("127.0.0.1", RedisProcess.freePort());
            Node n = new Node(RedisProcess.freePort(), dir.resolve(String.valueOf(node.port())));
            nodes.put(node, n);
            start(node, n);
        }
        for (RedisNode node : nodes.keySet()) Await.until(Duration.ofSeconds(20), node + " answers", node::answers);
        List<String> cmd = new ArrayList<>(List.of(RedisProcess.cliBinary(), "--cluster", "create"));
        nodes.keySet().forEach(n -> cmd.add(n.address()));
        cmd.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        Path log = dir.resolve("cluster-create.log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create did not finish: " + Files.readString(log));
            }
            if (p.exitValue() != 0) throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(log));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not run redis-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        awaitHealthy(READY);
    }

    private void start(RedisNode node, Node n) {
        try {
            Files.createDirectories(n.dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        n.process = RedisProcess.start(List.of("--port", String.valueOf(node.port()),
                "--cluster-port", String.valueOf(n.busPort), "--bind", "127.0.0.1", "--protected-mode", "no",
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", String.valueOf(nodeTimeout.toMillis()),
                // a replica may always take over (tests kill masters at any time)
                "--cluster-replica-validity-factor", "0", "--cluster-allow-replica-migration", "no",
                // a replica syncs at once (the default waits 5 s for more replicas to share the transfer)
                "--save", "", "--repl-diskless-sync-delay", "0", "--appendonly", "no", "--dir", n.dir.toString()), n.dir.resolve("redis.log"));
    }

    /** Every node, masters and replicas, as {@code host:port}. */
    public List<RedisNode> nodes() {
        return List.copyOf(nodes.keySet());
    }

    /** Points a Spring test at this cluster ({@code spring.data.redis.cluster.nodes}). */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.cluster.nodes",
                () -> String.join(",", nodes.keySet().stream().map(RedisNode::address).toList()));
    }

    /** The current view of the cluster, as a live node tells it. */
    public ClusterView view() {
        AssertionError last = null;
        for (RedisNode node : nodes.keySet()) {
            if (!isRunning(node)) continue;
            try {
                return ClusterView.parse(node.call(c -> c.clusterNodes()));
            } catch (RuntimeException e) {
                last = new AssertionError("CLUSTER NODES on " + node + " failed: " + e);
            }
        }
        throw last != null ? last : new AssertionError("no cluster node is running");
    }

    /** The master now serving {@code key}'s slot. */
    public RedisNode masterOf(String key) {
        return view().masterOfSlot(SlotHash.getSlot(key));
    }

    public boolean isRunning(RedisNode node) {
        RedisProcess p = nodes.get(node).process;
        return p != null && p.isAlive();
    }

    /**
     * Fails over every master, one after the other: {@code CLUSTER FAILOVER} on its replica (a coordinated manual
     * failover: the master stops taking writes until the replica has all of them, so nothing is lost), then waits
     * until the replica serves the slots, every node agrees and the old master follows the new one.
     */
    public void failoverAllMasters() {
        awaitHealthy(READY);
        ClusterView before = view();
        for (ClusterView.Entry master : before.masters()) {
            ClusterView.Entry replica = before.replicasOf(master.id()).getFirst();
            failover(replica.node(), master.node());
        }
    }

    private void failover(RedisNode replica, RedisNode master) {
        long deadline = System.nanoTime() + READY.toNanos();
        while (!"master".equals(replica.info("replication").get("role"))) {
            if (System.nanoTime() > deadline) throw new AssertionError("CLUSTER FAILOVER on " + replica + " never took effect");
            try {
                replica.call(c -> c.clusterFailover(false));
            } catch (RuntimeException e) {
                // e.g. "master is down or failed" while the cluster still settles: try again
            }
            // a manual failover either completes or is aborted after 5 s (CLUSTER_MF_TIMEOUT); then it is sent again
            try {
                Await.until(Duration.ofSeconds(7), replica + " promoted",
                        () -> "master".equals(replica.info("replication").get("role")));
            } catch (AssertionError notYet) {
                // send it again
            }
        }
        Await.until(READY, "the cluster agrees " + replica + " replaced " + master, () -> {
            ClusterView v = view();
            return v.isMaster(replica) && v.replicasOf(v.idOf(replica)).stream().anyMatch(e -> e.node().equals(master))
                    && healthy();
        });
    }

    /**
     * Waits until every running node reports the cluster ok and sees all slots served by running masters (a killed
     * master replaced by its replica), whether or not every master has a replica again.
     */
    public void awaitServing(Duration timeout) {
        Await.until(timeout, "every slot served by a running master, as every running node sees it",
                () -> nodes.keySet().stream().filter(this::isRunning).allMatch(node -> {
                    Map<String, String> info = RedisNode.parseInfo(node.call(c -> c.clusterInfo()));
                    int served = ClusterView.parse(node.call(c -> c.clusterNodes())).masters().stream()
                            .filter(m -> nodes.containsKey(m.node()) && isRunning(m.node()))
                            .mapToInt(ClusterView.Entry::slotCount).sum();
                    return "ok".equals(info.get("cluster_state")) && served == 16384;
                }));
    }

    /** Waits until every running node reports the cluster ok, all slots served and every replica in sync. */
    public void awaitHealthy(Duration timeout) {
        Await.until(timeout, "cluster healthy (state ok, 16384 slots, 3 masters with a synced replica each)",
                this::healthy);
    }

    private boolean healthy() {
        String agreed = null;
        for (RedisNode node : nodes.keySet()) {
            if (!isRunning(node)) return false;
            Map<String, String> info = RedisNode.parseInfo(node.call(c -> c.clusterInfo()));
            if (!"ok".equals(info.get("cluster_state")) || !"16384".equals(info.get("cluster_slots_ok"))
                    || !String.valueOf(nodes.size()).equals(info.get("cluster_known_nodes"))) {
                return false;
            }
            ClusterView v = ClusterView.parse(node.call(c -> c.clusterNodes()));
            if (!v.settled(3)) return false;
            String masters = v.masters().stream().map(ClusterView.Entry::id).sorted().toList().toString();
            if (agreed == null) agreed = masters;
            else if (!agreed.equals(masters)) return false;
            Map<String, String> repl = node.info("replication");
            if ("slave".equals(repl.get("role")) && !"up".equals(repl.get("master_link_status"))) return false;
        }
        return true;
    }

    /** Kills a node (SIGKILL) as a crash would. */
    public void kill(RedisNode node) {
        RedisProcess p = nodes.get(node).process;
        if (p != null) p.kill();
    }

    /** Starts a killed node again with its old cluster state; it rejoins (as a replica if it was replaced). */
    public void restart(RedisNode node) {
        if (isRunning(node)) return;
        start(node, nodes.get(node));
        Await.until(Duration.ofSeconds(20), node + " answers", node::answers);
    }

    /** Stops every node and removes the cluster's directory. */
    public synchronized void stop() {
        nodes.values().forEach(n -> {
            if (n.process != null) n.process.kill();
        });
        RedisProcess.deleteTree(dir);
    }
}
