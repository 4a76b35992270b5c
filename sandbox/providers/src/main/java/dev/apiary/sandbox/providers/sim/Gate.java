package dev.apiary.sandbox.providers.sim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Admission for provider API requests: concurrency cap, latency, transient 429s and rate buckets. */
public final class Gate {

    /** Thrown to answer 429; {@code retryAfterSeconds} goes into Retry-After. */
    public static final class TooManyRequests extends RuntimeException {
        public final long retryAfterSeconds;
        public final String reason;

        public TooManyRequests(String reason, long retryAfterSeconds) {
            super(reason, null, false, false);
            this.reason = reason;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private final SimSettings settings;
    private final GroundTruth truth;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public Gate(SimSettings settings, GroundTruth truth) {
        this.settings = settings;
        this.truth = truth;
    }

    /** Enter: counts the request in flight (429 over the cap), then waits the configured latency. */
    public AutoCloseable enter(String provider) {
        SimConfig c = settings.get();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        if (now > c.maxConcurrency()) {
            inFlight.decrementAndGet();
            truth.count(provider + "_429_concurrency");
            throw new TooManyRequests("concurrency", 1);
        }
        try {
            int latency = c.latencyMs() + (c.latencyJitterMs() > 0
                    ? ThreadLocalRandom.current().nextInt(c.latencyJitterMs() + 1) : 0);
            if (latency > 0) {
                Thread.sleep(latency);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return inFlight::decrementAndGet;
    }

    /** A random transient 429 (not processed) with the configured probability. */
    public void maybeTransient429(String provider) {
        double rate = settings.get().transient429Rate();
        if (rate > 0 && ThreadLocalRandom.current().nextDouble() < rate) {
            truth.count(provider + "_429_transient");
            throw new TooManyRequests("transient", 1);
        }
    }

    public boolean randomServerError() {
        double rate = settings.get().serverErrorRate();
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    /** Takes {@code cost} from the bucket {@code key} at {@code rate}/s or throws a 429. */
    public void take(String provider, String key, double rate, double cost) {
        if (rate <= 0) {
            return;
        }
        double burst = settings.get().burstSeconds();
        TokenBucket b = buckets.compute(key, (k, old) -> old != null && old.rate() == rate ? old
                : new TokenBucket(rate, burst));
        long waitMs = b.tryTake(cost);
        if (waitMs > 0) {
            truth.count(provider + "_429_rate");
            throw new TooManyRequests("rate", Math.max(1, (waitMs + 999) / 1000));
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public void reset() {
        buckets.clear();
        maxInFlight.set(0);
    }
}
