package dev.apiary.common.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults every service shares, at the lowest precedence (any property file, env or flag overrides them):
 * short Redis timeouts so a Redis outage answers 503 in about a second instead of hanging, cluster topology refresh,
 * readiness that includes Redis, snake_case JSON, virtual threads, the request id in every log line.
 */
public class CommonDefaults implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "apiaryCommonDefaults";
    static final Map<String, Object> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("spring.data.redis.timeout", "2s");
        DEFAULTS.put("spring.data.redis.connect-timeout", "1s");
        // Redis Cluster (only read when spring.data.redis.cluster.nodes is set): after a failover the client learns
        // the new masters from the first MOVED or failed reconnect (adaptive), and in any case every 15 s (periodic)
        DEFAULTS.put("spring.data.redis.lettuce.cluster.refresh.adaptive", "true");
        DEFAULTS.put("spring.data.redis.lettuce.cluster.refresh.period", "15s");
        DEFAULTS.put("spring.threads.virtual.enabled", "true");
        DEFAULTS.put("spring.jackson.property-naming-strategy", "SNAKE_CASE");
        DEFAULTS.put("server.shutdown", "graceful");
        DEFAULTS.put("management.endpoints.web.exposure.include", "health,info,prometheus");
        DEFAULTS.put("management.endpoint.health.probes.enabled", "true");
        DEFAULTS.put("management.endpoint.health.group.readiness.include", "readinessState,redis");
        // Spring Security's observation wraps every filter of the chain: measured ~50 us of CPU per request, and the
        // http.server.requests metric already times each request
        DEFAULTS.put("management.observations.enable.spring.security", "false");
        // the request id, the trace id (W3C, from nginx's traceparent or started here), and the legacy user behind a
        // write (X-Apiary-Actor, an opaque id) when there is one
        DEFAULTS.put("logging.pattern.correlation", "[%X{request_id:-}%replace( trace=%X{traceId}){' trace=$', ''}"
                + "%replace( actor=%X{actor}){' actor=$', ''}] ");
        // every trace is recorded (ids in logs, carried through queues and outgoing calls); spans leave the process
        // only when an OTLP endpoint is set (management.opentelemetry.tracing.export.otlp.endpoint)
        DEFAULTS.put("management.tracing.sampling.probability", "1.0");
        // Boot's OTLP span exporter is a build-time condition under Spring AOT: common's OtlpExportConfiguration
        // decides at start-up instead, from the same management.opentelemetry.tracing.export.otlp.* settings
        DEFAULTS.put("management.tracing.export.otlp.enabled", "false");
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        env.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, DEFAULTS));
    }
}
