package dev.apiary.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.ClusterRedirectException;
import org.springframework.data.redis.ClusterStateFailureException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.TooManyClusterRedirectionsException;
import org.springframework.data.redis.connection.PoolException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.method.annotation.ExceptionHandlerMethodResolver;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;

/**
 * Which answer each Redis failure gets, resolved as Spring MVC resolves it ({@link ExceptionHandlerMethodResolver});
 * the real outages are in RedisOutageTest and ClusterOutageTest.
 */
class ProblemHandlerTest {

    private final ProblemHandler handler = new ProblemHandler();
    private final ExceptionHandlerMethodResolver resolver = new ExceptionHandlerMethodResolver(ProblemHandler.class);

    private ResponseEntity<Object> answer(Exception ex) throws Exception {
        var method = resolver.resolveMethod(ex);
        assertThat(method).as("a handler for " + ex).isNotNull();
        @SuppressWarnings("unchecked")
        ResponseEntity<Object> r = (ResponseEntity<Object>) method.invoke(handler, ex);
        return r;
    }

    @Test
    void everyRedisFailureSpringDataOrLettuceRaisesIs503WithRetryAfter() throws Exception {
        List<Exception> failures = List.of(
                new RedisConnectionFailureException("Unable to connect to Redis"),
                new QueryTimeoutException("Redis command timed out"),
                new RedisSystemException("Error in execution", new RedisCommandExecutionException("CLUSTERDOWN The cluster is down")),
                new RedisSystemException("Error in execution", new RedisCommandExecutionException(
                        "READONLY You can't write against a read only replica. script: 1a2b, on @user_script:3.")),
                new ClusterRedirectException(42, "127.0.0.1", 7001, new RedisCommandExecutionException("MOVED 42 127.0.0.1:7001")),
                new TooManyClusterRedirectionsException("Too many redirections"),
                new ClusterStateFailureException("Could not get cluster info"),
                new PoolException("Could not get a resource from the pool"),
                new RedisCommandTimeoutException("Command timed out after 2 second(s)"),
                new RedisConnectionException("Connection refused"),
                // a service wrapped it, or it came through a future
                new IllegalStateException("could not create the alert", new RedisConnectionFailureException("refused")),
                new CompletionException(new RedisCommandTimeoutException("timed out")));
        for (Exception ex : failures) {
            ResponseEntity<Object> r = answer(ex);
            assertThat(r.getStatusCode().value()).as(ex.toString()).isEqualTo(503);
            assertThat(r.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).as(ex.toString()).isEqualTo("5");
            assertThat(r.getBody()).as(ex.toString()).isInstanceOf(org.springframework.http.ProblemDetail.class);
        }
    }

    @Test
    void anythingElseUnexpectedIsA500ProblemNotAContainerErrorPage() throws Exception {
        ResponseEntity<Object> r = answer(new IllegalStateException("a bug"));
        assertThat(r.getStatusCode().value()).isEqualTo(500);
        assertThat(r.getBody()).isInstanceOfSatisfying(org.springframework.http.ProblemDetail.class,
                p -> assertThat(p.getDetail()).doesNotContain("a bug"));
    }
}
