package dev.apiary.common.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** @param maxBodySize largest request body accepted; larger ones get 413 problem+json */
@ConfigurationProperties("apiary.web")
public record WebProperties(@DefaultValue("1MB") DataSize maxBodySize) {
}
