package dev.apiary.common.test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * One Redis server (a cluster node, a master or replica under Sentinel) as the test support sees it: a direct
 * connection to exactly this node for control commands (INFO, CLUSTER ..., PUBLISH on this node), never routed.
 */
public record RedisNode(String host, int port) {

    static final RedisClient CLIENT = RedisClient.create();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CLIENT.shutdown(Duration.ZERO, Duration.ofSeconds(1)),
                "redis-node-client-shutdown"));
    }

    public String address() {
        return host + ":" + port;
    }

    /** Runs {@code call} on a fresh connection to this node (2 s timeout). */
    public <T> T call(Function<RedisCommands<String, String>, T> call) {
        RedisURI uri = RedisURI.builder().withHost(host).withPort(port).withTimeout(Duration.ofSeconds(2)).build();
        try (StatefulRedisConnection<String, String> c = CLIENT.connect(uri)) {
            return call.apply(c.sync());
        }
    }

    /** One INFO section as a map ({@code role}, {@code master_link_status}, ...). */
    public Map<String, String> info(String section) {
        return parseInfo(call(c -> c.info(section)));
    }

    /** PUBLISH on this very node; answers how many subscribers of this node got it. */
    public long publish(String channel, String message) {
        return call(c -> c.publish(channel, message));
    }

    public boolean answers() {
        try {
            return "PONG".equals(call(RedisCommands::ping));
        } catch (RuntimeException e) {
            return false;
        }
    }

    static Map<String, String> parseInfo(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) m.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return m;
    }

    @Override
    public String toString() {
        return address();
    }
}
