package dev.apiary.common.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param apiKeys     keys accepted as {@code Authorization: Bearer <key>} for service-to-service calls
 *                    (comma-separated in env {@code APIARY_SECURITY_API_KEYS})
 * @param publicPaths ant patterns under /api that need no credentials (webhooks, public pages)
 */
@ConfigurationProperties("apiary.security")
public record SecurityProperties(@DefaultValue("dev-key") List<String> apiKeys,
                                 @DefaultValue List<String> publicPaths) {
}
