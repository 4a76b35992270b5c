package dev.apiary.sandbox.legacy.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.apiary.sandbox.legacy.LegacyProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Mints the short-lived HS256 token the gradebook UI sends to gradebook-service (docs/legacy-contract.md, "The
 * gradebook JWT"): claims {@code sub, name, role, school_id, sections, iat, exp, iss, aud}. gradebook-service refuses a
 * lifetime over 12 h; the minter leaves that to it, so tests can ask for a token it must refuse.
 */
@Component
public class JwtMinter {
    private final MACSigner signer;
    private final String issuer;
    private final String audience;

    public JwtMinter(LegacyProperties props) {
        byte[] secret = props.jwtSecret().getBytes(StandardCharsets.UTF_8);
        if (secret.length < 32) {
            throw new IllegalStateException("apiary.legacy.jwt-secret must be at least 32 bytes for HS256");
        }
        try {
            this.signer = new MACSigner(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        this.issuer = props.jwtIssuer();
        this.audience = props.jwtAudience();
    }

    public String mint(String sub, String name, String role, String schoolId, List<Integer> sections, Duration ttl) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(sub)
                .claim("name", name)
                .claim("role", role)
                .claim("school_id", schoolId)
                .claim("sections", sections)
                .issuer(issuer)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
