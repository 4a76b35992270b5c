package dev.apiary.alert.support;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.test.RedisTestServer;

/**
 * The whole service on a real port, a private Redis, and the real twilio-java / mailgun-java SDKs talking to
 * sandbox/providers over HTTP. One Spring context for all test classes that extend this.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
public abstract class AlertServiceTestBase extends AlertServiceClient {

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
        register(r, Sandbox.shared().servicePort);
    }

    /**
     * The service's test settings, listening on {@code port} (its public base URL, which Twilio callbacks go to and
     * are signed for, follows). Redis is the caller's.
     */
    public static void register(DynamicPropertyRegistry r, int port) {
        Sandbox sb = Sandbox.shared();
        r.add("server.port", () -> port);
        r.add("apiary.security.api-keys", () -> KEY);
        r.add("apiary.security.clients.north-app.key", () -> NORTH_KEY);
        r.add("apiary.security.clients.north-app.schools", () -> "north");
        r.add("apiary.security.clients.south-app.key", () -> SOUTH_KEY);
        r.add("apiary.security.clients.south-app.schools", () -> "south");
        r.add("apiary.alert.public-base-url", () -> "http://localhost:" + port);
        r.add("apiary.alert.twilio.base-url", sb::url);
        r.add("apiary.alert.mailgun.base-url", () -> sb.url() + "/");
        r.add("apiary.alert.twilio.sms-segments-per-second", () -> "2000");
        r.add("apiary.alert.twilio.calls-per-second", () -> "500");
        r.add("apiary.alert.mailgun.requests-per-second", () -> "50");
        r.add("apiary.alert.dispatch.backoff-base", () -> "20ms");
        r.add("apiary.alert.dispatch.backoff-max", () -> "200ms");
        r.add("apiary.alert.dispatch.max-send-attempts", () -> "3");
        r.add("apiary.alert.dispatch.queue-attempts", () -> "2");
        r.add("apiary.alert.dispatch.ambiguous-settle", () -> "100ms");
        r.add("apiary.alert.reconcile.interval", () -> "1h");
        r.add("apiary.alert.reconcile.after", () -> "0s");
        r.add("apiary.alert.max-recipients", () -> "12000");
        r.add("apiary.alert.schools.north.sms-from", () -> "+15005550777");
        r.add("apiary.alert.schools.north.mailgun-domain", () -> "north.example.org");
        r.add("apiary.alert.opt-outs.help-texts.north", () -> "North High alerts: call 202-555-0100. Reply STOP to stop.");
    }

    @Override
    protected String base() {
        return Sandbox.shared().serviceUrl();
    }
}
