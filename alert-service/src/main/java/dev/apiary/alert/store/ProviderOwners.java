package dev.apiary.alert.store;

import java.time.Duration;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.apiary.alert.config.AlertProperties;

/**
 * Which delivery owns a provider id ({@link Keys#providerOwner}). Every accepted send and every adopted lookup
 * claims its id; a lookup after an ambiguous failure adopts only an id that no other delivery owns (a message to the
 * same number with the same text may be another alert's).
 */
@Component
public class ProviderOwners {
    private final StringRedisTemplate redis;
    private final Duration ttl;

    public ProviderOwners(StringRedisTemplate redis, AlertProperties props) {
        this.redis = redis;
        this.ttl = props.retention();
    }

    /** Claims {@code providerId} for the delivery: true if it is now (or already was) this delivery's. */
    public boolean claim(String providerId, String alertId, int index) {
        String owner = alertId + "." + index;
        String key = Keys.providerOwner(providerId);
        if (Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(key, owner, ttl))) {
            return true;
        }
        return owner.equals(redis.opsForValue().get(key));
    }
}
