package dev.apiary.common.security;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param apiKeys     keys for every school: the legacy app's (comma-separated in env {@code APIARY_SECURITY_API_KEYS})
 * @param clients     named API clients, each bound to a list of schools ({@code *} = all) and optional scopes
 * @param publicPaths ant patterns under /api that need no credentials (webhooks, public pages)
 */
@ConfigurationProperties("apiary.security")
public record SecurityProperties(@DefaultValue List<String> apiKeys,
                                 @DefaultValue Map<String, Client> clients,
                                 @DefaultValue List<String> publicPaths) {

    /**
     * @param key     its bearer key (at least 32 characters outside dev mode)
     * @param schools the school ids it may act for, or {@code *} for all
     * @param scopes  extra powers: {@code admin} opens /actuator and the admin APIs (dead letters)
     */
    public record Client(String key, @DefaultValue List<String> schools, @DefaultValue List<String> scopes) {
    }
}
