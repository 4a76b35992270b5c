package dev.apiary.gradebook.api;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.apiary.common.test.RedisTestServer;
import dev.apiary.gradebook.cache.SectionCache;
import dev.apiary.gradebook.support.SampleSections;
import dev.apiary.gradebook.calc.SectionSource;
import dev.apiary.gradebook.support.Http;
import dev.apiary.gradebook.support.LegacyStandIn;
import dev.apiary.gradebook.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schools through the real API: each section belongs to the school the legacy app names; a user sees only its
 * token's school, a client only the schools it is bound to, and another school's section answers exactly like an
 * unknown one. Also: the token rules end to end, and who changed a grade reaching the legacy app.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apiary.security.clients.hillcrest-sis.key=hillcrest-client-key",
        "apiary.security.clients.hillcrest-sis.schools=hillcrest",
        "apiary.security.clients.district.key=district-client-key",
        "apiary.security.clients.district.schools=lakeview,hillcrest"})
class SchoolBoundaryTest {

    static final LegacyStandIn legacy = new LegacyStandIn();
    static final String LEGACY_KEY = "dev-key";
    static final String HILLCREST_CLIENT = "hillcrest-client-key";
    static final long LAKEVIEW = 301;
    static final long HILLCREST = 302;
    static final long UNKNOWN = 309;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
        r.add("apiary.gradebook.legacy-base-url", legacy::baseUrl);
    }

    @AfterAll
    static void stop() {
        legacy.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    SectionCache cache;
    Http http;

    static SectionSource inSchool(SectionSource s, String school) {
        var i = s.section();
        return new SectionSource(new SectionSource.SectionInfo(i.id(), school, i.name(), i.term()), s.weighting(),
                s.gradingStandard(), s.latePolicy(), s.groups(), s.assignments(), s.students(), s.scores());
    }

    @BeforeEach
    void setUp() {
        http = new Http(port);
        legacy.section(inSchool(SampleSections.generate(LAKEVIEW, 3, 6), "lakeview"));
        legacy.section(inSchool(SampleSections.generate(HILLCREST, 3, 6), "hillcrest"));
    }

    static String sectionPath(long id) {
        return "/api/gradebook/v1/sections/" + id;
    }

    static String write(long section) {
        long student = section * 100_000;
        long assignment = section * 1000 + 1;
        return "{\"student_id\":" + student + ",\"assignment_id\":" + assignment + ",\"score\":7}";
    }

    int status(long section, String token) {
        return http.get(sectionPath(section), token).statusCode();
    }

    /** The 404 of another school's section, with its id replaced, is the 404 of an unknown id. */
    void answersAsUnknown(HttpResponse<String> r, long id) {
        HttpResponse<String> unknown = http.get(sectionPath(UNKNOWN), LEGACY_KEY);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        JsonNode hidden = Http.json(r);
        JsonNode absent = Http.json(unknown);
        assertThat(hidden.get("title")).isEqualTo(absent.get("title"));
        assertThat(hidden.get("detail").asString().replace(Long.toString(id), "ID"))
                .isEqualTo(absent.get("detail").asString().replace(Long.toString(UNKNOWN), "ID"));
        assertThat(hidden.propertyNames()).containsExactlyInAnyOrderElementsOf(absent.propertyNames());
    }

    @Test
    void theSectionCarriesItsSchool() {
        JsonNode j = Http.json(http.get(sectionPath(HILLCREST), LEGACY_KEY));
        assertThat(j.get("section").get("school_id").asString()).isEqualTo("hillcrest");
        assertThat(cache.peek(HILLCREST)).hasValueSatisfying(
                c -> assertThat(c.gradebook().definition().section().schoolId()).isEqualTo("hillcrest"));
    }

    @Test
    void anAdminSeesEverySectionOfItsSchoolAndNoOther() {
        String lakeviewAdmin = Tokens.adminOf("lakeview");
        assertThat(status(LAKEVIEW, lakeviewAdmin)).isEqualTo(200);
        answersAsUnknown(http.get(sectionPath(HILLCREST), lakeviewAdmin), HILLCREST);
        answersAsUnknown(http.get(sectionPath(HILLCREST) + "/students/" + HILLCREST * 100_000, lakeviewAdmin), HILLCREST);
        answersAsUnknown(http.get(sectionPath(HILLCREST) + "/events", lakeviewAdmin, "Accept", "text/event-stream"), HILLCREST);

        String hillcrestAdmin = Tokens.adminOf("hillcrest");
        assertThat(status(HILLCREST, hillcrestAdmin)).isEqualTo(200);
        answersAsUnknown(http.get(sectionPath(LAKEVIEW), hillcrestAdmin), LAKEVIEW);
    }

    @Test
    void aTeacherSeesItsListedSectionsWithinItsSchoolOnly() {
        assertThat(status(LAKEVIEW, Tokens.teacherOf("lakeview", LAKEVIEW))).isEqualTo(200);
        // not listed: refused from the token alone, the same for an existing, a foreign and an unknown section
        String lakeviewTeacher = Tokens.teacherOf("lakeview", LAKEVIEW);
        for (long id : new long[] {HILLCREST, UNKNOWN}) {
            var r = http.get(sectionPath(id), lakeviewTeacher);
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(Http.json(r).get("detail").asString()).isEqualTo("This token may not access section " + id);
        }
        // listed, but of another school (a wrong or stale list in the token): as unknown
        answersAsUnknown(http.get(sectionPath(HILLCREST), Tokens.teacherOf("lakeview", LAKEVIEW, HILLCREST)), HILLCREST);
        assertThat(status(HILLCREST, Tokens.teacherOf("hillcrest", HILLCREST))).isEqualTo(200);
    }

    @Test
    void aClientBoundToSchoolsSeesOnlyThoseAndTheLegacyKeySeesAll() {
        assertThat(status(HILLCREST, HILLCREST_CLIENT)).isEqualTo(200);
        answersAsUnknown(http.get(sectionPath(LAKEVIEW), HILLCREST_CLIENT), LAKEVIEW);
        assertThat(status(LAKEVIEW, "district-client-key")).isEqualTo(200);
        assertThat(status(HILLCREST, "district-client-key")).isEqualTo(200);
        assertThat(status(LAKEVIEW, LEGACY_KEY)).isEqualTo(200);
        assertThat(status(HILLCREST, LEGACY_KEY)).isEqualTo(200);
    }

    @Test
    void noWriteReachesAnotherSchoolsSection() {
        int before = legacy.writes.size();
        answersAsUnknown(http.put(sectionPath(LAKEVIEW) + "/scores", HILLCREST_CLIENT, write(LAKEVIEW)), LAKEVIEW);
        answersAsUnknown(http.put(sectionPath(LAKEVIEW) + "/scores", Tokens.adminOf("hillcrest"), write(LAKEVIEW)), LAKEVIEW);
        answersAsUnknown(http.put(sectionPath(LAKEVIEW) + "/scores", Tokens.teacherOf("hillcrest", LAKEVIEW),
                write(LAKEVIEW)), LAKEVIEW);
        assertThat(legacy.writes).hasSize(before);
        assertThat(legacy.get(LAKEVIEW).scores()).isEqualTo(SampleSections.generate(LAKEVIEW, 3, 6).scores());
    }

    @Test
    void sourceDataWithoutASchoolIsRefusedAndNotCached() {
        long id = 303;
        legacy.section(inSchool(SampleSections.generate(id, 3, 6), null));
        var r = http.get(sectionPath(id), LEGACY_KEY);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(Http.json(r).get("upstream_field").asString()).isEqualTo("section.school_id");
        assertThat(Http.json(r).get("detail").asString()).contains("section.school_id: is required");
        assertThat(cache.peek(id)).isEmpty();
        legacy.rawBody(id, SampleSections.json(inSchool(SampleSections.generate(id, 3, 6), "lakeview"))
                .replace("\"school_id\":\"lakeview\"", "\"school_id\":\"lake view\""));
        var bad = http.get(sectionPath(id), LEGACY_KEY);
        assertThat(bad.statusCode()).isEqualTo(502);
        assertThat(Http.json(bad).get("upstream_field").asString()).isEqualTo("section.school_id");
        assertThat(cache.peek(id)).isEmpty();
        legacy.reset(id);
    }

    // --- the token rules, end to end (each rule on its own: JwtClaimRulesTest)

    String tokenWith(UnaryOperator<JWTClaimsSet.Builder> change) {
        return Tokens.sign(change.apply(Tokens.claims("admin", "lakeview", Duration.ofMinutes(10))).build());
    }

    void refused(String token, String reason) {
        var r = http.get(sectionPath(LAKEVIEW), token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(Http.json(r).get("detail").asString()).contains(reason);
    }

    @Test
    void tokensBreakingARuleAre401AndReachNothing() {
        int reads = legacy.reads(LAKEVIEW);
        Instant now = Instant.now();
        refused(tokenWith(b -> b.claim("school_id", null)), "school (school_id)");
        refused(tokenWith(b -> b.issueTime(null)), "no issue time (iat)");
        refused(tokenWith(b -> b.expirationTime(null)), "no expiry (exp)");
        refused(tokenWith(b -> b.issueTime(Date.from(now.plusSeconds(300))).expirationTime(Date.from(now.plusSeconds(900)))),
                "in the future");
        refused(tokenWith(b -> b.notBeforeTime(Date.from(now.plusSeconds(600)))), "not valid yet (nbf)");
        refused(tokenWith(b -> b.expirationTime(Date.from(now.plus(Duration.ofHours(13))))), "longer than 12 h");
        refused(tokenWith(b -> b.issuer("somebody-else")), "issuer (iss)");
        refused(tokenWith(b -> b.audience("apiary-alerts")), "audience (aud)");
        refused(tokenWith(b -> b.expirationTime(Date.from(now.minusSeconds(5)))), "expired");
        assertThat(legacy.reads(LAKEVIEW)).as("no refused token reached the legacy app").isEqualTo(reads);
        assertThat(status(LAKEVIEW, tokenWith(b -> b))).isEqualTo(200);
    }

    // --- who changed a grade

    @Test
    void theLegacyAppIsToldWhoChangedAGrade() {
        String body = write(LAKEVIEW);
        // a teacher: its sub; an actor header cannot speak for someone else
        var byTeacher = http.put(sectionPath(LAKEVIEW) + "/scores", Tokens.teacherOf("lakeview", LAKEVIEW), body,
                "X-Apiary-Actor", "somebody-else");
        assertThat(byTeacher.statusCode()).as(byTeacher.body()).isEqualTo(200);
        assertThat(legacy.writes.getLast().get("actor").asString()).isEqualTo("u-42");
        // an API client: the legacy user it names
        var byClient = http.put(sectionPath(LAKEVIEW) + "/scores", LEGACY_KEY, body, "X-Apiary-Actor", "user:1234");
        assertThat(byClient.statusCode()).as(byClient.body()).isEqualTo(200);
        assertThat(legacy.writes.getLast().get("actor").asString()).isEqualTo("user:1234");
        // an API client naming nobody: null, never a guess
        assertThat(http.put(sectionPath(LAKEVIEW) + "/scores", LEGACY_KEY, body).statusCode()).isEqualTo(200);
        assertThat(legacy.writes.getLast().get("actor").isNull()).isTrue();
        // a malformed actor: 400 naming the header, nothing written
        int before = legacy.writes.size();
        var bad = http.put(sectionPath(LAKEVIEW) + "/scores", LEGACY_KEY, body, "X-Apiary-Actor", "Ms Núñez <x@y>");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("X-Apiary-Actor");
        assertThat(legacy.writes).hasSize(before);
        assertThat(List.of("student_id", "assignment_id", "score", "excused", "missing", "actor"))
                .containsExactlyElementsOf(legacy.writes.getLast().propertyNames());
    }
}
