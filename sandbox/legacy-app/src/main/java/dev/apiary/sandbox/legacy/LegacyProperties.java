package dev.apiary.sandbox.legacy;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the legacy stand-in.
 *
 * @param latency        added to every response of the legacy JSON API (/api/v1/**), to show the legacy path in benchmarks
 * @param suiteUrl       where the legacy app reaches the services (nginx in front of them)
 * @param apiKey         the API key it sends to the services
 * @param schoolId       the demo's first school (grades 6-8) and the school its pages act for by default
 * @param jwtSecret      HS256 secret shared with gradebook-service (at least 32 bytes)
 * @param jwtIssuer      the {@code iss} of the tokens it mints (gradebook-service checks it)
 * @param jwtAudience    the {@code aud} of the tokens it mints: gradebook-service
 * @param officeUser     the legacy user behind the office pages (report cards, alerts): sent as X-Apiary-Actor
 * @param phoneFormat    guardian phone numbers: String.format pattern applied to a running number
 * @param phoneOffset    first running number for guardian phones
 * @param emailDomain    guardian email domain
 * @param changesChannel Redis pub/sub channel for gradebook change events
 */
@ConfigurationProperties("apiary.legacy")
public record LegacyProperties(
        @DefaultValue("0ms") Duration latency,
        @DefaultValue("http://localhost:8080") String suiteUrl,
        @DefaultValue("dev-key") String apiKey,
        @DefaultValue("lakeview") String schoolId,
        @DefaultValue("apiary-dev-jwt-secret-please-change-0123456789") String jwtSecret,
        @DefaultValue("apiary-legacy-app") String jwtIssuer,
        @DefaultValue("apiary-gradebook") String jwtAudience,
        @DefaultValue("office-1") String officeUser,
        @DefaultValue("+1541555%04d") String phoneFormat,
        @DefaultValue("1000") int phoneOffset,
        @DefaultValue("example.org") String emailDomain,
        @DefaultValue("apiary:gradebook:changes") String changesChannel) {
}
