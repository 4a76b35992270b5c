package dev.apiary.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * Under Sentinel: listens on every sentinel for {@code +switch-master} of the service's master and then drops the
 * connection factory's shared connection, so the next command connects to the new master at once (Lettuce's own
 * connection went on writing to the old master until Sentinel turned it into a replica and closed its clients,
 * ~10 s later; SentinelWriteLossTest). Publishes {@link RedisMasterSwitched}. Several sentinels send the same switch:
 * each new master address is acted on once.
 */
final class SentinelMasterWatch implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SentinelMasterWatch.class);
    static final String CHANNEL = "+switch-master";

    private final String masterName;
    private final List<RedisURI> sentinels;
    private final LettuceConnectionFactory factory;
    private final ApplicationEventPublisher events;
    private final List<StatefulRedisPubSubConnection<String, String>> connections = new ArrayList<>();
    private RedisClient client;
    private String lastSwitchTo;

    SentinelMasterWatch(String masterName, List<RedisURI> sentinels, LettuceConnectionFactory factory,
            ApplicationEventPublisher events) {
        this.masterName = masterName;
        this.sentinels = List.copyOf(sentinels);
        this.factory = factory;
        this.events = events;
    }

    @Override
    public synchronized void start() {
        if (sentinels.isEmpty()) return; // not under Sentinel
        client = RedisClient.create();
        for (RedisURI uri : sentinels) {
            try {
                StatefulRedisPubSubConnection<String, String> c = client.connectPubSub(uri);
                c.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        onSwitch(message);
                    }
                });
                c.sync().subscribe(CHANNEL); // Lettuce subscribes again after a reconnect
                connections.add(c);
            } catch (RuntimeException e) {
                // a sentinel down now: the others still tell; this one is not watched
                log.warn("cannot watch sentinel {}:{} for master switches: {}", uri.getHost(), uri.getPort(), e.toString());
            }
        }
    }

    /** {@code <master name> <old ip> <old port> <new ip> <new port>}. */
    void onSwitch(String message) {
        String[] p = message.split(" ");
        if (p.length != 5 || !p[0].equals(masterName)) return;
        String from = p[1] + ":" + p[2];
        String to = p[3] + ":" + p[4];
        synchronized (this) {
            if (to.equals(lastSwitchTo)) return;
            lastSwitchTo = to;
        }
        log.warn("Redis master '{}' switched from {} to {}: reconnecting", masterName, from, to);
        factory.resetConnection();
        events.publishEvent(new RedisMasterSwitched(masterName, from, to));
    }

    @Override
    public synchronized void stop() {
        connections.forEach(StatefulRedisPubSubConnection::close);
        connections.clear();
        if (client != null) client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        client = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return client != null;
    }
}
