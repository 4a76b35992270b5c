package dev.apiary.sandbox.providers.sim;

/** A classic token bucket (capacity = rate x burst seconds). Thread-safe. */
public final class TokenBucket {
    private final double rate;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    public TokenBucket(double ratePerSecond, double burstSeconds) {
        this.rate = ratePerSecond;
        this.capacity = Math.max(1.0, ratePerSecond * burstSeconds);
        this.tokens = capacity;
        this.lastNanos = System.nanoTime();
    }

    /** @return 0 if the cost was taken, else the milliseconds until it would be available. */
    public synchronized long tryTake(double cost) {
        if (rate <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - lastNanos) / 1e9 * rate);
        lastNanos = now;
        double need = Math.min(cost, capacity);
        if (tokens >= need) {
            tokens -= need;
            return 0;
        }
        return (long) Math.ceil((need - tokens) / rate * 1000);
    }

    public double rate() {
        return rate;
    }
}
