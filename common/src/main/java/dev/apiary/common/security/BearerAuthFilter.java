package dev.apiary.common.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * cannot send headers) and authenticates it: an API key gives {@code ROLE_SERVICE}; otherwise each
 * {@link BearerAuthenticator} is asked. Keys are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, in constant time whatever their length.
 */
public class BearerAuthFilter extends OncePerRequestFilter {

    public static final String SERVICE_PRINCIPAL = "service";

    private final List<byte[]> keyDigests;
    private final List<BearerAuthenticator> others;
    private final AuthenticationEntryPoint entryPoint;

    public BearerAuthFilter(List<String> apiKeys, List<BearerAuthenticator> others, AuthenticationEntryPoint entryPoint) {
        this.keyDigests = apiKeys.stream().map(String::trim).filter(k -> !k.isEmpty()).map(BearerAuthFilter::sha256).toList();
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
        byte[] digest = sha256(token);
        boolean match = false;
        for (byte[] k : keyDigests) match |= MessageDigest.isEqual(k, digest);
        if (match) {
            return Optional.of(UsernamePasswordAuthenticationToken.authenticated(SERVICE_PRINCIPAL, null,
                    AuthorityUtils.createAuthorityList("ROLE_SERVICE")));
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

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
