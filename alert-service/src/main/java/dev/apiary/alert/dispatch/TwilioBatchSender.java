package dev.apiary.alert.dispatch;

import java.net.URI;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.core.Backoff;
import dev.apiary.alert.core.Channel;
import dev.apiary.alert.core.DeliveryState;
import dev.apiary.alert.core.Pace;
import dev.apiary.alert.core.SendMachine;
import dev.apiary.alert.core.SendResult;
import dev.apiary.alert.core.Translations;
import dev.apiary.alert.core.Twiml;
import dev.apiary.alert.optout.OptOutCheck;
import dev.apiary.alert.metrics.AlertMetrics;
import dev.apiary.alert.store.AlertStore;
import dev.apiary.alert.store.AlertStore.DeliveryInfo;
import dev.apiary.alert.store.ProviderOwners;
import dev.apiary.alert.store.RedisPacer;
import dev.apiary.common.tracing.CurrentTrace;

/**
 * SMS and voice: one API call per delivery. Each send waits for its slot of the provider's pace ({@link RedisPacer})
 * and a permit ({@code twilio.max-in-flight}), then runs its {@link SendMachine} on a virtual thread: this class
 * performs the machine's steps (lookup, send, wait, settle) and records the outcome.
 */
@Component
public class TwilioBatchSender {
    private static final Logger log = LoggerFactory.getLogger(TwilioBatchSender.class);

    private final AlertStore store;
    private final TwilioGateway twilio;
    private final RedisPacer pacer;
    private final ProviderOwners owners;
    private final SentLookup sentLookup;
    private final OptOutCheck optOuts;
    private final AlertMetrics metrics;
    private final AlertProperties props;
    private final SendMachine.Policy policy;
    private final Semaphore permits;
    /** A virtual thread per delivery, in the batch's span: the provider calls carry the alert's trace. */
    private final Executor deliveries;

    public TwilioBatchSender(AlertStore store, TwilioGateway twilio, RedisPacer pacer, ProviderOwners owners,
                             AlertProperties props, OptOutCheck optOuts, AlertMetrics metrics, CurrentTrace trace,
                             SentLookup sentLookup) {
        this.sentLookup = sentLookup;
        this.deliveries = trace.executor(task -> Thread.ofVirtual().start(task));
        this.optOuts = optOuts;
        this.metrics = metrics;
        this.store = store;
        this.owners = owners;
        this.twilio = twilio;
        this.pacer = pacer;
        this.props = props;
        AlertProperties.Dispatch d = props.dispatch();
        this.policy = new SendMachine.Policy(d.maxSendAttempts(), new Backoff(d.backoffBase(), d.backoffMax()),
                d.ambiguousSettle());
        this.permits = new Semaphore(props.twilio().maxInFlight());
    }

    /** One delivery of a batch run and what its sends need. */
    private record Delivery(Channel channel, String alertId, DeliveryInfo info, AlertProperties.Senders senders,
                            String text, Pace pace, URI callback, ZonedDateTime since, boolean unsure, BatchRun run) {
    }

    /**
     * Sends one batch run. {@code unsure}: an earlier run may have sent some (a retry, or an entry taken over from
     * a dead instance), so each is looked up before it is sent. Answers the indices left for a later run.
     */
    public List<Integer> send(Channel channel, String alertId, Map<String, String> meta, List<DeliveryInfo> infos,
                              boolean unsure) throws InterruptedException {
        AlertProperties.Senders senders = props.senders(meta.get("school_id"));
        // lookups consider what was created since the alert (an earlier run) or since this run
        ZonedDateTime since = SentLookup.since(unsure ? Long.parseLong(meta.getOrDefault("created_at", "0"))
                : System.currentTimeMillis());
        BatchRun run = new BatchRun(infos.size());
        int started = 0;
        try {
            for (DeliveryInfo info : infos) {
                // each family's language: its variant's text, and the SMS pace of that text's segments
                Translations.Variant variant = Translations.variant(meta, info.language());
                String text = channel == Channel.SMS ? variant.text() : variant.spoken();
                Pace pace = channel == Channel.SMS
                        ? Pace.sms(senders.smsSender(), text, props.twilio().smsSegmentsPerSecond())
                        : Pace.call(props.twilio().accountSid(), props.twilio().callsPerSecond());
                paced(pace);
                permits.acquire();
                URI callback = URI.create(props.publicBaseUrl() + "/api/alerts/v1/webhooks/twilio?d=" + alertId + "."
                        + info.index());
                Delivery delivery = new Delivery(channel, alertId, info, senders, text, pace, callback, since, unsure,
                        run);
                started++;
                deliveries.execute(() -> drive(delivery, new SendMachine(policy, unsure)));
            }
        } catch (InterruptedException e) {
            // stop: the unstarted ones stay for a later run of the batch, the started ones finish (no retries)
            run.stopping = true;
            for (int i = started; i < infos.size(); i++) {
                run.settle(infos.get(i).index(), false);
            }
            run.stopAndAwait();
            throw e;
        }
        try {
            run.await();
        } catch (InterruptedException e) {
            run.stopAndAwait();
            Thread.currentThread().interrupt();
        }
        return run.pending();
    }

    /** Runs one delivery's machine to its end, the permit held from the start and again after each wait. */
    private void drive(Delivery delivery, SendMachine m) {
        boolean permit = true;
        boolean done = false;
        int index = delivery.info().index();
        try {
            SendMachine.Next next = m.start();
            while (true) {
                if (next instanceof SendMachine.Settle settle) {
                    permits.release();
                    permit = false;
                    record(delivery, settle);
                    done = true;
                    return;
                } else if (next instanceof SendMachine.Leave leave) {
                    log.warn("alert {} delivery {} {}: still {} after {} tries", delivery.alertId(), index,
                            delivery.channel().id(), leave.reason(), m.attempt());
                    return;
                } else if (next instanceof SendMachine.Wait w) {
                    permits.release();
                    permit = false;
                    Thread.sleep(w.delay());
                    paced(delivery.pace());
                    permits.acquire();
                    permit = true;
                    next = m.waited();
                } else if (next instanceof SendMachine.Lookup) {
                    next = m.found(lookup(delivery));
                } else {
                    if (alreadySettled(delivery, m)) {
                        done = true;
                        return;
                    }
                    next = m.answered(send(delivery), delivery.run().stopping);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("alert {} delivery {}: send error {}", delivery.alertId(), index, e.getClass().getSimpleName());
        } finally {
            if (permit) {
                permits.release();
            }
            delivery.run().settle(index, done);
        }
    }

    /**
     * Before a re-send (a later try, or a run that may follow an earlier one): the delivery read again from Redis;
     * if it is sent or final already (a status callback carrying its id came meanwhile) it is not sent again.
     */
    private boolean alreadySettled(Delivery delivery, SendMachine m) {
        if (m.attempt() == 1 && !delivery.unsure()) {
            return false;
        }
        DeliveryState now = store.state(delivery.alertId(), delivery.info().index());
        if (now == null || now.rank() < DeliveryState.SENT.rank()) {
            return false;
        }
        String providerId = store.providerId(delivery.alertId(), delivery.info().index());
        if (providerId != null) {
            // set by a status callback: no other delivery's lookup may adopt it
            owners.claim(providerId, delivery.alertId(), delivery.info().index());
        }
        return true;
    }

    /** Whether an earlier try went out (null: Twilio could not be asked). */
    private Optional<String> lookup(Delivery delivery) {
        DeliveryInfo info = delivery.info();
        return sentLookup.find(delivery.alertId(), info.index(), delivery.channel(), info.address(),
                delivery.senders(), delivery.text(), delivery.since(), "after an ambiguous failure");
    }

    private void paced(Pace pace) throws InterruptedException {
        long start = System.nanoTime();
        pacer.await(pace);
        metrics.pacingWait("twilio", java.time.Duration.ofNanos(System.nanoTime() - start));
    }

    private SendResult send(Delivery delivery) {
        long start = System.nanoTime();
        SendResult r = sendNow(delivery);
        metrics.providerAnswer("twilio", r, java.time.Duration.ofNanos(System.nanoTime() - start));
        return r;
    }

    private SendResult sendNow(Delivery delivery) {
        DeliveryInfo info = delivery.info();
        return delivery.channel() == Channel.SMS
                ? twilio.sms(info.address(), delivery.senders(), delivery.text(), delivery.callback())
                : twilio.call(info.address(), delivery.senders().voiceFrom(), Twiml.say(delivery.text(), info.language()),
                        delivery.callback());
    }

    private void record(Delivery delivery, SendMachine.Settle settle) {
        String alertId = delivery.alertId();
        int index = delivery.info().index();
        metrics.deliveries(delivery.channel().id(), settle.state().id(), 1);
        if (settle.state() == DeliveryState.OPTED_OUT) {
            optOuts.twilioStop(alertId, delivery.info().address());
        }
        if (settle.state() == DeliveryState.SENT) {
            owners.claim(settle.providerId(), alertId, index);
            store.transition(alertId, List.of(index), DeliveryState.SENT, DeliveryState.SENDING, settle.providerId(),
                    null);
        } else {
            store.transition(alertId, List.of(index), settle.state(), null, null, settle.reason());
            log.info("alert {} delivery {} {}: {}", alertId, index, delivery.channel().id(), settle.reason());
        }
    }
}
