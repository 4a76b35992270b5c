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
 * @param schoolId       the school_id it names in reports and alerts
 * @param jwtSecret      HS256 secret shared with gradebook-service (at least 32 bytes)
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
        @DefaultValue("+1541555%04d") String phoneFormat,
        @DefaultValue("1000") int phoneOffset,
        @DefaultValue("example.org") String emailDomain,
        @DefaultValue("apiary:gradebook:changes") String changesChannel) {
}
