package dev.apiary.common.web;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxBodySize largest request body accepted; larger ones get 413 problem+json
 * @param pathLimits  smaller limits for some paths (ant pattern: size), e.g. public webhooks, checked the same way
 *                    before anything reads the body: {@code apiary.web.path-limits.[/api/x/v1/webhooks/**]=64KB}
 */
@ConfigurationProperties("apiary.web")
public record WebProperties(@DefaultValue("1MB") DataSize maxBodySize,
                            @DefaultValue Map<String, DataSize> pathLimits) {
}
