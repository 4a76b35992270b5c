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
import java.util.Locale;
import java.util.Optional;

/**
 * Accepts the legacy-minted HS256 JWT of a browser user. Tokens that are not JWTs are left to the API-key check; a
 * JWT that is forged or of another algorithm, or whose claims break a {@link JwtClaimRules} rule, is refused (401
 * saying why).
 */
@Component
public class JwtAuthenticator implements BearerAuthenticator {

    private final MACVerifier verifier;
    private final JwtClaimRules rules;

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
        this.rules = new JwtClaimRules(props.jwtIssuer(), props.jwtAudience(), clock);
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
        GradebookUser user;
        try {
            user = rules.check(claims);
        } catch (JwtClaimRules.RejectedToken e) {
            throw e.expired() ? new CredentialsExpiredException(e.getMessage()) : new BadCredentialsException(e.getMessage());
        }
        return Optional.of(UsernamePasswordAuthenticationToken.authenticated(user, null,
                AuthorityUtils.createAuthorityList("ROLE_" + user.role().name().toUpperCase(Locale.ROOT))));
    }
}
