package dev.apiary.common.config;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

import dev.apiary.common.admin.AdminProperties;
import dev.apiary.common.admin.DeadLetterController;
import dev.apiary.common.queue.DeadLetterLimits;
import dev.apiary.common.queue.DeadLetters;
import dev.apiary.common.metrics.RedisUpGauge;
import dev.apiary.common.queue.QueueMetrics;
import dev.apiary.common.queue.QueueTracing;
import dev.apiary.common.tracing.OtlpExportConfiguration;
import dev.apiary.common.events.ConnectionAbortValve;
import dev.apiary.common.events.EventHub;
import dev.apiary.common.events.EventHubProperties;
import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.queue.WorkQueues;
import dev.apiary.common.security.ApiClient;
import dev.apiary.common.security.ApiClients;
import dev.apiary.common.security.AuthCheckController;
import dev.apiary.common.security.BearerAuthFilter;
import dev.apiary.common.security.BearerAuthenticator;
import dev.apiary.common.security.SecurityProperties;
import dev.apiary.common.tenancy.ActorFilter;
import dev.apiary.common.tracing.CurrentTrace;
import dev.apiary.common.web.BodySizeLimitFilter;
import dev.apiary.common.web.ProblemHandler;
import dev.apiary.common.web.ProblemWriter;
import dev.apiary.common.web.RequestIdFilter;
import dev.apiary.common.web.WebProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import tools.jackson.databind.json.JsonMapper;

/** What every Apiary service gets by depending on common. */
@AutoConfiguration
@Import({RedisTopologyConfiguration.class, OtlpExportConfiguration.class})
@EnableConfigurationProperties({SecurityProperties.class, WebProperties.class, DeadLetterLimits.class,
        AdminProperties.class, EventHubProperties.class})
public class CommonAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ProblemHandler apiaryProblemHandler() {
        return new ProblemHandler();
    }

    @Bean
    ProblemWriter apiaryProblemWriter(ObjectProvider<JsonMapper> json) {
        return new ProblemWriter(json.getIfAvailable(() -> JsonMapper.builder().build()));
    }

    @Bean
    FilterRegistrationBean<RequestIdFilter> apiaryRequestIdFilter() {
        var reg = new FilterRegistrationBean<>(new RequestIdFilter());
        reg.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return reg;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> apiaryBodySizeLimitFilter(WebProperties web, ProblemWriter writer) {
        var reg = new FilterRegistrationBean<>(new BodySizeLimitFilter(web.maxBodySize(), web.pathLimits(), writer));
        reg.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return reg;
    }

    /** After security (order -100): an unauthenticated request is 401 whatever its actor header says. */
    @Bean
    FilterRegistrationBean<ActorFilter> apiaryActorFilter(ProblemWriter writer) {
        var reg = new FilterRegistrationBean<>(new ActorFilter(writer));
        reg.setOrder(0);
        return reg;
    }

    // --- security: API key (and service-provided bearer kinds) on /api/**, actuator for admin clients, the rest open

    @Bean
    ApiClients apiaryApiClients(SecurityProperties props) {
        return new ApiClients(props);
    }

    @Bean
    AuthCheckController apiaryAuthCheck() {
        return new AuthCheckController();
    }

    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    SecurityFilterChain apiarySecurity(HttpSecurity http, SecurityProperties props, AdminProperties admin,
                                       ApiClients clients, ObjectProvider<BearerAuthenticator> authenticators,
                                       ProblemWriter writer) throws Exception {
        AuthenticationEntryPoint unauthorized = (req, res, ex) -> {
            ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
                    ex.getMessage() == null || ex.getMessage().startsWith("Full authentication")
                            ? "Send Authorization: Bearer <api key or token>" : ex.getMessage());
            p.setTitle("Unauthorized");
            res.setHeader("WWW-Authenticate", "Bearer");
            writer.write(res, p);
        };
        AccessDeniedHandler forbidden = (req, res, ex) -> {
            ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                    "These credentials may not access this resource");
            p.setTitle("Forbidden");
            writer.write(res, p);
        };
        var bearer = new BearerAuthFilter(clients, authenticators.orderedStream().toList(), unauthorized);
        String[] open = props.publicPaths().toArray(String[]::new);
        http.csrf(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(bearer, AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> {
                    // async (SSE completion) and error dispatches belong to a request already authorised
                    a.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
                    a.requestMatchers("/actuator/health", "/actuator/health/**").permitAll();
                    // metrics and the rest of actuator: an operator's client (nginx does not route /actuator at all)
                    a.requestMatchers("/actuator/**").hasAuthority("SCOPE_" + ApiClient.ADMIN_SCOPE);
                    // the service's admin API (dead letters): an operator's client too
                    a.requestMatchers(admin.basePath() + "/**").hasAuthority("SCOPE_" + ApiClient.ADMIN_SCOPE);
                    if (open.length > 0) a.requestMatchers(open).permitAll();
                    a.requestMatchers("/api/**").authenticated();
                    a.anyRequest().permitAll();
                })
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden));
        return http.build();
    }

    /** No form users: keeps Boot from generating a password. */
    @Bean
    @ConditionalOnMissingBean(UserDetailsService.class)
    UserDetailsService apiaryNoUsers() {
        return new InMemoryUserDetailsManager(List.of());
    }

    // --- Redis-backed pieces

    @Bean
    @ConditionalOnMissingBean
    RedisMessageListenerContainer apiaryRedisListeners(RedisConnectionFactory factory) {
        var c = new RedisMessageListenerContainer();
        c.setConnectionFactory(factory);
        c.setRecoveryInterval(1000L);
        return c;
    }

    @Bean
    @ConditionalOnMissingBean
    JobStatusStore apiaryJobStatusStore(StringRedisTemplate redis) {
        return new JobStatusStore(redis);
    }

    @Bean
    @ConditionalOnMissingBean
    EventHub apiaryEventHub(RedisMessageListenerContainer listeners, ObjectProvider<JsonMapper> json,
                            EventHubProperties props, ObjectProvider<MeterRegistry> meters) {
        return new EventHub(listeners, json.getIfAvailable(() -> JsonMapper.builder().build()), props,
                meters.getIfAvailable());
    }

    /** Tomcat: the event hub can close a stuck client's connection at once (see {@link ConnectionAbortValve}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.apache.catalina.valves.ValveBase")
    static class TomcatEventStreams {
        @Bean
        TomcatContextCustomizer apiaryConnectionAbortValve() {
            return context -> context.getPipeline().addValve(new ConnectionAbortValve());
        }
    }

    @Bean
    @ConditionalOnMissingBean
    WorkQueues apiaryWorkQueues(StringRedisTemplate redis, DeadLetterLimits deadLetterLimits,
                                ObjectProvider<MeterRegistry> meters, ObjectProvider<Tracer> tracers,
                                ObjectProvider<Propagator> propagators, RedisUpGauge redisUp) {
        MeterRegistry registry = meters.getIfAvailable();
        Tracer tracer = tracers.getIfAvailable();
        Propagator propagator = propagators.getIfAvailable();
        return new WorkQueues(redis, WorkQueues.defaultInstanceName(), deadLetterLimits,
                registry == null ? null : new QueueMetrics(registry, redisUp),
                tracer == null || propagator == null ? null : new QueueTracing(tracer, propagator));
    }

    /** {@code apiary_redis_up} for the "Redis down" alert rule. */
    @Bean
    RedisUpGauge apiaryRedisUpGauge(RedisConnectionFactory connections) {
        return new RedisUpGauge(connections);
    }

    @Bean
    @ConditionalOnMissingBean
    CurrentTrace apiaryCurrentTrace(ObjectProvider<Tracer> tracers, ObjectProvider<Propagator> propagators) {
        Tracer tracer = tracers.getIfAvailable();
        Propagator propagator = propagators.getIfAvailable();
        return tracer == null || propagator == null ? CurrentTrace.NONE : new CurrentTrace(tracer, propagator);
    }

    @Bean
    @ConditionalOnMissingBean
    DeadLetters apiaryDeadLetters(StringRedisTemplate redis, WorkQueues queues) {
        return new DeadLetters(redis, queues);
    }

    /** The dead-letter admin API, under the service's {@code apiary.admin.base-path}. */
    @Bean
    DeadLetterController apiaryDeadLetterController(DeadLetters deadLetters) {
        return new DeadLetterController(deadLetters);
    }
}
