package dev.apiary.alert.optout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.apiary.alert.core.AlertPlan;
import dev.apiary.alert.core.Channel;
import dev.apiary.alert.core.OptOutReason;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.AlertStore.DeliveryInfo;

/**
 * Where the lists stop deliveries: at creation (such deliveries are created {@code opted_out}) and again just before a
 * batch is sent (an address may have opted out since); and where Twilio's 21610 (the number replied STOP) is recorded.
 */
@Component
public class OptOutCheck {
    private static final Logger log = LoggerFactory.getLogger(OptOutCheck.class);

    private final OptOuts optOuts;
    private final OptOutScopes scopes;
    private final OptOutAudit audit;
    private final AlertStore store;

    public OptOutCheck(OptOuts optOuts, OptOutScopes scopes, OptOutAudit audit, AlertStore store) {
        this.optOuts = optOuts;
        this.scopes = scopes;
        this.audit = audit;
        this.store = store;
    }

    /** The plan's addresses (numbers of SMS and calls, emails) that are on the school's lists. */
    public Set<String> atCreation(String schoolId, AlertPlan.Plan plan) {
        Set<String> phones = new HashSet<>();
        Set<String> emails = new HashSet<>();
        for (AlertPlan.Delivery d : plan.deliveries()) {
            (d.channel() == Channel.EMAIL ? emails : phones).add(d.address());
        }
        Set<String> out = new HashSet<>(optOuts.matching(scopes.phoneScopes(schoolId), OptOutChannel.SMS, phones));
        out.addAll(optOuts.matching(List.of(schoolId), OptOutChannel.EMAIL, emails));
        return out;
    }

    /**
     * Just before sending claimed deliveries: those whose address is now on a list become {@code opted_out} (no
     * provider call); answers the others.
     */
    public List<DeliveryInfo> beforeSend(String alertId, String schoolId, Channel c, List<DeliveryInfo> infos) {
        Set<String> addresses = new HashSet<>();
        infos.forEach(d -> addresses.add(d.address()));
        Set<String> out = c == Channel.EMAIL
                ? optOuts.matching(List.of(schoolId), OptOutChannel.EMAIL, addresses)
                : optOuts.matching(scopes.phoneScopes(schoolId), OptOutChannel.SMS, addresses);
        if (out.isEmpty()) {
            return infos;
        }
        List<DeliveryInfo> keep = new ArrayList<>(infos.size());
        List<Integer> stopped = new ArrayList<>();
        for (DeliveryInfo d : infos) {
            if (out.contains(d.address())) {
                stopped.add(d.index());
            } else {
                keep.add(d);
            }
        }
        store.transition(alertId, stopped, "opted_out", "sending", null, OptOutReason.of(c));
        log.info("alert {} {}: {} deliveries opted out since creation, not sent", alertId, c.id(), stopped.size());
        return keep;
    }

    /** Twilio answered 21610 for a number this alert's school sent to: it goes on the sender's list. */
    public void twilioStop(String alertId, String number) {
        String school = store.meta(alertId).get("school_id");
        if (school == null) {
            return;
        }
        String scope = scopes.senderScope(school);
        if (optOuts.add(scope, OptOutChannel.SMS, number, "twilio_21610")) {
            audit.record(scope, "twilio", null, "opt_out.added", OptOutChannel.SMS, number, "twilio_21610");
        }
    }
}
