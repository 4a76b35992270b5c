package dev.apiary.sandbox.providers;

import org.apache.coyote.UpgradeProtocol;
import org.apache.coyote.http2.Http2Protocol;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * HTTP/2 like the real APIs: api.twilio.com speaks HTTP/2 (over TLS, by ALPN); the sandbox speaks it in cleartext
 * (h2c: HTTP/1.1 {@code Upgrade: h2c}, or prior knowledge) when {@code server.http2.enabled=true} (the default here),
 * so clients multiplex their requests over a few connections instead of one connection per request in flight.
 * Tomcat's defaults (100 streams per connection, of which only 20 execute at once, the rest queue) are replaced:
 * {@code sandbox-server.h2-max-concurrent-streams} per connection (default 100, what clients see in SETTINGS), all
 * of them executing — the simulated latency must apply to every request, not to a queue in front of it.
 */
@Configuration(proxyBeanMethods = false)
public class H2cConfiguration {

    @Bean
    TomcatConnectorCustomizer h2StreamLimits(
            @Value("${sandbox-server.h2-max-concurrent-streams:100}") int maxStreams) {
        return connector -> {
            for (UpgradeProtocol p : connector.findUpgradeProtocols()) {
                if (p instanceof Http2Protocol h2) {
                    h2.setMaxConcurrentStreams(maxStreams);
                    h2.setMaxConcurrentStreamExecution(maxStreams);
                }
            }
        };
    }
}
