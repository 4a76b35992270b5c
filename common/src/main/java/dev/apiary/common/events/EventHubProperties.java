package dev.apiary.common.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param shutdownGrace on a graceful stop, how long clients get to receive their {@code end} event before their
 *                      connections are cut (the web server's graceful shutdown then has no stream to wait for)
 * @param dropGrace     how long a client that fell behind gets to take its last event before its connection is cut
 */
@ConfigurationProperties("apiary.events")
public record EventHubProperties(@DefaultValue("1s") Duration shutdownGrace, @DefaultValue("2s") Duration dropGrace) {
}
