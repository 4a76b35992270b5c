package dev.apiary.common.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reads {@code Authorization: Bearer <token>} (or, for GET only, {@code ?access_token=} since EventSource
 * cannot send headers) and authenticates it: an API key gives its {@link ApiClient} as principal, with
 * {@code ROLE_SERVICE} and a {@code SCOPE_<scope>} authority per scope; otherwise each {@link BearerAuthenticator}
 * is asked. Keys are compared in constant time ({@link ApiClients}).
 */
public class BearerAuthFilter extends OncePerRequestFilter {

    private final ApiClients clients;
    private final List<BearerAuthenticator> others;
    private final AuthenticationEntryPoint entryPoint;

    public BearerAuthFilter(ApiClients clients, List<BearerAuthenticator> others, AuthenticationEntryPoint entryPoint) {
        this.clients = clients;
        this.others = List.copyOf(others);
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = token(request);
        if (token != null) {
            try {
                Authentication auth = authenticate(token)
                        .orElseThrow(() -> new BadCredentialsException("The bearer token is not valid"));
                SecurityContextHolder.getContext().setAuthentication(auth);
            } catch (AuthenticationException e) {
                SecurityContextHolder.clearContext();
                entryPoint.commence(request, response, e);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    Optional<Authentication> authenticate(String token) {
        Optional<ApiClient> client = clients.find(token);
        if (client.isPresent()) {
            List<String> authorities = new ArrayList<>();
            authorities.add("ROLE_SERVICE");
            client.get().scopes().forEach(s -> authorities.add("SCOPE_" + s));
            return Optional.of(UsernamePasswordAuthenticationToken.authenticated(client.get(), null,
                    AuthorityUtils.createAuthorityList(authorities)));
        }
        for (BearerAuthenticator a : others) {
            Optional<Authentication> auth = a.authenticate(token);
            if (auth.isPresent()) return auth;
        }
        return Optional.empty();
    }

    private static String token(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String t = header.substring(7).trim();
            return t.isEmpty() ? null : t;
        }
        if ("GET".equals(request.getMethod())) {
            String q = request.getParameter("access_token");
            if (q != null && !q.isBlank()) return q.trim();
        }
        return null;
    }
}
