package dev.apiary.alert.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.common.faults.FaultInjection;
import dev.apiary.common.idempotency.IdempotencyKeys;

/** alert-service beans that are not components of their own. */
@Configuration(proxyBeanMethods = false)
public class AlertConfiguration {

    /** Alert idempotency keys: {@code apiary:alert:idem:{...}}, scoped by client and school. */
    @Bean
    IdempotencyKeys alertIdempotencyKeys(StringRedisTemplate redis, AlertProperties props) {
        return new IdempotencyKeys(redis, "apiary:alert", props.idempotencyPending());
    }

    /** Test-only faults: {@code apiary.alert.fault-injection.stall-after-reservation}, {@code .fail-after-queued-batches}. */
    @Bean
    FaultInjection alertFaultInjection(Environment env) {
        return FaultInjection.from(env, "apiary.alert.fault-injection", "batches");
    }
}
