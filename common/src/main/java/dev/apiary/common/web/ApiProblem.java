package dev.apiary.common.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An error answered as RFC 9457 problem+json. Throw it from anywhere in a request. */
public class ApiProblem extends ErrorResponseException {

    public ApiProblem(HttpStatusCode status, String title, String detail) {
        super(status, problem(status, title, detail), null);
    }

    private static ProblemDetail problem(HttpStatusCode status, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        p.setType(URI.create("https://apiary.dev/problems/" + title.toLowerCase().replaceAll("[^a-z0-9]+", "-")));
        return p;
    }

    public static ApiProblem of(HttpStatus status, String title, String detail) {
        return new ApiProblem(status, title, detail);
    }

    public static ApiProblem notFound(String what, Object id) {
        ApiProblem p = new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "No " + what + " with id " + id);
        p.getBody().setProperty("id", String.valueOf(id));
        return p;
    }

    public static ApiProblem gone(String what, Object id) {
        ApiProblem p = new ApiProblem(HttpStatus.GONE, "Gone", "The " + what + " " + id + " has expired");
        p.getBody().setProperty("id", String.valueOf(id));
        return p;
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, "Conflict", detail);
    }

    /** A 400 naming the offending field (also listed in {@code errors}, as validation errors are). */
    public static ApiProblem badRequest(String field, String message) {
        ApiProblem p = new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid request", field + ": " + message);
        p.getBody().setProperty("field", field);
        p.getBody().setProperty("errors", List.of(Map.of("field", field, "message", message)));
        return p;
    }

    /** A 400 listing several fields at once. */
    public static ApiProblem invalid(List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message())
                .reduce((a, b) -> a + "; " + b).orElse("invalid request");
        ApiProblem p = new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid request", detail);
        p.getBody().setProperty("errors", errors.stream()
                .map(e -> Map.of("field", e.field(), "message", e.message())).toList());
        if (!errors.isEmpty()) p.getBody().setProperty("field", errors.getFirst().field());
        return p;
    }

    public static ApiProblem payloadTooLarge(String detail) {
        return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "Payload too large", detail);
    }

    public ApiProblem with(String property, Object value) {
        getBody().setProperty(property, value);
        return this;
    }

    public record FieldError(String field, String message) {
    }
}
