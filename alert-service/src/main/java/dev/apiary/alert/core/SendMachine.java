package dev.apiary.alert.core;

import java.time.Duration;
import java.util.Optional;

/**
 * The state machine of one SMS or call inside a batch run: after each event it says what to do next. Pure (no
 * Redis, no HTTP, no sleeping): {@code dispatch/TwilioBatchSender} performs the steps.
 * <ul>
 * <li>2xx with an id → settle {@code sent};</li>
 * <li>a permanent refusal (4xx) → settle {@code failed} with the reason; 21610 (STOP) → {@code opted_out};</li>
 * <li>429 → wait {@code Retry-After} (+ jitter) or the backoff, then send again;</li>
 * <li>5xx, timeout, connection error (ambiguous: it may have gone out) → wait at least {@code ambiguousSettle},
 * ask the provider whether it is there (found → settle {@code sent} with its id), else send again;</li>
 * <li>after {@code maxAttempts} tries, or when the batch is stopping → leave it for a later run of the batch.</li>
 * </ul>
 */
public final class SendMachine {

    /** What the driver does next. */
    public sealed interface Next {
    }

    /** Ask the provider whether an earlier try went out; report with {@link #found}. */
    public record Lookup() implements Next {
    }

    /** Send; report the provider's answer with {@link #answered}. */
    public record Send() implements Next {
    }

    /** Wait this long (then re-pace and take a permit), then report {@link #waited}. */
    public record Wait(Duration delay) implements Next {
    }

    /** Done: the delivery moves to {@code state}. */
    public record Settle(DeliveryState state, String providerId, String reason) implements Next {
    }

    /** Not done in this run: the delivery stays {@code sending} for a later run of its batch. */
    public record Leave(String reason) implements Next {
    }

    /**
     * @param maxAttempts     tries in one batch run
     * @param ambiguousSettle the least wait after an ambiguous failure before asking the provider
     */
    public record Policy(int maxAttempts, Backoff backoff, Duration ambiguousSettle) {
    }

    private static final Lookup LOOKUP = new Lookup();
    private static final Send SEND = new Send();

    private final Policy policy;
    /** The last try may have gone out (ambiguous failure, or an earlier run of the batch): ask before sending. */
    private boolean unsure;
    private int attempt = 1;

    /** {@code unsure}: an earlier run of the batch may have sent it (a retry, or taken over from a dead instance). */
    public SendMachine(Policy policy, boolean unsure) {
        this.policy = policy;
        this.unsure = unsure;
    }

    public int attempt() {
        return attempt;
    }

    public Next start() {
        return unsure ? LOOKUP : SEND;
    }

    /** The lookup's answer: the provider id if found, empty if not there, null if the provider could not be asked. */
    public Next found(Optional<String> providerId) {
        if (providerId != null && providerId.isPresent()) {
            return new Settle(DeliveryState.SENT, providerId.get(), null);
        }
        return SEND;
    }

    /** The send's answer; {@code stopping}: the batch is being stopped (no more tries). */
    public Next answered(SendResult result, boolean stopping) {
        return switch (result) {
            case SendResult.Accepted a -> new Settle(DeliveryState.SENT, a.providerId(), null);
            case SendResult.Rejected r -> new Settle(r.optedOut() ? DeliveryState.OPTED_OUT : DeliveryState.FAILED,
                    null, r.reason());
            case SendResult.Retry r -> {
                unsure |= r.ambiguous();
                if (attempt >= policy.maxAttempts() || stopping) {
                    yield new Leave(r.reason());
                }
                Duration wait = policy.backoff().delay(attempt, r.retryAfter());
                if (r.ambiguous() && wait.compareTo(policy.ambiguousSettle()) < 0) {
                    wait = policy.ambiguousSettle();
                }
                yield new Wait(wait);
            }
        };
    }

    /** The wait is over: the next try. */
    public Next waited() {
        attempt++;
        return unsure ? LOOKUP : SEND;
    }
}
