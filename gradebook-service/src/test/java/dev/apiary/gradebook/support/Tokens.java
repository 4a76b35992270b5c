package dev.apiary.gradebook.support;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Mints tokens the way the legacy app does (HS256, sub/name/role/sections/exp). */
public final class Tokens {

    public static final String SECRET = "apiary-dev-jwt-secret-please-change-0123456789";

    private Tokens() {}

    public static String teacher(long... sections) {
        return mint(SECRET, "teacher", Duration.ofMinutes(10), sections);
    }

    public static String admin() {
        return mint(SECRET, "admin", Duration.ofMinutes(10));
    }

    public static String mint(String secret, String role, Duration ttl, long... sections) {
        try {
            Instant now = Instant.now();
            List<Long> ids = java.util.Arrays.stream(sections).boxed().toList();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("u-42").claim("name", "Ms Teacher")
                    .claim("role", role).claim("sections", ids).issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(ttl))).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
