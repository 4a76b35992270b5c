package dev.apiary.common.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.PoolException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.lettuce.core.RedisException;
import jakarta.validation.ConstraintViolationException;

/**
 * Every error as problem+json: Spring MVC's own (bad JSON, wrong method, unknown path, ...) through
 * {@link ResponseEntityExceptionHandler}, validation with each field listed, every Redis failure as 503, anything
 * unexpected as 500.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        ex.getBindingResult().getFieldErrors().forEach(fe -> errors.add(
                new ApiProblem.FieldError(snake(fe.getField()), String.valueOf(fe.getDefaultMessage()))));
        ex.getBindingResult().getGlobalErrors().forEach(ge -> errors.add(
                new ApiProblem.FieldError(ge.getObjectName(), String.valueOf(ge.getDefaultMessage()))));
        ApiProblem p = ApiProblem.invalid(errors);
        return ResponseEntity.badRequest().body(p.getBody());
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(r -> r.getResolvableErrors().forEach(e -> errors.add(
                new ApiProblem.FieldError(snake(r.getMethodParameter().getParameterName()),
                        String.valueOf(e.getDefaultMessage())))));
        return ResponseEntity.badRequest().body(ApiProblem.invalid(errors).getBody());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is not valid JSON for this endpoint: " + shortCause(ex));
        p.setTitle("Malformed request body");
        return ResponseEntity.badRequest().body(p);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> constraintViolation(ConstraintViolationException ex) {
        List<ApiProblem.FieldError> errors = ex.getConstraintViolations().stream()
                .map(v -> new ApiProblem.FieldError(snake(lastNode(v.getPropertyPath().toString())), v.getMessage()))
                .toList();
        return ResponseEntity.badRequest().body(ApiProblem.invalid(errors).getBody());
    }

    /**
     * Whatever Spring Data Redis raises (it translates every Lettuce error into a {@link DataAccessException}:
     * connection refused or lost, command timeout, cluster down or redirected too often, a failover's READONLY or
     * MOVED inside a script, ...), its connection pool's {@link PoolException}, and Lettuce's own exceptions when
     * one escapes untranslated: the data store is unavailable for now, 503 with Retry-After.
     */
    @ExceptionHandler({DataAccessException.class, RedisException.class, PoolException.class})
    ResponseEntity<Object> redisUnavailable(Exception ex) {
        return unavailable(ex);
    }

    /**
     * Anything else a handler throws: a data-store failure wrapped by service code is still 503; the rest is a 500
     * problem+json (logged with its stack trace), never the container's plain error page.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex) throws Exception {
        if (ex instanceof AccessDeniedException || ex instanceof AuthenticationException) throw ex; // Spring Security's
        if (causedByDataStore(ex)) return unavailable(ex);
        log.error("unexpected error", ex);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The service failed to handle this request; it has been logged");
        p.setTitle("Internal error");
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(p);
    }

    /** Whether a data-store failure (Spring's data access or Lettuce's) is anywhere in the cause chain. */
    static boolean causedByDataStore(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessException || t instanceof RedisException || t instanceof PoolException) return true;
        }
        return false;
    }

    private ResponseEntity<Object> unavailable(Exception ex) {
        log.warn("data store unavailable: {}", shortCause(ex));
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The service's data store is unavailable; try again shortly");
        p.setTitle("Service unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5").body(p);
    }

    private static String shortCause(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        if (nl > 0) m = m.substring(0, nl);
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot >= 0 ? path.substring(dot + 1) : path;
    }

    /** Field names answered as they appear in the JSON (snake_case). */
    static String snake(String name) {
        if (name == null) return "";
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }

}
