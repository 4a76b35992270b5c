package dev.apiary.common.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param basePath where the service's admin API lives, under its own API prefix (e.g. {@code /api/pdf/v1/admin});
 *                 required: every service has one. Every path below it needs a client with scope {@code admin}.
 */
@ConfigurationProperties("apiary.admin")
public record AdminProperties(String basePath) {

    public AdminProperties {
        if (basePath == null) {
            throw new IllegalArgumentException("apiary.admin.base-path is not set: every service sets it to its API "
                    + "prefix + /admin (e.g. /api/pdf/v1/admin)");
        }
        if (!basePath.matches("/api(/[A-Za-z0-9._-]+)+")) {
            throw new IllegalArgumentException("apiary.admin.base-path must look like /api/<svc>/v1/admin (no trailing "
                    + "slash), not " + basePath);
        }
    }
}
