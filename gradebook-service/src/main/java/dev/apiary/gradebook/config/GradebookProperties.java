package dev.apiary.gradebook.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * Settings {@code apiary.gradebook.*} (env {@code APIARY_GRADEBOOK_*}).
 *
 * @param legacyBaseUrl   the legacy app (upstream of source data and score writes)
 * @param legacyApiKey    sent as {@code Authorization: Bearer} to the legacy app when not blank
 * @param connectTimeout  connect timeout towards the legacy app
 * @param readTimeout     whole-response timeout towards the legacy app (then 504)
 * @param cacheEnabled    false = every read goes to the legacy app (the benchmark's cold path)
 * @param cacheMaxBytes   bound of the section cache, by the weigher's estimate of retained heap
 * @param cacheTtl        safety TTL: a cached section is refetched at the latest this long after its fetch
 * @param jwtSecret       HS256 secret shared with the legacy app (at least 32 bytes)
 * @param jwtIssuer       the {@code iss} a token must carry (the legacy app's name for itself)
 * @param jwtAudience     the {@code aud} a token must name (this service)
 * @param changesChannel  Redis pub/sub channel of gradebook change events
 */
@Validated
@ConfigurationProperties("apiary.gradebook")
public record GradebookProperties(
        @DefaultValue("http://127.0.0.1:3000") @NotNull URI legacyBaseUrl,
        @DefaultValue("") String legacyApiKey,
        @DefaultValue("1s") @NotNull Duration connectTimeout,
        @DefaultValue("5s") @NotNull Duration readTimeout,
        @DefaultValue("true") boolean cacheEnabled,
        @DefaultValue("64MB") @NotNull DataSize cacheMaxBytes,
        @DefaultValue("10m") @NotNull Duration cacheTtl,
        @NotBlank @Size(min = 32) String jwtSecret,
        @DefaultValue(LEGACY_ISSUER) @NotBlank String jwtIssuer,
        @DefaultValue(AUDIENCE) @NotBlank String jwtAudience,
        @DefaultValue("apiary:gradebook:changes") @NotBlank String changesChannel) {

    /** The defaults of {@code iss} and {@code aud}: what the legacy stand-in mints. */
    public static final String LEGACY_ISSUER = "apiary-legacy-app";
    public static final String AUDIENCE = "apiary-gradebook";
}
