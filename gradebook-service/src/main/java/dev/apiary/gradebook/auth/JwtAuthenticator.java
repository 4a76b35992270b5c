package dev.apiary.gradebook.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.apiary.common.security.BearerAuthenticator;
import dev.apiary.gradebook.config.GradebookProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Accepts the legacy-minted HS256 JWT (claims {@code sub}, {@code name}, {@code role} teacher|admin,
 * {@code sections}, {@code exp}). Tokens that are not JWTs are left to the API-key check; a JWT that
 * is forged, of another algorithm, expired or missing claims is refused (401).
 */
@Component
public class JwtAuthenticator implements BearerAuthenticator {

    private final MACVerifier verifier;
    private final Clock clock;

    @Autowired
    public JwtAuthenticator(GradebookProperties props) {
        this(props, Clock.systemUTC());
    }

    JwtAuthenticator(GradebookProperties props, Clock clock) {
        try {
            this.verifier = new MACVerifier(props.jwtSecret().getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalStateException("apiary.gradebook.jwt-secret must be at least 32 bytes", e);
        }
        this.clock = clock;
    }

    @Override
    public Optional<Authentication> authenticate(String token) {
        if (token.chars().filter(c -> c == '.').count() != 2) return Optional.empty();
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new BadCredentialsException("The token is not a valid JWT");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new BadCredentialsException("The token must be signed with HS256");
        }
        try {
            if (!jwt.verify(verifier)) throw new BadCredentialsException("The token's signature is not valid");
        } catch (JOSEException e) {
            throw new BadCredentialsException("The token's signature is not valid");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new BadCredentialsException("The token's claims are not valid");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) throw new BadCredentialsException("The token has no expiry (exp)");
        if (!exp.toInstant().isAfter(clock.instant())) throw new CredentialsExpiredException("The token has expired");
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) throw new BadCredentialsException("The token has no subject (sub)");
        Object role = claims.getClaim("role");
        if (!"teacher".equals(role) && !"admin".equals(role)) {
            throw new BadCredentialsException("The token's role must be teacher or admin");
        }
        Set<Long> sections = new LinkedHashSet<>();
        Object s = claims.getClaim("sections");
        if (s instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) sections.add(n.longValue());
                else throw new BadCredentialsException("The token's sections must be integer ids");
            }
        } else if (s != null) {
            throw new BadCredentialsException("The token's sections must be a list of ids");
        }
        GradebookUser user = new GradebookUser(sub, (String) role, Set.copyOf(sections), exp.toInstant());
        return Optional.of(UsernamePasswordAuthenticationToken.authenticated(user, null,
                AuthorityUtils.createAuthorityList("ROLE_" + ((String) role).toUpperCase())));
    }
}
