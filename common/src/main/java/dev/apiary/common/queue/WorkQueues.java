package dev.apiary.common.queue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Where a service declares its queues. Queues start when the application context is up (or at once when
 * declared later) and stop gracefully, all in parallel, when it shuts down. Each gets its metrics
 * ({@link QueueMetrics}) and the service's dead-letter bounds.
 */
public class WorkQueues implements SmartLifecycle {

    private final StringRedisTemplate redis;
    private final String instanceName;
    private final DeadLetterLimits deadLetterLimits;
    private final QueueMetrics metrics;
    private final QueueTracing tracing;
    private final List<WorkQueue> queues = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    public WorkQueues(StringRedisTemplate redis) {
        this(redis, WorkQueue.defaultInstanceName());
    }

    public WorkQueues(StringRedisTemplate redis, String instanceName) {
        this(redis, instanceName, DeadLetterLimits.DEFAULTS, null);
    }

    /** @param metrics where the queues' meters go; null for none */
    public WorkQueues(StringRedisTemplate redis, String instanceName, DeadLetterLimits deadLetterLimits,
                      QueueMetrics metrics) {
        this(redis, instanceName, deadLetterLimits, metrics, null);
    }

    /** @param tracing carries each entry's trace from enqueue to its handler; null for none */
    public WorkQueues(StringRedisTemplate redis, String instanceName, DeadLetterLimits deadLetterLimits,
                      QueueMetrics metrics, QueueTracing tracing) {
        this.tracing = tracing;
        this.redis = redis;
        this.instanceName = instanceName;
        this.deadLetterLimits = deadLetterLimits;
        this.metrics = metrics;
    }

    public WorkQueue declare(QueueSettings settings, WorkHandler handler) {
        WorkQueue q = new WorkQueue(redis, settings, handler, instanceName, deadLetterLimits,
                metrics == null ? QueueObserver.NONE : metrics.observer(settings), tracing);
        if (metrics != null) metrics.gauges(q);
        queues.add(q);
        if (running) q.start();
        return q;
    }

    /** Every queue declared here, in declaration order. */
    public List<WorkQueue> queues() {
        return List.copyOf(queues);
    }

    public String instanceName() {
        return instanceName;
    }

    /** This JVM's consumer name: process id and host, and a random part so a restarted process is a new consumer. */
    public static String defaultInstanceName() {
        return WorkQueue.defaultInstanceName();
    }

    @Override
    public void start() {
        running = true;
        queues.forEach(WorkQueue::start);
    }

    @Override
    public void stop() {
        running = false;
        queues.parallelStream().forEach(WorkQueue::stop);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop queues before the web server and the Redis connection factory go away. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
