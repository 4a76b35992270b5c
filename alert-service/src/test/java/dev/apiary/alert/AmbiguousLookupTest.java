package dev.apiary.alert;

import dev.apiary.alert.core.SendResult;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.dispatch.TwilioGateway;
import dev.apiary.alert.support.AlertServiceTestBase;

/** After a 5xx the SDK list API tells whether the message went out anyway. */
class AmbiguousLookupTest extends AlertServiceTestBase {
    @Autowired
    TwilioGateway twilio;
    @Autowired
    AlertProperties props;

    @Test
    void findsAMessageThatWentOutDespiteA500() {
        sandbox().reset(Map.of("callbacks_enabled", false));
        var s = props.senders("south");
        ZonedDateTime since = ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(5);
        SendResult r = twilio.sms("+12025559911", s, "hello there", URI.create(base() + "/x"));
        assertThat(r).isInstanceOf(SendResult.Retry.class);
        var found = twilio.findMessages("+12025559911", s, "hello there", since);
        assertThat(found).isNotNull();
        assertThat(found).isNotEmpty();
    }
}
