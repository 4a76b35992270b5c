package dev.apiary.gradebook.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.apiary.gradebook.config.GradebookProperties;
import dev.apiary.gradebook.support.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each claim rule on its own, against a fixed clock: the limit itself passes, one second beyond it fails. */
class JwtClaimRulesTest {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    final JwtClaimRules rules = new JwtClaimRules(GradebookProperties.LEGACY_ISSUER, GradebookProperties.AUDIENCE,
            Clock.fixed(NOW, ZoneOffset.UTC));

    /** A teacher token issued {@code age} ago, valid for {@code ttl}. */
    static JWTClaimsSet.Builder token(Duration age, Duration ttl) {
        return Tokens.claims(NOW.minus(age), "teacher", "lakeview", ttl, 101, 102);
    }

    static JWTClaimsSet.Builder valid() {
        return token(Duration.ofMinutes(1), Duration.ofHours(1));
    }

    GradebookUser check(UnaryOperator<JWTClaimsSet.Builder> change) {
        return rules.check(change.apply(valid()).build());
    }

    void rejects(UnaryOperator<JWTClaimsSet.Builder> change, String reason) {
        assertThatThrownBy(() -> check(change)).isInstanceOf(JwtClaimRules.RejectedToken.class).hasMessageContaining(reason);
    }

    static Date at(Duration fromNow) {
        return Date.from(NOW.plus(fromNow));
    }

    @Test
    void aValidTokenGivesItsUser() {
        GradebookUser u = check(b -> b);
        assertThat(u).isEqualTo(new GradebookUser("u-42", Role.TEACHER, "lakeview", Set.of(101L, 102L),
                NOW.plus(Duration.ofMinutes(59))));
        assertThat(u.name()).isEqualTo("u-42");
        assertThat(u.mayAccessSchool("lakeview")).isTrue();
        assertThat(u.mayAccessSchool("riverside")).isFalse();
        assertThat(u.lists(101)).isTrue();
        assertThat(u.lists(103)).isFalse();
        GradebookUser admin = rules.check(Tokens.claims(NOW, "admin", "riverside", Duration.ofHours(1)).build());
        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(admin.lists(103)).as("an admin's token covers its whole school").isTrue();
        assertThat(admin.mayAccessSchool("lakeview")).isFalse();
    }

    @Test
    void expIsRequiredAndEnforcedWithoutGrace() {
        rejects(b -> b.expirationTime(null), "no expiry (exp)");
        rejects(b -> b.expirationTime(at(Duration.ZERO)), "expired");
        rejects(b -> b.expirationTime(at(Duration.ofSeconds(-1))), "expired");
        assertThatThrownBy(() -> check(b -> b.expirationTime(at(Duration.ZERO))))
                .isInstanceOfSatisfying(JwtClaimRules.RejectedToken.class, e -> assertThat(e.expired()).isTrue());
        assertThat(check(b -> b.expirationTime(at(Duration.ofSeconds(1))))).isNotNull();
    }

    @Test
    void iatIsRequiredAndAtMostSixtySecondsInTheFuture() {
        rejects(b -> b.issueTime(null), "no issue time (iat)");
        assertThat(check(b -> b.issueTime(at(Duration.ofSeconds(60))))).isNotNull();
        rejects(b -> b.issueTime(at(Duration.ofSeconds(61))), "issue time (iat) is in the future");
    }

    @Test
    void nbfIsHonouredWithTheSameSixtySeconds() {
        assertThat(check(b -> b.notBeforeTime(at(Duration.ofMinutes(-1))))).isNotNull();
        assertThat(check(b -> b.notBeforeTime(at(Duration.ofSeconds(60))))).isNotNull();
        rejects(b -> b.notBeforeTime(at(Duration.ofSeconds(61))), "not valid yet (nbf)");
        rejects(b -> b.notBeforeTime(at(Duration.ofHours(2))), "not valid yet (nbf)");
    }

    @Test
    void lifetimeIsAtMostTwelveHours() {
        assertThat(rules.check(token(Duration.ofHours(1), Duration.ofHours(12)).build())).isNotNull();
        assertThatThrownBy(() -> rules.check(token(Duration.ofHours(1), Duration.ofHours(12).plusSeconds(1)).build()))
                .hasMessageContaining("lifetime (exp - iat) is longer than 12 h");
        // a long-lived token is refused even when it was issued long ago and has little time left
        assertThatThrownBy(() -> rules.check(token(Duration.ofDays(30), Duration.ofDays(30).plusMinutes(5)).build()))
                .hasMessageContaining("lifetime");
        // exp before iat (iat in the allowed future, exp soon): nonsense, refused
        rejects(b -> b.issueTime(at(Duration.ofSeconds(50))).expirationTime(at(Duration.ofSeconds(40))),
                "expires (exp) before it was issued (iat)");
    }

    @Test
    void issuerMustBeTheConfiguredOne() {
        rejects(b -> b.issuer(null), "issuer (iss)");
        rejects(b -> b.issuer("someone-else"), "issuer (iss)");
        var other = new JwtClaimRules("https://sis.example.org", GradebookProperties.AUDIENCE, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> other.check(valid().build())).hasMessageContaining("issuer (iss)");
        assertThat(other.check(valid().issuer("https://sis.example.org").build())).isNotNull();
    }

    @Test
    void audienceMustNameThisService() {
        rejects(b -> b.audience((String) null), "audience (aud)");
        rejects(b -> b.audience("apiary-alerts"), "audience (aud)");
        assertThat(check(b -> b.audience(List.of("apiary-alerts", GradebookProperties.AUDIENCE)))).isNotNull();
    }

    @Test
    void subRoleAndSchoolAreRequired() {
        rejects(b -> b.subject(null), "no subject (sub)");
        rejects(b -> b.subject(" "), "no subject (sub)");
        rejects(b -> b.claim("role", null), "role must be teacher or admin");
        rejects(b -> b.claim("role", "student"), "role must be teacher or admin");
        rejects(b -> b.claim("school_id", null), "school (school_id)");
        rejects(b -> b.claim("school_id", ""), "school (school_id)");
        rejects(b -> b.claim("school_id", 7), "school (school_id)");
        rejects(b -> b.claim("school_id", "lake view\n"), "school (school_id)");
    }

    @Test
    void sectionsAreIntegerIds() {
        rejects(b -> b.claim("sections", List.of(101, 1.5)), "integer ids");
        rejects(b -> b.claim("sections", List.of("101")), "integer ids");
        rejects(b -> b.claim("sections", "101"), "list of ids");
        assertThat(check(b -> b.claim("sections", null)).sections()).isEmpty();
    }
}
