package dev.apiary.alert.dispatch;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.core.Channel;
import dev.apiary.alert.store.ProviderOwners;

/**
 * Asks Twilio whether a delivery's SMS or call went out when this service does not know: after an ambiguous failure
 * (5xx, timeout), a run that may follow an earlier one, or a record lost with a Redis failover (reconciliation).
 * Answers the first match that no other delivery owns (another alert may have sent the same text to the same
 * number), now claimed for this delivery; empty if there is none; null if Twilio could not be asked.
 */
@Component
public class SentLookup {
    private static final Logger log = LoggerFactory.getLogger(SentLookup.class);

    private final TwilioGateway twilio;
    private final ProviderOwners owners;

    public SentLookup(TwilioGateway twilio, ProviderOwners owners) {
        this.twilio = twilio;
        this.owners = owners;
    }

    /** The earliest creation time to consider for sends from {@code epochMs} on: Twilio stamps seconds, and clocks skew. */
    public static ZonedDateTime since(long epochMs) {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC).minusSeconds(5);
    }

    /** {@code text}: the SMS body sent (unused for calls); {@code since}: the earliest creation time to consider. */
    public Optional<String> find(String alertId, int index, Channel channel, String address,
                                 AlertProperties.Senders senders, String text, ZonedDateTime since, String why) {
        List<String> sids = channel == Channel.SMS
                ? twilio.findMessages(address, senders, text, since)
                : twilio.findCalls(address, senders.voiceFrom(), since);
        if (sids == null) {
            return null;
        }
        for (String sid : sids) {
            if (owners.claim(sid, alertId, index)) {
                log.info("alert {} delivery {} {}: found as sent {}", alertId, index, channel.id(), why);
                return Optional.of(sid);
            }
        }
        return Optional.empty();
    }
}
