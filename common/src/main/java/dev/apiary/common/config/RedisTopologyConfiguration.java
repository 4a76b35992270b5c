package dev.apiary.common.config;

import java.time.Duration;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;

/**
 * How the Redis client follows a failover, under Sentinel and on a Cluster (standalone is left as Boot makes it).
 * Spring Boot's own properties still decide; these fill what Boot has no property for.
 */
@Configuration(proxyBeanMethods = false)
class RedisTopologyConfiguration {

    /**
     * Adaptive refreshes (a MOVED, a node reconnecting again and again) at most this often; Lettuce's default, 30 s,
     * swallows the trigger that matters: the first reconnects come before the replica has taken over, and their
     * refresh then blocks the next one, so clients kept failing until the periodic refresh (ClusterOutageTest: served
     * again ~15 s after a master was killed; ~10 s with this, the next reconnect attempt being the trigger).
     */
    static final Duration ADAPTIVE_REFRESH_MIN_INTERVAL = Duration.ofSeconds(5);

    /**
     * Under Sentinel: a master/replica connection that follows Sentinel's switch-master events, so writes go to the
     * new master as soon as Sentinel has switched (a plain connection keeps writing to the old master until Sentinel
     * demotes it, seconds later, and those writes are lost). Reads and writes still all go to the master.
     */
    @Bean
    LettuceClientConfigurationBuilderCustomizer apiarySentinelFollowsMaster(Environment env) {
        return builder -> {
            if (env.containsProperty("spring.data.redis.sentinel.master")
                    && !env.containsProperty("spring.data.redis.lettuce.read-from")) {
                builder.readFrom(ReadFrom.UPSTREAM);
            }
        };
    }

    /**
     * Under Sentinel: reconnects as soon as a sentinel announces a new master ({@link SentinelMasterWatch}); idle on
     * the other topologies. Decided here, when the service starts: Spring AOT fixes bean conditions at build time.
     */
    @Bean
    SentinelMasterWatch apiarySentinelMasterWatch(DataRedisProperties properties, LettuceConnectionFactory factory,
            ApplicationEventPublisher events) {
        DataRedisProperties.Sentinel s = properties.getSentinel();
        if (s == null || s.getMaster() == null) {
            return new SentinelMasterWatch(null, List.of(), factory, events);
        }
        List<RedisURI> sentinels = s.getNodes().stream().map(node -> {
            int colon = node.lastIndexOf(':');
            RedisURI.Builder uri = RedisURI.builder().withHost(node.substring(0, colon))
                    .withPort(Integer.parseInt(node.substring(colon + 1))).withTimeout(Duration.ofSeconds(2));
            if (s.getPassword() != null) {
                if (s.getUsername() != null) uri.withAuthentication(s.getUsername(), s.getPassword().toCharArray());
                else uri.withPassword(s.getPassword().toCharArray());
            }
            return uri.build();
        }).toList();
        return new SentinelMasterWatch(s.getMaster(), sentinels, factory, events);
    }

    /**
     * On a Cluster: Boot's refresh settings ({@code spring.data.redis.lettuce.cluster.refresh.*}, which common's
     * defaults turn on) plus a shorter adaptive-refresh interval.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer apiaryClusterRefresh(ObjectProvider<DataRedisProperties> properties) {
        return builder -> {
            DataRedisProperties props = properties.getIfAvailable();
            if (!(builder instanceof ClusterClientOptions.Builder cluster) || props == null) return;
            DataRedisProperties.Lettuce.Cluster.Refresh r = props.getLettuce().getCluster().getRefresh();
            ClusterTopologyRefreshOptions.Builder refresh = ClusterTopologyRefreshOptions.builder()
                    .dynamicRefreshSources(r.isDynamicRefreshSources());
            if (r.getPeriod() != null) refresh.enablePeriodicRefresh(r.getPeriod());
            if (r.isAdaptive()) {
                refresh.enableAllAdaptiveRefreshTriggers().adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_MIN_INTERVAL);
            }
            cluster.topologyRefreshOptions(refresh.build());
        };
    }
}
