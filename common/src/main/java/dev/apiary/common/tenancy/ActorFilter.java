package dev.apiary.common.tenancy;

import java.io.IOException;

import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.apiary.common.web.ApiProblem;
import dev.apiary.common.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Checks {@code X-Apiary-Actor} (400 naming it when malformed, before anything runs), keeps it for
 * {@link Actor#current()} and puts it in the log context as {@code actor} (an id only).
 */
public class ActorFilter extends OncePerRequestFilter {

    private final ProblemWriter writer;

    public ActorFilter(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String actor = request.getHeader(Actor.HEADER);
        if (actor == null || actor.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        if (!Actor.VALID.matcher(actor).matches()) {
            writer.write(response, ApiProblem.badRequest(Actor.HEADER,
                    "an opaque user id: 1-128 of letters, digits and . _ : @ / + = -"));
            return;
        }
        request.setAttribute(Actor.ATTRIBUTE, actor);
        MDC.put("actor", actor);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("actor");
        }
    }
}
