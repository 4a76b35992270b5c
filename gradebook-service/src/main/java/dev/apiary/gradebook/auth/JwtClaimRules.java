package dev.apiary.gradebook.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.apiary.gradebook.source.SourceParser;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the claims of a legacy-minted token must say, checked once its signature is good (no Spring, a fixed
 * {@link Clock} in tests):
 * <ul>
 * <li>{@code exp} and {@code iat} are required; the token is refused from {@code exp} on (no grace);</li>
 * <li>{@code iat} at most {@link #MAX_CLOCK_SKEW} in the future, and {@code nbf} (when present) honoured with the same
 *     allowance, so two servers whose clocks differ a little still agree;</li>
 * <li>{@code exp - iat} at most {@link #MAX_LIFETIME} (and positive);</li>
 * <li>{@code iss} equal to the configured issuer, {@code aud} containing the configured audience;</li>
 * <li>{@code sub}, {@code role} ({@code teacher}|{@code admin}) and {@code school_id} present; {@code sections} a list
 *     of integer ids (an admin's may be left out: it sees its whole school).</li>
 * </ul>
 * Nimbus's {@code DefaultJWTClaimsVerifier} covers only part of this (its one clock skew also extends {@code exp}, and
 * it knows no limits on {@code iat}), so the rules are here, in one place, each with its own reason in the 401.
 */
public final class JwtClaimRules {

    public static final Duration MAX_LIFETIME = Duration.ofHours(12);
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);

    private final String issuer;
    private final String audience;
    private final Clock clock;

    public JwtClaimRules(String issuer, String audience, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer);
        this.audience = Objects.requireNonNull(audience);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The user the claims describe; throws {@link RejectedToken} saying which rule they break. */
    public GradebookUser check(JWTClaimsSet claims) {
        Date expClaim = claims.getExpirationTime();
        if (expClaim == null) throw new RejectedToken("The token has no expiry (exp)");
        Date iatClaim = claims.getIssueTime();
        if (iatClaim == null) throw new RejectedToken("The token has no issue time (iat)");
        if (!issuer.equals(claims.getIssuer())) throw new RejectedToken("The token's issuer (iss) is not accepted");
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(audience)) {
            throw new RejectedToken("The token's audience (aud) does not name this service");
        }

        Instant now = clock.instant();
        Instant exp = expClaim.toInstant();
        Instant iat = iatClaim.toInstant();
        if (!exp.isAfter(now)) throw new RejectedToken("The token has expired", true);
        if (iat.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw new RejectedToken("The token's issue time (iat) is in the future");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw new RejectedToken("The token is not valid yet (nbf)");
        }
        if (!exp.isAfter(iat)) throw new RejectedToken("The token expires (exp) before it was issued (iat)");
        if (Duration.between(iat, exp).compareTo(MAX_LIFETIME) > 0) {
            throw new RejectedToken("The token's lifetime (exp - iat) is longer than " + MAX_LIFETIME.toHours() + " h");
        }

        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) throw new RejectedToken("The token has no subject (sub)");
        Role role = Role.ofClaim(claims.getClaim("role"))
                .orElseThrow(() -> new RejectedToken("The token's role must be teacher or admin"));
        if (!(claims.getClaim("school_id") instanceof String school) || !SourceParser.SCHOOL_ID.matcher(school).matches()) {
            throw new RejectedToken("The token has no valid school (school_id)");
        }
        return new GradebookUser(sub, role, school, sections(claims.getClaim("sections")), exp);
    }

    private static Set<Long> sections(Object claim) {
        Set<Long> sections = new LinkedHashSet<>();
        if (claim instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) sections.add(n.longValue());
                else throw new RejectedToken("The token's sections must be integer ids");
            }
        } else if (claim != null) {
            throw new RejectedToken("The token's sections must be a list of ids");
        }
        return sections;
    }

    /** A token whose claims break a rule; the message says which (it is the 401's detail). */
    public static final class RejectedToken extends RuntimeException {
        private final boolean expired;

        RejectedToken(String message) {
            this(message, false);
        }

        RejectedToken(String message, boolean expired) {
            super(message, null, false, false);
            this.expired = expired;
        }

        public boolean expired() {
            return expired;
        }
    }
}
