package dev.apiary.gradebook.support;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.apiary.gradebook.config.GradebookProperties;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;

/**
 * Mints tokens the way the legacy app does (HS256; sub, name, role, school_id, sections, iat, exp, iss, aud).
 * Unless a test names another school, tokens are for {@link SampleSections#SCHOOL_ID}, the school of the test sections.
 */
public final class Tokens {

    public static final String SECRET = "apiary-dev-jwt-secret-please-change-0123456789";
    public static final String SCHOOL = SampleSections.SCHOOL_ID;

    private Tokens() {}

    public static String teacher(long... sections) {
        return teacherOf(SCHOOL, sections);
    }

    public static String teacherOf(String school, long... sections) {
        return sign(SECRET, claims("teacher", school, Duration.ofMinutes(10), sections).build());
    }

    public static String admin() {
        return adminOf(SCHOOL);
    }

    public static String adminOf(String school) {
        return sign(SECRET, claims("admin", school, Duration.ofMinutes(10)).build());
    }

    public static String mint(String secret, String role, Duration ttl, long... sections) {
        return sign(secret, claims(role, SCHOOL, ttl, sections).build());
    }

    /** Every claim the service wants, issued now and valid for {@code ttl}; a test removes or changes one. */
    public static JWTClaimsSet.Builder claims(String role, String school, Duration ttl, long... sections) {
        return claims(Instant.now(), role, school, ttl, sections);
    }

    public static JWTClaimsSet.Builder claims(Instant issuedAt, String role, String school, Duration ttl,
                                              long... sections) {
        return new JWTClaimsSet.Builder().subject("u-42").claim("name", "Ms Teacher").claim("role", role)
                .claim("school_id", school).claim("sections", Arrays.stream(sections).boxed().toList())
                .issuer(GradebookProperties.LEGACY_ISSUER).audience(GradebookProperties.AUDIENCE)
                .issueTime(Date.from(issuedAt)).expirationTime(Date.from(issuedAt.plus(ttl)));
    }

    public static String sign(String secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(JWTClaimsSet claims) {
        return sign(SECRET, claims);
    }
}
